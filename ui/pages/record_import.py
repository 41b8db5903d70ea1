"""The Record page's way in for recordings made elsewhere — the answer when the station has no working
camera: "Import…" opens a file dialog, then recorder.media_import runs on a thread (a file
that needs re-encoding takes a while) and the take joins the page's open takes, to play back and submit.
Also the notice that says what the page cannot do here (no camera, no playback) and what to do instead."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

from ui.workers.import_worker import ImportWorker, start_import_thread

FILE_FILTER = ("Recordings (*.mp4 *.mov *.m4v *.mkv *.webm *.avi *.wav *.mp3 *.m4a *.aac *.ogg *.opus *.flac);;"
               "All files (*)")
NO_CAMERA = ("No camera was found on this station. Record audio only (camera 'none'), or add a recording "
             "made elsewhere, on a phone or in another app, with Import… below.")
CAMERA_FAILED = "The camera gives no picture. You can still add a recording made elsewhere with Import… below."


class RecordImport(QObject):
    """Owns the Import button and the notice label; the page places both and reports its state."""
    imported = Signal(object)       # recorder.media_import.ImportedRecording, stored as an open take
    said = Signal(str, bool)        # text, is it an error
    idle = Signal()                 # an import ended (stored or not): the page updates its buttons

    def __init__(self, store, who: Callable[[], tuple[str, str, str | None] | str], parent=None):
        """``who() -> (rep id, exercise id, partner id)``, or a sentence saying what to choose first."""
        super().__init__(parent)
        self.store, self.who = store, who
        self._thread: QThread | None = None
        self._worker: ImportWorker | None = None
        self.button = QPushButton("Import…")      # short: the row holds five buttons at 1200 px
        self.button.setToolTip("Import a recording made elsewhere (a video or audio file from a phone or "
                               "another app) as a take")
        self.button.setAccessibleName("Import a recording")
        self.button.clicked.connect(self.choose_file)
        self.notice = QLabel()
        self.notice.setObjectName("errorText")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self._camera = ""
        self._playback = ""

    @property
    def running(self) -> bool:
        return self._worker is not None

    # --- the notice ----------------------------------------------------------------------------------
    def set_camera_problem(self, text: str) -> None:
        self._camera = text
        self._show()

    def set_playback_problem(self, text: str | None) -> None:
        self._playback = text or ""
        self._show()

    def _show(self) -> None:
        text = "\n".join(t for t in (self._camera, self._playback) if t)
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # --- importing ------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        who = self.who()
        if isinstance(who, str):
            self.said.emit(who, True)
            return
        parent = self.parent() if isinstance(self.parent(), QObject) else None
        path, _ = QFileDialog.getOpenFileName(parent, "Import a recording", str(Path.home()), FILE_FILTER)
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Import ``path`` for whoever and whatever the page has chosen (the dialog's second half)."""
        who = self.who()
        if isinstance(who, str):
            self.said.emit(who, True)
            return
        if self.running:
            return
        rep_id, exercise_id, partner_id = who
        self.button.setEnabled(False)
        self.said.emit(f"Importing {path.name}… (a file that is not H.264/AAC MP4 is re-encoded first)", False)
        self._worker = ImportWorker(self.store, path, rep_id, exercise_id, partner_id)
        self._worker.succeeded.connect(self._on_succeeded)
        self._worker.failed.connect(self._on_failed)
        self._worker.finished.connect(self._on_finished)
        self._thread = start_import_thread(self._worker, self)

    def _on_succeeded(self, imported) -> None:
        self.imported.emit(imported)

    def _on_failed(self, text: str) -> None:
        self.said.emit(text, True)

    def _on_finished(self) -> None:
        self._worker = None
        self._thread = None
        self.idle.emit()

    def wait(self, ms: int = 30000) -> None:
        """Quitting: let a running import finish (it is a file copy or an encode that keeps nothing half-done)."""
        if self._thread is not None:
            try:
                self._thread.wait(ms)
            except RuntimeError:      # already finished and deleted
                pass
