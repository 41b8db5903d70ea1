"""Computing the dashboard's figures off the main thread, the tab on screen first, latest request wins.

One long-lived QThread, so its SQLite connection (the store keeps one per OS thread) keeps the analytics fact tables between requests
(store/analytics/facts.py rebuilds them only when the database changed). While a computation runs,
newer requests replace each other; only the newest is computed next, and results of superseded
requests are dropped.
"""
from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, QThread, Signal, Slot

from store import analytics
from store.db import Store


def _stop(thread: QThread) -> None:
    try:
        if thread.isRunning():
            thread.quit()
            thread.wait(10000)
    except RuntimeError:      # already deleted with its owner
        pass


class _Job(QObject):
    done = Signal(int, object, str)   # request number, DashboardData | None, error text

    def __init__(self, store: Store):
        super().__init__()
        self.store = store    # store.db gives this thread the same connection on every request

    @Slot(int, object, object, object)
    def run(self, number: int, filters, viewer_id, groups) -> None:
        try:
            self.done.emit(number, analytics.dashboard(self.store, filters, viewer_id, groups), "")
        except Exception as exc:  # noqa: BLE001 (shown to the person, the page stays usable)
            traceback.print_exc()
            self.done.emit(number, None, f"{type(exc).__name__}: {exc}")


class DashboardWorker(QObject):
    """``request(filters, viewer, first)`` computes the ``first`` group (the tab on screen) and emits
    ``partial``, then the others and emits ``ready`` with everything. A newer request waiting when a
    step ends replaces the rest of the older one."""
    partial = Signal(object)   # DashboardData with the first group
    ready = Signal(object)     # DashboardData with every group
    failed = Signal(str)
    busy_changed = Signal(bool)
    _run = Signal(int, object, object, object)

    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("dashboard")
        self._job = _Job(store)
        self._job.moveToThread(self._thread)
        self._run.connect(self._job.run)
        self._job.done.connect(self._done)
        self._thread.finished.connect(self._job.deleteLater)
        self._thread.start()
        thread = self._thread
        # the thread must not outlive its owner (a page closed or deleted without shutdown())
        self.destroyed.connect(lambda *_: _stop(thread))
        self._number = 0
        self._running: tuple | None = None    # (number, filters, viewer, first, step)
        self._pending: tuple | None = None

    def request(self, filters, viewer_id: str | None, first: str = analytics.GROUPS[0]) -> None:
        self._number += 1
        self._pending = (self._number, filters, viewer_id, first)
        if self._running is None:
            self._start_pending()

    def busy(self) -> bool:
        return self._running is not None

    def _start_pending(self) -> None:
        number, filters, viewer_id, first = self._pending
        self._pending = None
        self._running = (number, filters, viewer_id, first, "first")
        self.busy_changed.emit(True)
        self._run.emit(number, filters, viewer_id, (first,))

    @Slot(int, object, str)
    def _done(self, number: int, data, error: str) -> None:
        running, self._running = self._running, None
        if self._pending is not None:          # a newer request came in: drop the rest of this one
            self._start_pending()
            return
        if error:
            self.busy_changed.emit(False)
            self.failed.emit(error)
            return
        _number, filters, viewer_id, _first, step = running
        if step == "first":
            self.partial.emit(data)
            self._running = (number, filters, viewer_id, _first, "rest")
            self._run.emit(number, filters, viewer_id, analytics.GROUPS)
            return
        self.busy_changed.emit(False)
        self.ready.emit(data)

    def shutdown(self) -> None:
        self._pending = None
        _stop(self._thread)
