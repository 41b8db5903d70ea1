"""Shows the latest camera frame, scaled to fit and keeping its shape; a message when there is none."""
from __future__ import annotations

import time

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget


class VideoPreview(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self._image: QImage | None = None
        self._message = "No camera preview"
        self.overlay = ""             # big text over the picture (the 3-2-1 countdown)
        self.badge = ""               # small text in a corner ("REC 00:12")
        self.frames_shown = 0
        self._fps_window: list[float] = []

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    def set_image(self, image: QImage) -> None:
        self._image = image
        self.frames_shown += 1
        now = time.monotonic()
        self._fps_window = [t for t in self._fps_window if now - t < 2.0] + [now]
        self.update()

    @property
    def fps(self) -> float:
        w = self._fps_window
        return (len(w) - 1) / (w[-1] - w[0]) if len(w) > 2 and w[-1] > w[0] else 0.0

    def clear(self, message: str) -> None:
        self._image = None
        self._message = message
        self.update()

    def set_overlay(self, text: str) -> None:
        self.overlay = text
        self.update()

    def set_badge(self, text: str) -> None:
        self.badge = text
        self.update()

    def paintEvent(self, event) -> None:  # noqa: ARG002, N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#111"))
        if self._image is not None and not self._image.isNull():
            size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (self.width() - size.width()) / 2
            y = (self.height() - size.height()) / 2
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(QRectF(x, y, size.width(), size.height()), self._image)
        else:
            p.setPen(QColor("#aaa"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message)
        if self.badge:
            f = p.font()
            f.setBold(True)
            p.setFont(f)
            r = QRectF(10, 10, 150, 26)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(180, 20, 20, 220))
            p.drawRoundedRect(r, 5, 5)
            p.setPen(QColor("white"))
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, self.badge)
        if self.overlay:
            f = p.font()
            f.setPointSize(max(24, self.height() // 5))
            f.setBold(True)
            p.setFont(f)
            p.setPen(QColor(255, 255, 255, 235))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.overlay)
        p.end()
