"""The status bar's transient message, elided before the permanent widgets at its right.

QStatusBar draws a message itself and cuts it off mid-letter against the first permanent widget ("…or
record video only (microphone 'none'). ChBooth 3, Lisbon · Rita"). This label is the first permanent
widget and takes all the free space, so the status bar's own drawing gets no room; the label shows the
same message (``QStatusBar.messageChanged``), ending in "…" with a gap before the next widget, and the
whole message is its tooltip. ``showMessage``, timeouts, ``currentMessage`` and status tips stay Qt's.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar

GAP = 16      # pixels between the end of the message and the next widget
INDENT = 4    # the text starts where QStatusBar starts its own (6 px from the edge)


class StatusMessage(QLabel):
    def __init__(self, bar: QStatusBar):
        super().__init__(bar)
        self.setObjectName("statusMessage")
        self.full_text = ""
        # the layout may give it any width, however long the message: it never pushes the others away
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)
        self.setIndent(INDENT)        # not contents margins: an app style sheet resets those
        self.setTextFormat(Qt.TextFormat.PlainText)
        bar.insertPermanentWidget(0, self, 1)
        bar.messageChanged.connect(self.show_message)
        self.show_message(bar.currentMessage())

    def show_message(self, text: str) -> None:
        self.full_text = " ".join((text or "").split())     # one line, as the status bar shows it
        self._fit()

    @property
    def elided(self) -> bool:
        return self.text() != self.full_text

    def _fit(self) -> None:
        width = max(0, self.contentsRect().width() - INDENT - GAP)
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, width)
        self.setText(shown)
        self.setToolTip(self.full_text if shown != self.full_text else "")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._fit()
