"""Imports a recording made elsewhere (recorder.media_import) on a QThread: a file that needs
re-encoding takes a while, and the Record page must stay responsive meanwhile."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from recorder.media_import import ImportFailed, import_recording


class ImportWorker(QObject):
    succeeded = Signal(object)    # recorder.media_import.ImportedRecording
    failed = Signal(str)          # a plain message ("... Nothing was stored.")
    finished = Signal()

    def __init__(self, store, file: Path, rep_id: str, exercise_id: str, partner_id: str | None):
        super().__init__()
        self.store, self.file = store, Path(file)
        self.rep_id, self.exercise_id, self.partner_id = rep_id, exercise_id, partner_id

    @Slot()
    def run(self) -> None:
        try:   # kept open, like a fresh take: the rep plays it back, then submits or discards it
            self.succeeded.emit(import_recording(self.store, self.file, self.rep_id, self.exercise_id,
                                                 self.partner_id, submit=False))
        except ImportFailed as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a worker must always report back
            self.failed.emit(f"Importing {self.file.name} failed unexpectedly: {exc}. Nothing was stored.")
        finally:
            self.finished.emit()


def start_import_thread(worker: ImportWorker, parent: QObject | None = None) -> QThread:
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread
