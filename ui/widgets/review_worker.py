"""Run a read-only query off the main thread and hand its result back on the main thread.

    job = run_in_pool(lambda: queries.agreement(ex), self._show)    # _show(result or Exception)

Keep the returned job referenced until it reports (its signals object lives on it). Reads only: writes
go through store.transaction() on the main thread.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)


class QueryJob(QRunnable):
    def __init__(self, fn: Callable[[], object]):
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 (handed to the caller, who says what failed)
            result = exc
        self.signals.done.emit(result)


def run_in_pool(fn: Callable[[], object], on_done: Callable[[object], None]) -> QueryJob:
    job = QueryJob(fn)
    job.signals.done.connect(on_done, Qt.ConnectionType.QueuedConnection)
    QThreadPool.globalInstance().start(job)
    return job
