"""Playing a take back on the Record page: QMediaPlayer + QVideoWidget, built on first use.

``unavailable`` says why nothing can be played (Qt's multimedia libraries do not load; ui/multimedia.py);
the page then keeps Play disabled and shows the reason, and recording works as before."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal

from ui.multimedia import playback_problem
from ui.pages.record_setup import mmss


class TakePlayer(QObject):
    """Owns the media player and its video widget; the page only asks it to play, pause or stop."""

    state_changed = Signal()
    position_text = Signal(str)      # "▶ 0:12 / 1:40"
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._player = None
        self.video_widget = None
        self.unavailable = playback_problem()     # None, or what is missing and the command that fixes it

    @property
    def created(self) -> bool:
        return self._player is not None

    def media_player(self):
        """The QMediaPlayer (and its video widget), created the first time a take is played. Only called
        when ``unavailable`` is None."""
        if self._player is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
            from PySide6.QtMultimediaWidgets import QVideoWidget
            self.video_widget = QVideoWidget()
            self._player = QMediaPlayer(self)
            self._audio = QAudioOutput(self)
            self._player.setAudioOutput(self._audio)
            self._player.setVideoOutput(self.video_widget)
            self._player.playbackStateChanged.connect(lambda *_: self.state_changed.emit())
            self._player.positionChanged.connect(lambda ms: self.position_text.emit(
                f"▶ {mmss(ms / 1000)} / {mmss(self._player.duration() / 1000)}"))
            self._player.errorOccurred.connect(lambda *_: self.failed.emit(
                f"This take cannot be played here: {self._player.errorString()}"))
        return self._player

    def is_playing(self) -> bool:
        if self._player is None:
            return False
        from PySide6.QtMultimedia import QMediaPlayer
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def toggle(self, path: Path, before_play=None) -> bool:
        """Pause if ``path`` is playing, else call ``before_play`` and play it. True when it starts."""
        player = self.media_player()
        source = QUrl.fromLocalFile(str(path))
        if player.source() != source:
            player.setSource(source)
        if self.is_playing():
            player.pause()
            return False
        if before_play is not None:
            before_play()
        player.play()
        return True

    def pause(self) -> None:
        if self._player is not None:
            self._player.pause()

    def stop(self) -> None:
        if self._player is not None:
            self._player.stop()
            self._player.setSource(QUrl())
