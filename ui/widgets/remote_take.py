"""What a player shows for a take recorded on another station whose video is not here yet:

    Recorded on Booth 2: the video is on the hub.      [Download (12.3 MB)]
    ▓▓▓▓▓▓▓░░░░░  Downloading 5.1 / 12.3 MB            [Cancel]
    The hub at /mnt/kickoff cannot be reached: … Try again when the station is online.   [Try again]

The download is a ui.workers.media_fetch job (store.sync.ensure_media off the main thread); two players
asking for the same take share one download. ``downloaded(recording_id, path)`` when the file is here.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from store.take_media import TakeMedia, size_text
from ui.workers.media_fetch import NO_HUB, FetchJob, MediaFetcher


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f}"


class RemoteTakePanel(QWidget):
    downloaded = Signal(str, object)      # recording id, Path

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("remoteTake")
        self.fetcher: MediaFetcher | None = None
        self.media: TakeMedia | None = None
        self.job: FetchJob | None = None
        self.state = "idle"              # offer | downloading | error | idle
        self.message = QLabel()
        self.message.setObjectName("remoteTakeMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("remoteTakeProgress")
        self.progress.setTextVisible(True)
        self.progress.setMaximumWidth(360)
        self.button = QPushButton("Download")
        self.button.setObjectName("remoteTakeDownload")
        self.button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("remoteTakeCancel")
        self.cancel_button.clicked.connect(self.cancel)
        for b in (self.button, self.cancel_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)     # Space belongs to the page
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.progress, 3)
        row.addWidget(self.button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        lay.addWidget(self.message)
        lay.addLayout(row)
        lay.addStretch(1)

    # -- what to show ---------------------------------------------------------------------------------
    def show_take(self, fetcher: MediaFetcher, media: TakeMedia, station: str, auto: bool = False) -> None:
        self._detach()
        self.fetcher, self.media, self.station = fetcher, media, station
        running = fetcher.running.get(media.recording_id)
        if running is not None and running.running:
            self._follow(running)            # another player started it: show its progress
        elif not fetcher.config().hub:
            self._error(self._no_hub())
        elif auto:
            self.start()
        else:
            self._offer()

    def _offer(self, note: str = "") -> None:
        self.state = "offer"
        size = size_text(self.media.size if self.media else None)
        self.message.setText((note + "\n" if note else "")
                             + f"Recorded on {self.station}: the video is on the hub, not on this station yet.")
        self.button.setText(f"Download ({size})" if size else "Download")
        self._show(progress=False, button=True, cancel=False)

    def _error(self, text: str) -> None:
        self.state = "error"
        self.message.setText(text)
        self.button.setText("Try again")
        self._show(progress=False, button=True, cancel=False)

    def _show(self, progress: bool, button: bool, cancel: bool) -> None:
        self.progress.setVisible(progress)
        self.button.setVisible(button)
        self.cancel_button.setVisible(cancel)
        self.cancel_button.setEnabled(cancel)

    # -- downloading ----------------------------------------------------------------------------------
    def start(self) -> None:
        if self.fetcher is None or self.media is None or self.state == "downloading":
            return
        self._follow(self.fetcher.fetch(self.media.recording_id))

    def _follow(self, job: FetchJob) -> None:
        self.job = job
        self.state = "downloading"
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        self.message.setText(f"Recorded on {self.station}: downloading the video from the hub…")
        total = job.total
        self.progress.setRange(0, 1000 if total else 0)
        self.progress.setValue(0)
        self.progress.setFormat(f"0.0 / {_mb(total)} MB" if total else "Starting…")
        self._show(progress=True, button=False, cancel=True)

    def cancel(self) -> None:
        if self.job is not None and self.state == "downloading":
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.progress.setFormat("Cancelling…")

    @Slot(object, object)
    def _on_progress(self, done: int, total: int) -> None:
        if self.state != "downloading" or (self.job is not None and self.job.cancelling):
            return
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(done, total) / total))
            self.progress.setFormat(f"{_mb(done)} / {_mb(total)} MB")
        else:
            self.progress.setFormat(f"{_mb(done)} MB")

    @Slot(str, object, str, str)
    def _on_finished(self, recording_id: str, path, outcome: str, message: str) -> None:
        if self.media is None or recording_id != self.media.recording_id:
            return
        self._detach()
        if outcome == "done":
            self.state = "idle"
            self.downloaded.emit(recording_id, Path(path))
        elif outcome == "cancelled":
            self._offer("Download cancelled.")
        elif outcome == "no_hub":
            self._error(self._no_hub())
        else:
            self._error(message)

    def _no_hub(self) -> str:
        return f"Recorded on {self.station}: the video is not on this station. {NO_HUB}"

    def _detach(self) -> None:
        """Stop listening to a download (it goes on; the file lands for next time)."""
        job, self.job = self.job, None
        if job is not None:
            for signal, slot in ((job.progress, self._on_progress), (job.finished, self._on_finished)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
        self.state = "idle"

    def leave(self) -> None:
        """The player shows something else now."""
        self._detach()
        self.media = None
