"""A strip under the player: speech segments, vocabulary hits, cited evidence and the playhead.

Click (or drag) anywhere to seek. Hovering a hit shows which term was heard.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

SEGMENT = QColor("#c9d6e3")
HIT = QColor("#e0a800")
EVIDENCE = QColor("#2e7d32")
PLAYHEAD = QColor("#c62828")


class TermTimeline(QWidget):
    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.duration = 0.0
        self.segments: list[tuple[float, float]] = []
        self.hits: list[tuple[float, float, str]] = []
        self.evidence: list[float] = []
        self.position = 0.0
        self.setMinimumHeight(34)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Vocabulary heard (gold), evidence cited (green). Click to seek.")

    def set_take(self, duration: float, segments, hits) -> None:
        self.duration = max(float(duration or 0.0), max((float(s["end"]) for s in segments), default=0.0))
        self.segments = [(float(s["start"]), float(s["end"])) for s in segments]
        self.hits = [(float(h["start"]), float(h["end"]), str(h.get("term") or h.get("text"))) for h in hits]
        self.evidence = []
        self.position = 0.0
        self.update()

    def set_evidence(self, moments) -> None:
        self.evidence = sorted(float(m) for m in moments if m is not None)
        self.update()

    def set_position(self, seconds: float) -> None:
        self.position = float(seconds)
        self.update()

    # -- geometry -----------------------------------------------------------------------------------
    def _track(self) -> QRectF:
        return QRectF(6, 8, max(1, self.width() - 12), self.height() - 16)

    def x_for(self, seconds: float) -> float:
        track = self._track()
        if self.duration <= 0:
            return track.left()
        return track.left() + track.width() * max(0.0, min(seconds, self.duration)) / self.duration

    def seconds_at(self, x: float) -> float:
        track = self._track()
        if self.duration <= 0:
            return 0.0
        return max(0.0, min(1.0, (x - track.left()) / track.width())) * self.duration

    def hit_at(self, x: float) -> tuple[float, float, str] | None:
        for hit in self.hits:
            if abs(self.x_for(hit[0]) - x) <= 4:
                return hit
        return None

    # -- painting and mouse -------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = self._track()
        p.fillRect(track, self.palette().alternateBase())
        mid = track.center().y()
        for a, b in self.segments:
            p.fillRect(QRectF(self.x_for(a), mid - 4, max(1.0, self.x_for(b) - self.x_for(a)), 8), SEGMENT)
        p.setPen(QPen(HIT, 3))
        for a, _b, _term in self.hits:
            x = self.x_for(a)
            p.drawLine(QPointF(x, track.top()), QPointF(x, track.bottom()))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(EVIDENCE)
        for m in self.evidence:
            x = self.x_for(m)
            tri = QPainterPath()
            tri.moveTo(x - 5, track.bottom() + 7)
            tri.lineTo(x + 5, track.bottom() + 7)
            tri.lineTo(x, track.bottom() + 1)
            tri.closeSubpath()
            p.drawPath(tri)
        p.setPen(QPen(PLAYHEAD, 2))
        x = self.x_for(self.position)
        p.drawLine(QPointF(x, 2), QPointF(x, self.height() - 2))
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.duration > 0:
            self.seek_requested.emit(self.seconds_at(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton and self.duration > 0:
            self.seek_requested.emit(self.seconds_at(event.position().x()))
            return
        hit = self.hit_at(event.position().x())
        if hit:
            QToolTip.showText(event.globalPosition().toPoint(), f"“{hit[2]}” at {int(hit[0]) // 60}:"
                              f"{int(hit[0]) % 60:02d}", self)
