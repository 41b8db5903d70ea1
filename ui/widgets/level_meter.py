"""A horizontal microphone level meter (dBFS) with a short peak hold."""
from __future__ import annotations

import time

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DB = -60.0


class LevelMeter(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Microphone level")
        self.db = FLOOR_DB
        self.peak_db = FLOOR_DB
        self._peak_at = 0.0

    def sizeHint(self) -> QSize:
        return QSize(240, 14)

    def set_level(self, db: float, peak: float = 0.0) -> None:  # noqa: ARG002 - peak kept for signals
        self.db = max(FLOOR_DB, min(0.0, float(db)))
        now = time.monotonic()
        if self.db >= self.peak_db or now - self._peak_at > 1.5:
            self.peak_db, self._peak_at = self.db, now
        self.update()

    def reset(self) -> None:
        self.db = self.peak_db = FLOOR_DB
        self.update()

    def fraction(self) -> float:
        return (self.db - FLOOR_DB) / -FLOOR_DB

    def paintEvent(self, event) -> None:  # noqa: ARG002, N802
        p = QPainter(self)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(QColor("#555"))
        p.setBrush(QColor("#1e1e1e"))
        p.drawRoundedRect(r, 3, 3)
        inner = r.adjusted(2, 2, -2, -2)
        width = inner.width() * self.fraction()
        color = QColor("#3fb950") if self.db < -12 else QColor("#d29922") if self.db < -3 else QColor("#f85149")
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawRect(QRectF(inner.left(), inner.top(), width, inner.height()))
        x = inner.left() + inner.width() * (self.peak_db - FLOOR_DB) / -FLOOR_DB
        p.setBrush(QColor("#ddd"))
        p.drawRect(QRectF(x - 1, inner.top(), 2, inner.height()))
        p.end()
