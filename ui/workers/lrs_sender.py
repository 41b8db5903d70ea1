"""The station's LRS sender: one per app (ui/services.py builds it), alive from start to exit, so
automatic sending works whichever page is open. Every 30 s, when automatic sending is on, the LRS is
set up, statements wait and the back-off allows, it pushes (store.xapi.push.Pusher) on a QThread.
Settings → Sync asks it for a push now, or to save and try a set-up (ui/widgets/lrs_settings.py).

Signals: ``busy_changed(bool)``, ``progress(done, total)``, ``pushed(PushReport)``, ``saved(str)``,
``failed(str)``. ``shutdown()`` (at exit) stops the timer and waits for a running push's batch.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from store.db import Store
from store.xapi import queue
from store.xapi.config import LrsConfig, PushState
from store.xapi.push import Pusher, open_client
from store.xapi.secret import SecretStore
from ui.workers.lrs_worker import LrsJob, start_lrs_thread

AUTO_EVERY_MS = 30_000


class _Reaper(QObject):
    """Holds running LRS threads and their jobs; lets go of each on the UI thread once it has ended."""

    def __init__(self):
        super().__init__()
        self.live: dict[int, tuple] = {}

    def keep(self, thread, job) -> None:
        self.live[id(thread)] = (thread, job)
        thread.finished.connect(self._ended)      # a bound method: queued to this (the UI) thread

    def _ended(self) -> None:
        for key, (thread, _job) in list(self.live.items()):
            if thread.isFinished():
                del self.live[key]


_REAPER: _Reaper | None = None


def _reaper() -> _Reaper:
    global _REAPER
    if _REAPER is None:
        _REAPER = _Reaper()
    return _REAPER


class LrsSender(QObject):
    busy_changed = Signal(bool)
    progress = Signal(int, int)
    pushed = Signal(object)
    saved = Signal(str)
    failed = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None, every_ms: int = AUTO_EVERY_MS):
        super().__init__(parent)
        self.store = store
        self.secrets = SecretStore(store.data_dir, store.station_id)
        self._job: LrsJob | None = None
        self._thread = None
        self._done: Callable[[object], None] = lambda result: None
        self.timer = QTimer(self)
        self.timer.setInterval(every_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        app = QCoreApplication.instance()
        if app is not None:                     # never leave a running QThread behind at exit
            app.aboutToQuit.connect(self.shutdown)

    def busy(self) -> bool:
        return self._job is not None

    def tick(self) -> None:
        """The automatic push, when it is on and due."""
        if self.busy():
            return
        config = LrsConfig.load(self.store)
        if not (config.auto and config.configured) or not PushState.load(self.store).due():
            return
        if queue.counts(self.store, config.scope).queued:
            self.push()

    def push(self) -> bool:
        """Send what waits now (False if a job runs already or no LRS is set up)."""
        config = LrsConfig.load(self.store)
        if self.busy() or not config.configured:
            return False
        store, secrets = self.store, self.secrets

        def work(progress, cancelled):
            client = open_client(store, config, secrets)      # reads the keyring: off the UI thread too
            try:
                return Pusher(store, client, config, progress=progress, cancel=cancelled).run()
            finally:
                client.close()

        return self.run(work, self.pushed.emit)

    def run(self, work, done: Callable[[object], None]) -> bool:
        """Run ``work(progress, cancelled)`` on a QThread; ``done(result)`` on the UI thread."""
        if self.busy():
            return False
        job = LrsJob(work)
        # bound methods of this object only: Qt runs them on the UI thread (a lambda would run on
        # the worker's thread)
        job.progress.connect(self._on_progress)
        job.succeeded.connect(self._on_succeeded)
        job.failed.connect(self._on_failed)
        job.finished.connect(self._on_finished)
        self._job, self._done = job, done
        thread = start_lrs_thread(job)
        # the thread and its job stay referenced until the thread has ended, whatever happens to this
        # object meanwhile: a QThread deleted while it runs aborts the process
        _reaper().keep(thread, job)
        self._thread = thread
        self.busy_changed.emit(True)
        return True

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def shutdown(self) -> None:
        self.timer.stop()
        self.cancel()
        if self._thread is not None:
            if self._thread.isRunning():
                self._thread.quit()
                self._thread.wait(35_000)
            self._thread = None

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.emit(done, total)

    def _on_succeeded(self, result) -> None:
        self._done(result)

    def _on_failed(self, text: str) -> None:
        self.failed.emit(text)

    def _on_finished(self) -> None:
        self._job = None
        self.busy_changed.emit(False)
