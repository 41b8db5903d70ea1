"""Sending the queue to the LRS: an engine with ``run()``, a progress callback and ``cancel``.

Statements go in batches (``POST statements``, a JSON array). What the LRS answers decides each one:

* 2xx — all delivered; 409 for a single statement — the LRS already holds that id: delivered too;
* 400, 422 and other 4xx (409/413 for a batch) — the batch is split in halves until the statement the
  LRS refuses is alone; it is *held* with the LRS's message and the rest go on;
* 401/403 — the key is refused: the push stops with one message, nothing is marked, and automatic
  pushes wait until the settings change; 404 — no statements resource at that address: stops too;
* no answer, 408, 429, 5xx — the push stops and everything not delivered stays queued; automatic
  pushes retry with back-off (config.retry_delay). A 5xx for a single statement while the LRS still
  answers a read holds that statement (some LRSs answer 500 for a statement they cannot store).

Statements our own validator rejects are held before anything is sent. A push killed at any point
loses nothing: a batch is marked delivered only after the LRS said so, and a batch sent again is
stored once (the statement ids are fixed).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from store.db import Store
from store.xapi import queue, records
from store.xapi.client import LrsClient, LrsUnreachable, Reply
from store.xapi.config import LrsConfig, PushState
from store.xapi.statements import NotApplicable, StatementFactory
from store.xapi.validate import Trusted, problems

try:
    import fcntl
except ImportError:   # Windows: no lock between two pushes (harmless: the LRS stores each id once)
    fcntl = None


@dataclass
class PushReport:
    sent: int = 0
    duplicates: int = 0                  # of those, statements the LRS already had
    held: list[str] = field(default_factory=list)        # "statement id: reason"
    skipped: int = 0
    remaining: int = 0
    stopped: str = ""                    # why the push stopped early ("" if it got through the queue)
    refused: bool = False                # the LRS refused the key
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.stopped and not self.cancelled

    def summary(self, endpoint: str) -> str:
        parts = [f"Sent {self.sent:,} statement(s) to {endpoint}"
                 + (f" ({self.duplicates:,} were there already)" if self.duplicates else "")]
        if self.held:
            parts.append(f"{len(self.held):,} held (the LRS refused them; see `rolecall lrs status`)")
        if self.skipped:
            parts.append(f"{self.skipped:,} skipped (their records make no statement)")
        if self.cancelled:
            parts.append("cancelled")
        if self.stopped:
            parts.append(f"stopped: {self.stopped}")
        parts.append(f"{self.remaining:,} waiting")
        return "; ".join(parts) + "."


class PushBusy(RuntimeError):
    pass


class _Stop(Exception):
    def __init__(self, message: str, refused: bool = False):
        super().__init__(message)
        self.refused = refused


class Pusher:
    def __init__(self, store: Store, client: LrsClient, config: LrsConfig | None = None, *,
                 progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None,
                 build: Callable[[StatementFactory, str, dict], dict] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.store, self.client = store, client
        self.config = config or LrsConfig.load(store)
        self.progress = progress or (lambda done, total: None)
        self.cancel = cancel or (lambda: False)
        self.build = build or (lambda factory, kind, row: factory.build(kind, row))
        self.clock = clock

    # -- the run --------------------------------------------------------------------------------
    def run(self) -> PushReport:
        lock = self._lock()
        try:
            return self._run()
        finally:
            if lock is not None:
                lock.close()

    def _lock(self):
        if fcntl is None:
            return None
        handle = open(os.path.join(self.store.data_dir, "lrs.push.lock"), "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise PushBusy("Another push to the LRS is running on this station; try again when it ends.")
        return handle

    def _run(self) -> PushReport:
        report = PushReport()
        scope, size = self.config.scope, self.config.batch_size
        total = queue.counts(self.store, scope).queued
        factory = StatementFactory(records.lookups(self.store), self.config.identity)
        trusted = Trusted()
        state = PushState.load(self.store)
        done, after = 0, 0
        try:
            while True:
                if self.cancel():
                    report.cancelled = True
                    break
                batch = queue.next_batch(self.store, scope, size, after)
                if not batch:
                    break
                after = batch[-1].seq
                items = self._statements(factory, trusted, batch, report)
                try:
                    self._send(items, report)
                finally:
                    done += len(batch)
                    self.progress(min(done, total), total)
        except _Stop as stop:
            report.stopped, report.refused = str(stop), stop.refused
            state.failed(str(stop), self.clock(), refused=stop.refused)
        else:
            if not report.cancelled:
                state.succeeded(report.sent, self.clock())
        state.save(self.store)
        report.remaining = queue.counts(self.store, scope).queued
        return report

    def _statements(self, factory: StatementFactory, trusted: Trusted, batch: list[queue.Queued],
                    report: PushReport) -> list[tuple[int, dict]]:
        rows: dict[str, dict[str, dict]] = {}
        for kind in {q.kind for q in batch}:
            rows[kind] = records.by_ids(self.store, kind, [q.record_id for q in batch if q.kind == kind])
        items, skipped, held = [], {}, {}
        for q in batch:
            row = rows[q.kind].get(q.record_id)
            if row is None:
                skipped[q.seq] = "the record is no longer on this station"
                continue
            try:
                statement = self.build(factory, q.kind, row)
            except NotApplicable as exc:
                skipped[q.seq] = str(exc)
                continue
            except (ValueError, TypeError, KeyError) as exc:   # a damaged row: held, visible, the rest go on
                held[q.seq] = f"its record could not be read ({exc.__class__.__name__}: {exc}); never sent"
                report.held.append(f"{q.kind} {q.record_id}: {held[q.seq]}")
                continue
            found = problems(statement, trusted)
            if found:
                held[q.seq] = f"not valid xAPI (never sent): {'; '.join(found[:3])}"
                report.held.append(f"{statement.get('id')}: {held[q.seq]}")
                continue
            items.append((q.seq, statement))
        report.skipped += len(skipped)
        if skipped or held:
            queue.mark(self.store, skipped=skipped, held=held)
        return items

    # -- one request, split while the LRS refuses part of it ----------------------------------------
    def _send(self, items: list[tuple[int, dict]], report: PushReport) -> None:
        if not items:
            return
        try:
            reply = self.client.post_statements([s for _seq, s in items])
        except LrsUnreachable as exc:
            raise _Stop(f"the LRS at {self.client.endpoint} cannot be reached: {exc}") from exc
        status = reply.status
        if 200 <= status < 300 or (status == 409 and len(items) == 1):
            queue.mark(self.store, sent=[seq for seq, _s in items])
            report.sent += len(items)
            report.duplicates += len(items) if status == 409 else 0
            return
        if status in (401, 403):
            raise _Stop(f"the LRS refused the key '{self.config.key}' (HTTP {status}: {reply.message()}). "
                        "Check the key and secret (`rolecall lrs set`, or Settings → Sync); nothing was "
                        "dropped.", refused=True)
        if status == 404:
            raise _Stop(f"{self.client.endpoint}statements does not exist (HTTP 404): check the LRS "
                        "endpoint address.")
        if len(items) == 1:
            if status in (408, 429) or (status >= 500 and not self._healthy()):
                raise _Stop(self._trouble(reply))
            seq, statement = items[0]
            reason = f"the LRS refused it (HTTP {status}: {reply.message()})"
            queue.mark(self.store, held={seq: reason})
            report.held.append(f"{statement['id']}: {reason}")
            return
        if status in (408, 429):
            raise _Stop(self._trouble(reply))
        half = len(items) // 2
        self._send(items[:half], report)
        self._send(items[half:], report)

    def _healthy(self) -> bool:
        """After a 5xx for one statement: does the LRS still answer a read? Then it is that statement
        (some LRSs answer 500 for a statement they cannot store); else it is the server."""
        try:
            reply = self.client.get_statements(limit=1)
        except LrsUnreachable:
            return False
        return reply.status < 500

    def _trouble(self, reply: Reply) -> str:
        return (f"the LRS at {self.client.endpoint} answered HTTP {reply.status} ({reply.message()}); "
                "the statements stay queued and are sent again later")


class NotSetUp(RuntimeError):
    pass


def open_client(store: Store, config: LrsConfig, secrets=None) -> LrsClient:
    """A client for the station's LRS, or :class:`NotSetUp` saying what is missing."""
    from store.xapi.secret import SecretStore

    if not config.configured:
        raise NotSetUp("No LRS is set up on this station: run `rolecall lrs set URL --key KEY` "
                       "(or Settings → Sync → Learning record store).")
    secret = (secrets or SecretStore(store.data_dir, store.station_id)).load()
    if not secret:
        raise NotSetUp("The LRS secret is not on this station (no keyring entry, no secret file): "
                       "set it again with `rolecall lrs set URL --key KEY --secret SECRET`.")
    return LrsClient(config.url, config.key, secret)


@dataclass(frozen=True)
class Check:
    ok: bool
    refused: bool
    message: str


def check_connection(client: LrsClient) -> Check:
    """Ask the LRS for one statement: does it answer, and does it take the key?"""
    try:
        reply = client.get_statements(limit=1)
    except LrsUnreachable as exc:
        return Check(False, False, f"The LRS at {client.endpoint} cannot be reached now ({exc}); statements "
                                   "stay queued and are sent when it answers.")
    if reply.status in (200, 204):
        return Check(True, False, f"The LRS at {client.endpoint} answers and accepts the key.")
    if reply.status == 403:
        return Check(True, False, f"The LRS at {client.endpoint} accepts the key (it may not read "
                                  "statements with it, which Rolecall does not need).")
    if reply.status == 401:
        return Check(False, True, f"The LRS at {client.endpoint} refused the key (HTTP 401: "
                                  f"{reply.message()}): check the key and secret.")
    if reply.status == 404:
        return Check(False, False, f"{client.endpoint}statements does not exist (HTTP 404): check the "
                                   "endpoint address (it usually ends in /xAPI/ or /data/xAPI/).")
    return Check(False, False, f"The LRS at {client.endpoint} answered HTTP {reply.status} "
                               f"({reply.message()}).")
