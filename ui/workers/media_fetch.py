"""Fetching a take's video from the hub for a player, off the main thread, with progress and Cancel.

    job = fetcher.fetch(recording_id)      # the running job for that take if there is one already
    job.progress.connect(...)              # bytes done, bytes total (0 if unknown)
    job.finished.connect(...)              # recording id, Path | None, outcome, message
    job.cancel()

Outcomes: 'done' (Path given), 'cancelled', 'no_hub' (sync is not set up), 'unreachable' (the hub
cannot be reached now), 'failed' (anything else: not on the hub yet, damaged copy, disk full ...).
The engine is store.sync.ensure_media; its byte progress callback is where Cancel takes effect
(it raises SyncCancelled between chunks, and the partial file is removed by the hub).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from store.db import Store
from store.sync import HubUnreachable, SyncCancelled, SyncConfig, SyncError, ensure_media, open_hub
from store.sync.hub import Hub
from store.take_media import TakeMedia, locate

NO_HUB = "Set up sync in Settings → Sync to download it (this station has no hub yet)."


def default_open_hub(config: SyncConfig) -> Hub:
    return open_hub(config.hub, config.endpoint_url or None)


def explain(exc: Exception, hub: str) -> tuple[str, str]:
    """(outcome, message a person can act on) for what stopped a fetch."""
    if isinstance(exc, SyncCancelled):
        return "cancelled", "Download cancelled."
    if isinstance(exc, HubUnreachable):
        reason = str(exc).rstrip(". ")
        return "unreachable", (f"The hub at {hub} cannot be reached: {reason}. "
                               "Try again when the station is online.")
    if isinstance(exc, SyncError):
        return "failed", str(exc)
    return "failed", f"Could not download the video: {exc}"


class FetchJob(QObject):
    """Lives on the main thread; the pool thread reports through the private signals, which arrive here
    queued, so whoever connects right after ``fetch()`` hears everything."""
    progress = Signal(object, object)          # bytes done, bytes total (0 if unknown); ints may pass 2**31
    finished = Signal(str, object, str, str)   # recording id, Path | None, outcome, message
    _worker_progress = Signal(object, object)
    _worker_finished = Signal(str, object, str, str)

    def __init__(self, recording_id: str, total: int, on_end: Callable[["FetchJob"], None]):
        super().__init__()
        self.recording_id = recording_id
        self.total = total
        self.outcome = ""
        self.message = ""
        self._cancel = threading.Event()
        self._on_end = on_end
        self._worker_progress.connect(self._relay_progress)
        self._worker_finished.connect(self._ended)

    @Slot(object, object)
    def _relay_progress(self, done, total) -> None:
        if not self.outcome:
            self.progress.emit(done, total)

    @Slot(str, object, str, str)
    def _ended(self, rid: str, path, outcome: str, message: str) -> None:
        self.outcome, self.message = outcome, message
        self._on_end(self)
        self.finished.emit(rid, path, outcome, message)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return not self.outcome


class _Run(QRunnable):
    def __init__(self, store: Store, job: FetchJob, config: SyncConfig, open_hub_fn: Callable):
        super().__init__()
        self.store, self.job, self.config, self.open_hub_fn = store, job, config, open_hub_fn

    def run(self) -> None:      # a pool thread: only signals go back to the main thread
        job, done = self.job, [0]

        def on_bytes(n: int) -> None:
            if job.cancelling:
                raise SyncCancelled()
            done[0] += n
            job._worker_progress.emit(done[0], job.total)

        hub = None
        try:
            if job.cancelling:
                raise SyncCancelled()
            hub = self.open_hub_fn(self.config)
            path = ensure_media(self.store, job.recording_id, hub=hub, progress=on_bytes)
        except Exception as exc:  # noqa: BLE001 - a job always reports back
            outcome, message = explain(exc, self.config.hub)
            job._worker_finished.emit(job.recording_id, None, outcome, message)
        else:
            job._worker_finished.emit(job.recording_id, Path(path), "done", "")
        finally:
            if hub is not None:
                hub.close()


class MediaFetcher:
    """The station's one way for players to get a remote take's video (a service built in main.py)."""

    def __init__(self, store: Store, open_hub_fn: Callable[[SyncConfig], Hub] | None = None,
                 pool: QThreadPool | None = None):
        self.store = store
        self.open_hub_fn = open_hub_fn or default_open_hub
        self.pool = pool or QThreadPool.globalInstance()
        self.running: dict[str, FetchJob] = {}

    def locate(self, recording_id: str) -> TakeMedia | None:
        return locate(self.store, recording_id)

    def config(self) -> SyncConfig:
        return SyncConfig.load(self.store)

    def fetch(self, recording_id: str) -> FetchJob:
        """Start downloading (or join the download already running for this take). A station with no
        hub set gets a job that finishes at once with 'no_hub'."""
        job = self.running.get(recording_id)
        if job is not None and job.running:
            return job
        media = self.locate(recording_id)
        job = FetchJob(recording_id, (media.size if media else None) or 0, self._forget)
        config = self.config()
        self.running[recording_id] = job
        if not config.hub:      # after the caller has connected to the job
            QTimer.singleShot(0, lambda: job._worker_finished.emit(recording_id, None, "no_hub", NO_HUB))
            return job
        self.pool.start(_Run(self.store, job, config, self.open_hub_fn))
        return job

    def _forget(self, job: FetchJob) -> None:
        if self.running.get(job.recording_id) is job:
            del self.running[job.recording_id]

    def wait(self, msecs: int = 10000) -> bool:
        """Wait for running downloads to stop (the window is closing)."""
        for job in list(self.running.values()):
            job.cancel()
        return self.pool.waitForDone(msecs)
