"""Runs LRS work (saving the set-up and trying the LRS, or a push) on a QThread and reports back.

    job = LrsJob(lambda progress, cancelled: ...)     # a plain function doing the work
    job.progress → (done, total); job.succeeded → result; job.failed → message; job.finished
    start_lrs_thread(job, parent)

``cancel()`` (any thread) makes ``cancelled()`` true; the push checks it between batches. The caller
keeps the thread and the job referenced until the thread's ``finished`` (ui/workers/lrs_sender.py).
"""
from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot


class LrsJob(QObject):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, work: Callable[[Callable[[int, int], None], Callable[[], bool]], object]):
        super().__init__()
        self._work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            self.succeeded.emit(self._work(self.progress.emit, self._cancel.is_set))
        except Exception as exc:  # noqa: BLE001 - a worker always reports back
            self.failed.emit(str(exc) or exc.__class__.__name__)
        finally:
            self.finished.emit()


def start_lrs_thread(job: LrsJob, parent: QObject | None = None) -> QThread:
    thread = QThread(parent)
    job.moveToThread(thread)
    thread.started.connect(job.run)
    job.finished.connect(thread.quit)
    thread.start()
    return thread
