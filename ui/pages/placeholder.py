"""A page that says plainly what it will hold, until its issue lands."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    TITLE = ""
    WILL_HOLD = ""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        title = QLabel(self.TITLE)
        title.setObjectName("pageTitle")
        body = QLabel(self.WILL_HOLD)
        body.setWordWrap(True)
        body.setObjectName("emptyState")
        body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addStretch(1)
