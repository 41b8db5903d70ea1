"""Runs a sync (store.sync.Syncer) on a QThread and reports back through signals.

The engine's progress callback becomes the ``progress`` signal; ``cancel()`` (any thread) makes the
engine stop at its next safe point. ``finished`` → the thread quits → both are deleted later.
"""
from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from store.db import Store
from store.sync import SyncCancelled, SyncError, Syncer
from store.sync.engine import Progress
from store.sync.hub import Hub
from store.sync.keys import TeamKey


class SyncWorker(QObject):
    progress = Signal(str, int, int, int, int)   # phase, items done, items total, bytes done, bytes total
    succeeded = Signal(object)                   # SyncReport
    failed = Signal(str)                         # a plain message
    cancelled = Signal()
    finished = Signal()

    def __init__(self, store: Store, open_hub: Callable[[], Hub], load_key: Callable[[], TeamKey],
                 fetch_all_media: bool = False):
        super().__init__()
        self.store, self._open_hub, self._load_key = store, open_hub, load_key
        self.fetch_all_media = fetch_all_media
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def _on_progress(self, p: Progress) -> None:
        self.progress.emit(p.phase, p.items_done, p.items_total, p.bytes_done, p.bytes_total)

    @Slot()
    def run(self) -> None:
        hub = None
        try:
            key = self._load_key()
            hub = self._open_hub()
            report = Syncer(self.store, hub, key, progress=self._on_progress, cancel=self._cancel.is_set,
                            fetch_all_media=self.fetch_all_media).run()
            self.succeeded.emit(report)
        except SyncCancelled:
            self.cancelled.emit()
        except SyncError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a worker must always report back
            self.failed.emit(f"Sync failed unexpectedly: {exc}")
        finally:
            if hub is not None:
                hub.close()
            self.finished.emit()


def start_sync_thread(worker: SyncWorker, parent: QObject | None = None) -> QThread:
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread
