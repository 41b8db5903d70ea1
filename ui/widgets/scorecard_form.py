"""The scorecard: every criterion of the exercise's rubric, timestamped comments, an overall comment.

The form holds no rules and writes nothing: the page turns ``draft_parts()`` into a ScorecardDraft and
calls ``ScoreRepo.submit`` (which enforces the rules), then shows the result or the refusal here.

Keys (handled by the page, forwarded here): 1-5 score the focused criterion, N / Down next criterion,
P / Up previous, E cite the current moment for the focused criterion.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QPushButton, QScrollArea, QVBoxLayout, QWidget)

from store.scores import CriterionScore, Scorecard, TimedComment
from ui.widgets.player import clock
from ui.widgets.scorecard_criterion import CriterionRow


class ScorecardForm(QWidget):
    submit_requested = Signal()
    seek_requested = Signal(float)
    evidence_changed = Signal(list)        # moments cited so far, for the timeline

    def __init__(self, now: Callable[[], float], parent: QWidget | None = None):
        super().__init__(parent)
        self.now = now
        self.rows: list[CriterionRow] = []
        self.focus_index = 0
        self.comments: list[TimedComment] = []
        self.dirty = False                 # changed by the reviewer since the last load
        self._loading = False
        self.header = QLabel("Scorecard")
        self.header.setObjectName("sectionTitle")
        self.header.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.version_label = QLabel()
        self.version_label.setStyleSheet("color:#667")
        self.rows_box = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(6)

        self.comment_list = QListWidget()
        self.comment_list.setMaximumHeight(80)
        self.comment_list.itemDoubleClicked.connect(self._on_comment_clicked)
        self.comment_list.setToolTip("Double-click to play from a comment's moment; Delete removes it")
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.comment_list, self.remove_comment,
                           context=Qt.ShortcutContext.WidgetShortcut)
        remove.setObjectName("removeComment")
        self.comment_edit = QLineEdit()
        self.comment_edit.setPlaceholderText("A comment at the current moment…")
        self.comment_edit.returnPressed.connect(self.add_comment)
        self.comment_button = QPushButton("Add at 0:00")
        self.comment_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.comment_button.clicked.connect(self.add_comment)
        add_row = QHBoxLayout()
        add_row.addWidget(self.comment_edit, 1)
        add_row.addWidget(self.comment_button)
        self.overall = QPlainTextEdit()
        self.overall.setPlaceholderText("Overall: one thing that worked, one thing to try next time")
        self.overall.setMaximumHeight(64)
        self.overall.setTabChangesFocus(True)
        self.overall.textChanged.connect(self._mark_dirty)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("formMessage")
        self.submit_button = QPushButton("Submit scorecard")
        self.submit_button.setObjectName("primary")
        self.submit_button.setToolTip("Submit (Ctrl+Enter)")
        self.submit_button.clicked.connect(self.submit_requested)

        inner = QWidget()
        body = QVBoxLayout(inner)
        body.setContentsMargins(0, 0, 4, 0)
        body.addWidget(self.rows_box)
        body.addWidget(QLabel("<b>Timestamped comments</b>"))
        body.addWidget(self.comment_list)
        body.addLayout(add_row)
        body.addWidget(QLabel("<b>Overall comment</b>"))
        body.addWidget(self.overall)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        self.scroll = scroll
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.header)
        head.addStretch(1)
        head.addWidget(self.version_label)
        lay.addLayout(head)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.message)
        lay.addWidget(self.submit_button)
        self.set_enabled_for("Choose a take to score.")

    # -- content --------------------------------------------------------------------------------------
    def set_rubric(self, criteria: list[dict]) -> None:
        self._loading = True
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for i, c in enumerate(criteria, start=1):
            row = CriterionRow(i, c, self.now)
            row.activated.connect(self._on_activated)
            row.changed.connect(self._on_changed)
            row.seek_requested.connect(self.seek_requested)
            self.rows_layout.addWidget(row)
            self.rows.append(row)
        self.comments = []
        self.comment_list.clear()
        self.overall.clear()
        self.message.clear()
        self.focus(0)
        self._on_changed()
        self._loading = False
        self.dirty = False

    def load(self, card: Scorecard | None) -> None:
        """Prefill from the scorer's current scorecard (to revise it), or start blank."""
        self._loading = True
        for row in self.rows:
            s = card.scores.get(row.criterion["id"]) if card else None
            row.set_score(s.score if s else None)
            row.set_evidence(s.evidence_s if s else None)
            row.comment.setText(s.comment if s else "")
        self.comments = list(card.comments) if card else []
        self._refresh_comments()
        self.overall.setPlainText(card.overall_comment if card else "")
        if card:
            self.version_label.setText(f"your version {card.version}, {card.submitted_at[:16].replace('T', ' ')}")
            self.submit_button.setText(f"Submit revision (version {card.version + 1})")
        else:
            self.version_label.setText("not scored by you yet")
            self.submit_button.setText("Submit scorecard")
        self.focus(0)
        self._on_changed()
        self._loading = False
        self.dirty = False

    # -- unsubmitted work -----------------------------------------------------------------------------
    def snapshot(self) -> dict:
        """What the reviewer has entered, to restore if they come back to this take before submitting."""
        return {"rows": {r.criterion["id"]: (r.score, r.evidence_s, r.comment.text()) for r in self.rows},
                "comments": list(self.comments), "overall": self.overall.toPlainText()}

    def restore(self, snap: dict) -> None:
        for row in self.rows:
            score, evidence, comment = snap["rows"].get(row.criterion["id"], (None, None, ""))
            row.set_score(score)
            row.set_evidence(evidence)
            row.comment.setText(comment)
        self.comments = list(snap["comments"])
        self._refresh_comments()
        self.overall.setPlainText(snap["overall"])
        self.dirty = True

    def set_enabled_for(self, reason: str | None) -> None:
        """Enable the form, or disable it with a reason shown to the reviewer."""
        enabled = reason is None
        self.scroll.setEnabled(enabled)
        self.submit_button.setEnabled(enabled)
        if reason:
            self.message.setText(reason)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color:#b71c1c" if error else "color:#1b5e20")
        self.message.setText(text)

    # -- keyboard actions -----------------------------------------------------------------------------
    def focus(self, index: int) -> None:
        if not self.rows:
            return
        self.focus_index = max(0, min(index, len(self.rows) - 1))
        for i, row in enumerate(self.rows):
            row.set_focused(i == self.focus_index)
        self.scroll.ensureWidgetVisible(self.rows[self.focus_index], 0, 20)
        self.scroll.horizontalScrollBar().setValue(0)

    def next_criterion(self) -> None:
        self.focus(self.focus_index + 1 if self.focus_index + 1 < len(self.rows) else 0)

    def previous_criterion(self) -> None:
        self.focus(self.focus_index - 1 if self.focus_index > 0 else len(self.rows) - 1)

    def score_focused(self, value: int) -> None:
        if self.rows and self.scroll.isEnabled():
            self.rows[self.focus_index].set_score(value)

    def cite_focused(self) -> None:
        if self.rows and self.scroll.isEnabled():
            self.rows[self.focus_index].cite()

    def add_comment(self) -> None:
        text = self.comment_edit.text().strip()
        if not text:
            return
        self.comments.append(TimedComment(text, round(self.now(), 1)))
        self.comments.sort(key=lambda c: (c.at_s is None, c.at_s or 0))
        self.comment_edit.clear()
        self._refresh_comments()
        self._mark_dirty()

    def remove_comment(self) -> None:
        row = self.comment_list.currentRow()
        if 0 <= row < len(self.comments):
            del self.comments[row]
            self._refresh_comments()
            self._mark_dirty()

    def update_time(self, seconds: float) -> None:
        self.comment_button.setText(f"Add at {clock(seconds)}")

    # -- reading --------------------------------------------------------------------------------------
    def missing(self) -> list[str]:
        return [row.criterion["title"] for row in self.rows if row.score is None]

    def draft_parts(self) -> tuple[list[CriterionScore], list[TimedComment], str]:
        scores = [CriterionScore(row.criterion["id"], row.score, row.evidence_s, row.comment.text().strip())
                  for row in self.rows if row.score is not None]
        return scores, list(self.comments), self.overall.toPlainText().strip()

    # -- internals ------------------------------------------------------------------------------------
    def _on_activated(self, row: CriterionRow) -> None:
        self.focus(self.rows.index(row))

    def _mark_dirty(self, *_args) -> None:
        if not self._loading:
            self.dirty = True

    def _on_changed(self) -> None:
        self._mark_dirty()
        self.evidence_changed.emit([r.evidence_s for r in self.rows if r.evidence_s is not None])
        done = len(self.rows) - len(self.missing())
        self.header.setText(f"Scorecard · {done}/{len(self.rows)} scored")

    def _refresh_comments(self) -> None:
        self.comment_list.clear()
        for c in self.comments:
            item = QListWidgetItem(f"{clock(c.at_s)}  {c.text}" if c.at_s is not None else c.text)
            item.setData(Qt.ItemDataRole.UserRole, c.at_s)
            self.comment_list.addItem(item)

    def _on_comment_clicked(self, item: QListWidgetItem) -> None:
        at = item.data(Qt.ItemDataRole.UserRole)
        if at is not None:
            self.seek_requested.emit(float(at))
