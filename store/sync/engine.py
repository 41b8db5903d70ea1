"""Carrying out a sync: push (media first, then batches), then pull (one transaction per batch).

Safe to stop at any moment (cancel, crash, power cut): media are published before the batch that
references them; a batch is published whole or not at all; the outbox is cleared only after the batch
is on the hub, and a batch of ours found on the hub but not recorded here (we died just after
publishing) is recognised on the next run; a received batch is applied and recorded as applied in one
transaction. ``ROLECALL_SYNC_KILL_AT=<stage>`` makes the process kill itself at a stage (tests).
"""
from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path
from typing import Callable

from store.clock import now_iso
from store.db import Store
from store.sync import batch as batchfmt
from store.sync.errors import DiskFull, KeyMismatch, SyncCancelled, SyncError, os_error
from store.sync.hub import HUB_FILE, BlobTooLarge, Hub
from store.sync.keys import TeamKey
from store.sync.media import MEDIA_COLUMN, has_local_media, local_media_path, repair_media_paths
from store.sync.plan import MAX_RECORDS, Pending, plan_push
from store.sync.receive import SETTLED, Receiver
from store.sync.report import Progress, SyncReport
from store.sync.transfer import MediaTransfer
from store.sync.state import get_state, set_state
from store.sync.station_keys import get_pin, load_signer
from store.sync.tables import ensure_tracking, outgoing_row, repair_clocks, synced_tables
from store.sync.validate import MAX_CLOCK

KILL_ENV = "ROLECALL_SYNC_KILL_AT"
STAGES = ("after_media_upload", "after_batch_publish", "before_mark_applied")


def checkpoint(stage: str) -> None:
    if os.environ.get(KILL_ENV) == stage:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _lock_fd(fd: int) -> None:
    """An exclusive, non-blocking lock held until the fd is closed (OSError if someone has it)."""
    try:
        import fcntl  # noqa: PLC0415
    except ImportError:                      # Windows
        import msvcrt  # noqa: PLC0415
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


class Syncer(MediaTransfer, Receiver):
    """One sync of one station with one hub. ``progress(Progress)`` is called often; ``cancel()``
    returning True stops at the next safe point (SyncCancelled)."""

    def __init__(self, store: Store, hub: Hub, key: TeamKey, *,
                 progress: Callable[[Progress], None] | None = None,
                 cancel: Callable[[], bool] | None = None, fetch_all_media: bool = False,
                 max_records: int = MAX_RECORDS):
        self.store, self.hub, self.key = store, hub, key
        self.progress_cb = progress
        self.cancel_cb = cancel
        self.fetch_all_media = fetch_all_media
        self.max_records = max_records
        self.report = SyncReport()
        self._cancelled = False
        self._resend_upto: int | None = None
        self._bad: dict[str, str] = {}
        self._skips = 0

    # -- control -----------------------------------------------------------------------------------
    def stop(self) -> None:
        self._cancelled = True

    def _check_cancel(self) -> None:
        if self._cancelled or (self.cancel_cb is not None and self.cancel_cb()):
            raise SyncCancelled()

    @staticmethod
    def _checkpoint(stage: str) -> None:
        checkpoint(stage)

    def _emit(self, *args) -> None:
        if self.progress_cb:
            self.progress_cb(Progress(*args))

    @property
    def conn(self):
        return self.store.db.conn

    # -- the whole thing -----------------------------------------------------------------------------
    def run(self, push: bool = True, pull: bool = True, pull_limit: int | None = None) -> SyncReport:
        lock = self._lock()
        try:
            try:
                self._run(push, pull, pull_limit)
            except SyncError as exc:
                if not isinstance(exc, SyncCancelled):
                    with self.store.transaction() as db:
                        set_state(db.conn, "last_error", str(exc))
                raise
            with self.store.transaction() as db:
                set_state(db.conn, "last_sync", now_iso())
                if self.report.problems:
                    set_state(db.conn, "last_error", self.report.problems[0])
                else:
                    db.conn.execute("DELETE FROM sync_state WHERE key='last_error'")
            return self.report
        finally:
            os.close(lock)

    def resend_all(self) -> int:
        """Queue every version this station made to be sent again (see tables.requeue_own)."""
        from store.sync.tables import requeue_own  # noqa: PLC0415

        with self.store.transaction() as db:
            ensure_tracking(db.conn)
            self._resend_upto = self._next_seq() - 1
            return requeue_own(db.conn)

    def _run(self, push: bool, pull: bool, pull_limit: int | None) -> None:
        try:
            self._check_hub()
            with self.store.transaction() as db:
                ensure_tracking(db.conn)
                if get_state(db.conn, "repaired") != "12":      # once: what batches before #12 left
                    repair_media_paths(db.conn)
                    repair_clocks(db.conn, MAX_CLOCK)
                    set_state(db.conn, "repaired", "12")
            self.tables = synced_tables(self.conn)
            self.signer = load_signer(self.store)
            self._adopt_own_batches()
            if push:
                self.push()
            if pull:
                self.pull(limit=pull_limit)
            if self.fetch_all_media:
                self.fetch_media()
        except OSError as exc:
            raise os_error(exc, "on this station") from exc
        except sqlite3.OperationalError as exc:
            if "full" in str(exc):
                raise DiskFull("This station's disk is full. Free some space and sync again.") from exc
            raise SyncError(f"The station's database could not be written ({exc}). Close other "
                            "Rolecall windows or commands and sync again.") from exc

    def _lock(self) -> int:
        path = Path(self.store.data_dir) / "sync.lock"
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            _lock_fd(fd)
        except OSError as exc:
            os.close(fd)
            raise SyncError("A sync is already running on this station; wait for it to finish.") from exc
        return fd

    def _check_hub(self) -> None:
        """The hub's marker says which team key it uses: a station with another key is stopped before
        it sends or applies anything."""
        import json  # noqa: PLC0415
        marker = {"format": "rolecall-hub/1", "key_id": self.key.key_id}
        try:
            found = json.loads(self.hub.get(HUB_FILE, max_bytes=1 << 16))
        except FileNotFoundError:
            self.hub.put_if_absent(HUB_FILE, json.dumps(marker).encode())
            found = json.loads(self.hub.get(HUB_FILE, max_bytes=1 << 16))
        except (ValueError, BlobTooLarge):
            found = None
        if not isinstance(found, dict):
            found = {}
            self.report.warnings.append(f"The hub's {HUB_FILE} is unreadable; checking each batch's key.")
        if found and found.get("key_id") != self.key.key_id:
            raise KeyMismatch("Key mismatch: this hub is used with a different team key than this "
                              f"station's (fingerprint {self.key.fingerprint}). Nothing was sent or "
                              "received. Enter the team's key in Settings (or `rolecall sync set-key`).")

    # -- push ----------------------------------------------------------------------------------------
    def _next_seq(self) -> int:
        return int(get_state(self.conn, "next_seq", "1"))

    def _pending(self) -> list[Pending]:
        entries = self.conn.execute(
            "SELECT o.tbl, o.id, o.clock, o.op, v.clock, v.station FROM sync_outbox o "
            "LEFT JOIN sync_versions v ON v.tbl = o.tbl AND v.id = o.id").fetchall()
        by_table: dict[str, list[str]] = {}
        for tbl, rid, *_ in entries:
            by_table.setdefault(tbl, []).append(rid)
        rows: dict[tuple[str, str], dict] = {}
        for tbl, ids in by_table.items():
            if tbl not in self.tables:
                continue
            for start in range(0, len(ids), 500):
                part = ids[start:start + 500]
                cur = self.conn.execute(f'SELECT * FROM "{tbl}" WHERE id IN ({",".join("?" * len(part))})', part)
                names = [d[0] for d in cur.description]
                for found in cur:
                    row = dict(zip(names, found))
                    rows[(tbl, row["id"])] = row
        out = []
        for tbl, rid, clock, op, vclock, vstation in entries:
            row = outgoing_row(tbl, rows.get((tbl, rid)))
            version = (vclock, vstation) if vclock is not None else None
            out.append(Pending(tbl, rid, clock, op, version, row,
                               row.get(MEDIA_COLUMN) if row else None,
                               row.get("media_size") if row else None))
        return out

    def push(self) -> None:
        pending = self._pending()
        if not pending:
            return
        local_media, hub_media = {}, {}
        for p in pending:
            sha = p.media_sha256
            if not sha or p.op != "upsert" or sha in hub_media:
                continue
            hub_media[sha] = self.hub.media_size(sha)
            if has_local_media(self.store, p.row):
                path = local_media_path(self.store, p.row)
                local_media[sha] = (str(path), path.stat().st_size)
        order = list(self.tables)
        plan = plan_push(pending, self.store.station_id, self._next_seq(), local_media=local_media,
                         hub_media=hub_media, table_order=order, max_records=self.max_records,
                         created_at=now_iso())
        if plan.uploads:
            bad = self._upload(plan)
            if bad:
                for sha in bad:
                    local_media.pop(sha, None)
                    hub_media[sha] = None
                plan = plan_push(pending, self.store.station_id, self._next_seq(), local_media=local_media,
                                 hub_media=hub_media, table_order=order, max_records=self.max_records,
                                 created_at=now_iso())
                plan.uploads = []
        too_big = [p for p, why in plan.deferred if "too large" in why]
        self.report.deferred = len(plan.deferred) - len(too_big)
        self.report.problems.extend(f"Not sent: {p.table} {p.id} is too large to send in a batch."
                                    for p in too_big[:5])
        with self.store.transaction() as db:
            for p in plan.drop:
                db.conn.execute("DELETE FROM sync_outbox WHERE tbl=? AND id=? AND clock=?",
                                [p.table, p.id, p.clock])
        if self._resend_upto and plan.batches:
            plan.batches[-1].resend = (plan.batches[0].seq, self._resend_upto)
        total = len(plan.batches)
        for number, batch in enumerate(plan.batches):
            self._check_cancel()
            self._emit("send", number, total, 0, 0)
            batch.station_name = self.store.station_name
            data = batchfmt.encode(batch, self.key, self.signer)
            if not self.hub.put_if_absent(batch.name, data):
                if self._taken_by_someone_else(batch.name):
                    return self.push()              # numbered again, past the forged name
                raise SyncError(f"The hub already has {batch.name}; another sync of this station ran at "
                                "the same time. Sync again.")
            checkpoint("after_batch_publish")
            with self.store.transaction() as db:
                db.conn.executemany("DELETE FROM sync_outbox WHERE tbl=? AND id=? AND clock=?",
                                    [(r.table, r.id, r.clock) for r in batch.records])
                set_state(db.conn, "next_seq", str(batch.seq + 1))
                if batch.resend:
                    set_state(db.conn, SETTLED + batch.station, str(batch.resend[1]))
                db.conn.execute("INSERT OR IGNORE INTO sync_applied(batch, station, seq, records, applied_at) "
                                "VALUES(?, ?, ?, ?, ?)", [batch.name, batch.station, batch.seq,
                                                          len(batch.records), now_iso()])
            self.report.sent_batches += 1
            self.report.sent_records += len(batch.records)
            for r in batch.records:
                self.report.sent_by_table[r.table] = self.report.sent_by_table.get(r.table, 0) + 1
            self.report.sent_bytes += len(data)
        self._emit("send", total, total, 0, 0)

    def _taken_by_someone_else(self, name: str) -> bool:
        """Our next batch name is taken on the hub by a batch that is not ours (someone with the team
        key published under our id): report it and move our numbering past it (at most 20 times a
        sync). A batch of ours there means another sync of this station ran: not skipped."""
        try:
            found = batchfmt.decode(self.hub.get(name, max_bytes=batchfmt.MAX_BATCH_BYTES), self.key)
            pin = get_pin(self.conn, self.store.station_id)
            ours = found.station_key == self.signer.public_hex or (
                found.station_key is None and pin is not None and found.seq < pin.first_seq)
        except (batchfmt.BadBatch, BlobTooLarge, FileNotFoundError):
            ours = False
        if ours or self._skips >= 20:
            return False
        self._skips += 1
        seq = batchfmt.parse_name(name)[1]
        self.report.problems.append(f"{name} on the hub is not a batch this station can read as its own "
                                    "(damaged, or someone with the team key is publishing as this station). "
                                    "This station numbered its batch past it.")
        with self.store.transaction() as db:
            set_state(db.conn, "next_seq", str(seq + 1))
        return True
