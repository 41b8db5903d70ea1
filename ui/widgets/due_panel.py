"""'Due for you': the current rep's re-practice prompts and re-certification, on the Record page.

Hidden when nothing is due. The dates come from scoring/reinforcement.py through
store/certification_due.py; the panel refreshes when the person changes or data changes.
"""
from __future__ import annotations

import html
from datetime import date
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from store.certification_due import due_for

ICONS = {"expired": "⚠", "recertify": "⏳", "practice": "↻"}


class DuePanel(QFrame):
    def __init__(self, context, parent: QWidget | None = None, today: Callable[[], date] | None = None):
        super().__init__(parent)
        self.context = context
        self.today = today or date.today
        self.setObjectName("duePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#duePanel { background: #fff8e1; border: 1px solid #f0d48a; border-radius: 4px; }")
        self.label = QLabel()
        self.label.setObjectName("dueText")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.addWidget(self.label)
        self.reminders: list = []
        context.person_changed.connect(lambda _p: self.refresh())
        context.on_change({"recordings", "scores", "signoffs", "kit"}, lambda _c: self.refresh(), self)
        self.refresh()

    def refresh(self) -> None:
        person = self.context.person
        today = self.today()
        self.reminders = due_for(self.context.store, person.id, today) if person else []
        if not self.reminders:
            self.label.clear()
            self.setVisible(False)
            return
        lines = [f"{ICONS.get(r.kind, '•')} {html.escape(r.text(today))}" for r in self.reminders]
        self.label.setText(f"<b>Due for {html.escape(person.name)}</b><br>" + "<br>".join(lines))
        self.setVisible(True)
