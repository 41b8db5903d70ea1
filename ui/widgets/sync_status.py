"""The sync button and status in the main window's toolbar ("14 changes to send, last sync 10:42"),
a progress bar (items and bytes) with Cancel while a sync runs, plain error messages, and the optional
automatic sync. The main window puts it in its toolbar; what a sync received goes to every page as one
``Changes`` (store/changes.py), built from the report's rows per table."""
from __future__ import annotations

import os

from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy,
                               QStackedWidget, QWidget)

from store.changes import Changes
from store.sync import SyncConfig, status
from ui.context import AppContext
from ui.workers.sync_worker import SyncWorker, start_sync_thread

AUTO_INTERVAL_MS = 5 * 60 * 1000
REFRESH_MS = 20 * 1000
SLOT_WIDTH = 420
LOCAL_KINDS = {"recordings", "transcripts", "scores", "notes", "exemplars", "signoffs", "people", "kit",
               "events", "sync_settings"}     # a change here may wait to be sent: the count changes
PHASES = {"send media": "Sending videos", "send": "Sending", "receive": "Receiving",
          "fetch media": "Downloading videos"}


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f}"


class SyncStatusWidget(QWidget):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.setObjectName("syncStatusWidget")
        self.context = context
        self.store = context.store
        self._open_hub = context.services.open_hub
        self._load_key = context.services.load_key
        self.worker: SyncWorker | None = None
        self.thread: QThread | None = None
        self.last_report = None
        self.last_error: str | None = None
        self.last_error_short = ""
        self._closed = False

        self.button = QPushButton("Sync")
        self.button.setObjectName("syncButton")
        self.button.setToolTip("Send this station's changes to the hub and receive everyone else's")
        self.button.clicked.connect(self.start)
        self.label = QLabel()
        self.label.setObjectName("syncStatus")
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("syncCancel")
        self.cancel_button.clicked.connect(self.cancel)
        # the status text and the progress bar + Cancel share one slot of fixed width, so the toolbar
        # does not re-layout (or push the widget into its overflow menu) when a sync starts
        busy = QWidget()
        busy_row = QHBoxLayout(busy)
        busy_row.setContentsMargins(0, 0, 0, 0)
        busy_row.addWidget(self.progress, 1)
        busy_row.addWidget(self.cancel_button)
        self.slot = QStackedWidget()
        self.slot.addWidget(self.label)
        self.slot.addWidget(busy)
        self.slot.setFixedWidth(SLOT_WIDTH)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(self.button)
        row.addWidget(self.slot)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)

        self.refresh_timer = QTimer(self)
        self.refresh_timer.timeout.connect(self.refresh)
        self.refresh_timer.start(REFRESH_MS)
        self.auto_timer = QTimer(self)
        self.auto_timer.timeout.connect(self._auto)
        self.auto_timer.start(AUTO_INTERVAL_MS)
        context.on_change(LOCAL_KINDS, lambda _c: self.refresh(), self)
        context.people_changed.connect(self.refresh)
        self.refresh()

    # -- state ---------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.worker is not None

    def refresh(self) -> None:
        if self.running:
            return
        config = SyncConfig.load(self.store)
        text = status(self.store).summary()
        if not config.hub:
            text += " · no hub set (Settings)"
        if self.last_error:
            self.label.setText(f"<span style='color:#b3261e'>⚠ {_escape(self.last_error_short)}</span> · {text}")
            self.label.setToolTip(self.last_error)
        else:
            self.label.setText(text)
            self.label.setToolTip("\n".join(self.last_report.lines()) if self.last_report else "")

    # -- running -------------------------------------------------------------------------------------
    def start(self, quiet: bool = False) -> bool:
        if self.running or self._closed:
            return False
        config = SyncConfig.load(self.store)
        if not config.hub:
            self._fail("Choose a hub in Settings first.")
            return False
        worker = SyncWorker(self.store, lambda: self._open_hub(config), self._load_key,
                            config.fetch_all_media)
        worker.progress.connect(self._on_progress)
        worker.succeeded.connect(self._on_done)
        worker.failed.connect(self._fail)
        worker.cancelled.connect(self._on_cancelled)
        worker.finished.connect(self._on_finished)
        self.worker = worker
        self.button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Starting…")
        self.slot.setCurrentIndex(1)
        self.thread = start_sync_thread(worker, self)
        return True

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.progress.setFormat("Cancelling…")

    def _on_progress(self, phase: str, done: int, total: int, bytes_done: int, bytes_total: int) -> None:
        name = PHASES.get(phase, phase)
        if bytes_total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(bytes_done, bytes_total) / bytes_total))
            self.progress.setFormat(f"{name} {done}/{total} · {_mb(bytes_done)}/{_mb(bytes_total)} MB")
        else:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(min(done, max(total, 1)))
            self.progress.setFormat(f"{name} {done}/{total}")

    def _on_done(self, report) -> None:
        self.last_report = report
        self.last_error = "\n".join(report.problems) if report.problems else None
        self.last_error_short = f"{len(report.problems)} problem(s), hover for details"

        self.context.say(f"Sync done: sent {report.sent_records}, received {report.received_records} "
                         f"change(s).", 6000)
        self.context.notify(Changes.from_report(report), origin=self)

    def _fail(self, message: str, short: str = "") -> None:
        self.last_error = message
        self.last_error_short = short or _short(message)
        self.context.say(f"Sync failed: {message}", 10000)
        if not self.running:
            self.refresh()

    def _on_cancelled(self) -> None:
        self.last_error = None
        self.context.say("Sync cancelled; what was already sent or received is kept.", 6000)

    def _on_finished(self) -> None:
        if self.thread is not None:      # run() has returned: let the thread end before we forget it
            self.thread.quit()
            self.thread.wait(5000)
        self.worker = None
        self.thread = None
        self.slot.setCurrentIndex(0)
        self.button.setEnabled(True)
        self.refresh()

    def _auto(self) -> None:
        config = SyncConfig.load(self.store)
        if not config.auto or not config.hub or self.running:
            return
        if not config.hub.startswith("s3://") and not os.path.isdir(os.path.expanduser(config.hub)):
            return                      # the drive or share is not connected: try again later
        self.start(quiet=True)

    def shutdown(self, wait_ms: int = 5000) -> None:
        """The window is closing: no new syncs, and a running one is cancelled and waited for."""
        self._closed = True
        self.auto_timer.stop()
        self.refresh_timer.stop()
        if self.worker is not None and self.thread is not None:
            self.worker.cancel()
            self.thread.quit()
            self.thread.wait(wait_ms)


def _short(message: str) -> str:
    """A few words for the toolbar; the whole message is in the tooltip and the status bar."""
    lowered = message.lower()
    for needle, short in (("key mismatch", "key mismatch"), ("different team key", "key mismatch"),
                          ("no team sync key", "no team key set"), ("disk is full", "disk full"),
                          ("not reachable", "hub not reachable"), ("not there", "hub not reachable"),
                          ("no aws credentials", "no S3 credentials"), ("choose a hub", "no hub set"),
                          ("already running", "already syncing")):
        if needle in lowered:
            return short
    return "sync failed, hover for details"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
