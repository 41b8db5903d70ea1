"""The Transcriptions panel: every job with its status and progress, Cancel / Retry, the transcript.

``install_transcription_panel(window)`` is what the main window calls (one line): it takes the
station's ``TranscriptionQueue`` (``context.services.transcription_queue``, built in main.py), adds a
dock with this panel (hidden until asked for) and a compact status-bar widget showing the running job's
progress that toggles the dock.  The queue starts with the window and is shut down
when the window closes.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDockWidget, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar,
                               QPushButton,
                               QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QToolButton,
                               QVBoxLayout, QWidget)

from recorder.transcription.transcriber import ModelNotFoundError, resolve_model
from recorder.transcription.jobs import META_MODEL, META_THREADS, station_settings as settings_from_store
from store.changes import Changes

from ui.widgets.transcript_view import TranscriptView
from ui.workers.transcription_queue import TranscriptionQueue

STATUS_TEXT = {"queued": "Queued", "transcribing": "Transcribing", "done": "Done", "failed": "Failed",
               "cancelled": "Cancelled"}
COLUMNS = ("Recording", "Status", "Progress", "Attempts", "Reason")


class TranscriptionPanel(QWidget):
    def __init__(self, queue: TranscriptionQueue, parent: QWidget | None = None):
        super().__init__(parent)
        self.queue = queue
        self.rows: dict[str, int] = {}
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("transcriptionJobs")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.cancel_button = QPushButton("Cancel")
        self.retry_button = QPushButton("Retry")
        self.cancel_button.clicked.connect(lambda: self._act(self.queue.cancel))
        self.retry_button.clicked.connect(lambda: self._act(self.queue.retry))
        buttons = QHBoxLayout()
        self.summary = QLabel()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.retry_button)
        self.view = TranscriptView()
        self.search = QLineEdit()
        self.search.setObjectName("transcriptSearch")
        self.search.setPlaceholderText("Search all transcripts (words or \"a phrase\"), Enter")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.run_search)
        self.search.textChanged.connect(lambda t: self.run_search() if not t else None)
        self.matches: dict[str, float] | None = None
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.search)
        lv.addWidget(self.table, 1)
        lv.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.view)
        split.setSizes([520, 480])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(split)
        queue.jobs_changed.connect(self.refresh)
        queue.progress.connect(self._on_progress)
        queue.segment.connect(self._on_segment)
        self.refresh()

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select(self, recording_id: str) -> None:
        if recording_id in self.rows:
            self.table.selectRow(self.rows[recording_id])

    def refresh(self) -> None:
        keep = self.selected()
        jobs = self.queue.jobs()
        self.table.setRowCount(len(jobs))
        self.rows = {}
        counts: dict[str, int] = {}
        for r, job in enumerate(jobs):
            rid = job["recording_id"]
            self.rows[rid] = r
            counts[job["status"]] = counts.get(job["status"], 0) + 1
            label = " · ".join(x for x in (job.get("rep_name"), job.get("exercise")) if x) or rid[:8]
            name = QTableWidgetItem(label)
            name.setData(Qt.ItemDataRole.UserRole, rid)
            name.setToolTip(f"{rid}\n{job.get('media_path') or ''}")
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, QTableWidgetItem(STATUS_TEXT.get(job["status"], job["status"])))
            bar = QProgressBar()
            bar.setRange(0, 100)
            p = self.queue.last_progress.get(rid, job["progress"] or 0.0) if job["status"] == "transcribing" \
                else (job["progress"] or 0.0)
            bar.setValue(int(round(100 * p)))
            self.table.setCellWidget(r, 2, bar)
            self.table.setItem(r, 3, QTableWidgetItem(str(job["attempts"])))
            reason = QTableWidgetItem(job["error"] or "")
            reason.setToolTip(job["error"] or "")
            self.table.setItem(r, 4, reason)
        self.summary.setText(", ".join(f"{n} {STATUS_TEXT.get(s, s).lower()}" for s, n in sorted(counts.items()))
                             or "No transcription jobs yet.")
        if self.matches is not None:
            for rid, r in self.rows.items():
                self.table.setRowHidden(r, rid not in self.matches)
            n = len(self.matches)
            self.summary.setText(f"{n} recording{'s' if n != 1 else ''} match" if n else "No transcript matches.")
        else:
            for r in range(self.table.rowCount()):
                self.table.setRowHidden(r, False)
        if keep:
            self.select(keep)
        self._update_buttons()

    def run_search(self) -> None:
        """Show only the recordings whose transcript matches; selecting one jumps to the match."""
        query = self.search.text().strip()
        if not query:
            self.matches = None
        else:
            self.matches = {}
            for hit in self.queue.repo.search(query, 500):
                self.matches.setdefault(hit["recording_id"], hit["start"])
        self.refresh()

    def progress_bar(self, recording_id: str) -> QProgressBar | None:
        r = self.rows.get(recording_id)
        return self.table.cellWidget(r, 2) if r is not None else None

    def status_text(self, recording_id: str) -> str | None:
        r = self.rows.get(recording_id)
        return self.table.item(r, 1).text() if r is not None else None

    def _on_progress(self, rid: str, p: float) -> None:
        bar = self.progress_bar(rid)
        if bar is not None:
            bar.setValue(int(round(100 * p)))

    def _on_segment(self, rid: str, seg) -> None:
        if rid == self.selected():
            self.view.append_segment(seg)

    def _selection_changed(self) -> None:
        rid = self.selected()
        if rid:
            self.view.load_recording(self.queue.repo, rid)
            if self.matches and rid in self.matches:
                self.view.set_position(self.matches[rid] + 0.001)  # highlight the matching segment
        else:
            self.view.set_transcript([], [])
        self._update_buttons()

    def _update_buttons(self) -> None:
        rid = self.selected()
        job = self.queue.repo.job(rid) if rid else None
        status = job["status"] if job else None
        self.cancel_button.setEnabled(status in ("queued", "transcribing"))
        self.retry_button.setEnabled(status in ("failed", "cancelled")
                                     and not (job["error"] or "").startswith("permanent"))

    def _act(self, action) -> None:
        rid = self.selected()
        if rid:
            action(rid)
            self.refresh()


class TranscriptionStatus(QWidget):
    """Status-bar widget: what the queue is doing, with a progress bar; click to show the panel."""

    def __init__(self, queue: TranscriptionQueue, parent: QWidget | None = None):
        super().__init__(parent)
        self.queue = queue
        self.button = QToolButton()
        self.button.setObjectName("transcriptionsButton")
        self.button.setAutoRaise(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setFixedWidth(110)
        self.bar.setTextVisible(True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.button)
        lay.addWidget(self.bar)
        queue.progress.connect(lambda _r, p: self.bar.setValue(int(round(100 * p))))
        queue.jobs_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        jobs = self.queue.jobs()
        waiting = sum(j["status"] == "queued" for j in jobs)
        failed = sum(j["status"] == "failed" for j in jobs)
        running = self.queue.current is not None
        text = "Transcribing" if running else "Transcriptions"
        extra = [f"{waiting} queued"] if waiting else []
        extra += [f"{failed} failed"] if failed else []
        self.button.setText(text + (f" ({', '.join(extra)})" if extra else ""))
        self.bar.setVisible(running)
        if running:
            self.bar.setValue(int(round(100 * self.queue.last_progress.get(self.queue.current, 0.0))))


BUNDLED = "bundled tiny.en (offline)"


class TranscriptionSettingsBox(QGroupBox):
    """Settings page section: which model, how many threads.  Checked before it is saved."""

    def __init__(self, store, queue: TranscriptionQueue, parent: QWidget | None = None):
        super().__init__("Transcription", parent)
        self.setObjectName("transcriptionSettings")
        self.store, self.queue = store, queue
        current = settings_from_store(store)
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.addItems([BUNDLED, "base.en", "small.en"])
        self.model.setCurrentText(current.model or BUNDLED)
        self.model.setToolTip("The bundled tiny.en works offline. A name such as base.en is fetched by "
                              "faster-whisper where a network exists; a folder is a CTranslate2 model.")
        browse = QPushButton("Folder…")
        browse.clicked.connect(self._browse)
        self.threads = QSpinBox()
        self.threads.setRange(1, 64)
        self.threads.setValue(current.threads)
        self.save = QPushButton("Save")
        self.save.clicked.connect(self.apply)
        self.message = QLabel()
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.model, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Model", row)
        form.addRow("CPU threads", self.threads)
        form.addRow(self.save, self.message)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "CTranslate2 Whisper model folder")
        if folder:
            self.model.setCurrentText(folder)

    def apply(self) -> bool:
        text = self.model.currentText().strip()
        spec = None if text in ("", BUNDLED) else text
        try:
            resolve_model(spec)
        except ModelNotFoundError as e:
            self.message.setText(str(e))
            return False
        self.store.set_meta(META_MODEL, spec or "")
        self.store.set_meta(META_THREADS, str(self.threads.value()))
        self.queue.apply_settings(settings_from_store(self.store))
        self.message.setText("Saved; used from the next transcription.")
        return True


class _CloseWatcher(QObject):
    def __init__(self, queue: TranscriptionQueue, parent: QObject):
        super().__init__(parent)
        self.queue = queue

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        if event.type() == QEvent.Type.Close:
            self.queue.shutdown()
        return False


def install_transcription_panel(window, start: bool = True) -> TranscriptionQueue:
    """Add the queue, its dock and its status-bar widget to the main window."""
    context = window.context
    queue = context.services.transcription_queue
    panel = TranscriptionPanel(queue)
    dock = QDockWidget("Transcriptions", window)
    dock.setObjectName("transcriptionsDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    status = TranscriptionStatus(queue)
    status.button.clicked.connect(lambda: dock.setVisible(not dock.isVisible()))
    window.statusBar().addPermanentWidget(status)
    window.transcription_panel, window.transcription_dock = panel, dock
    window.installEventFilter(_CloseWatcher(queue, window))
    context.on_change({"recordings"}, lambda _c: queue.kick(), queue)
    queue.job_finished.connect(lambda _rid, st, err: context.say(
        "Transcription finished." if st == "done" else f"Transcription {st}: {err}", 6000))
    # pages showing transcripts (Review) refresh on this
    queue.job_finished.connect(lambda _rid, st, _e: context.notify(Changes.of("transcripts")) if st == "done" else None)
    if start:
        queue.start()
    return queue
