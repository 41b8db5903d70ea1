"""One take in the coach's hands: the take itself (a take recorded on another station is downloaded
on demand), its aggregate per criterion, each peer's scorecard, coaching notes, and "promote as
exemplar" with a reason."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from scoring.rubric import rules_from_rows
from scoring.aggregate import scorecard_total
from store.review_queries import QueueRow, ReviewQueries
from store.scores import ScoreRepo, ScoringError
from ui.widgets.player import TakePlayer, clock


def _num(value) -> str:
    return "–" if value is None else f"{value:.2f}"


class CoachTakePanel(QWidget):
    changed = Signal(str, str)            # recording id, what changed ("note" | "exemplar")
    open_in_review = Signal(str)

    def __init__(self, context, queries: ReviewQueries, scores: ScoreRepo, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.queries = queries
        self.scores = scores
        self.row: QueueRow | None = None
        self.title = QLabel("Choose a take in the queue.")
        self.title.setStyleSheet("font-weight:600; font-size:14px;")
        self.title.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.player = TakePlayer(context.services.media)
        self.player.setObjectName("coachPlayer")
        self.criteria = QTableWidget(0, 5)
        self.criteria.setObjectName("criterionAggregates")
        self.criteria.setHorizontalHeaderLabels(["Criterion", "Mean", "Spread", "Range", "n"])
        header = self.criteria.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.criteria.verticalHeader().setVisible(False)
        self.criteria.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.criteria.setMaximumHeight(130)
        self.cards = QListWidget()
        self.cards.setObjectName("peerScorecards")
        self.cards.setMaximumHeight(130)
        self.cards.setWordWrap(True)
        self.notes = QListWidget()
        self.notes.setObjectName("coachNotes")
        self.notes.setMaximumHeight(90)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("A coaching note for this rep…")
        self.note_edit.returnPressed.connect(self.add_note)
        self.note_button = QPushButton("Add note")
        self.note_button.clicked.connect(self.add_note)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Why is this how the best of us do it?")
        self.reason_edit.returnPressed.connect(self.promote)
        self.promote_button = QPushButton("Promote as exemplar")
        self.promote_button.clicked.connect(self.promote)
        self.review_button = QPushButton("Watch in Review")
        self.review_button.clicked.connect(lambda: self.row and self.open_in_review.emit(self.row.recording_id))
        self.message = QLabel()
        self.message.setWordWrap(True)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.note_button)
        promote_row = QHBoxLayout()
        promote_row.addWidget(self.reason_edit, 1)
        promote_row.addWidget(self.promote_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.summary)
        lay.addWidget(self.player, 1)
        lay.addWidget(self.criteria)
        lay.addWidget(QLabel("<b>Peer scorecards</b> (current versions)"))
        lay.addWidget(self.cards)
        lay.addWidget(QLabel("<b>Coaching notes</b>"))
        lay.addWidget(self.notes)
        lay.addLayout(note_row)
        lay.addWidget(QLabel("<b>Exemplar</b>"))
        lay.addLayout(promote_row)
        lay.addWidget(self.review_button)
        lay.addWidget(self.message)
        self.setEnabled(False)

    def show_take(self, row: QueueRow | None) -> None:
        self.row = row
        self.message.clear()
        self.setEnabled(row is not None)
        if row is None:
            self.title.setText("Choose a take in the queue.")
            self.player.clear()
            return
        agg = row.aggregate
        self.title.setText(f"{row.rep}{' · ' + row.team if row.team else ''} · {row.exercise}")
        self.summary.setText(f"Weighted total <b>{_num(agg.total)}</b> of 5 from {agg.scorers} scorer(s)"
                             + (f" · <span style='color:#b26a00'>{', '.join(agg.flags)}</span>" if agg.flags else ""))
        detail = self.queries.take(row.recording_id)
        if self.player.recording_id != row.recording_id:      # the same take again (a refresh): keep playing
            self.player.load_take(row.recording_id, detail.duration_s if detail else None)
        criteria = detail.criteria if detail else []
        self.criteria.setRowCount(len(criteria))
        for i, c in enumerate(criteria):
            a = agg.criteria.get(c["id"])
            cells = [c["title"], _num(a.mean if a else None), _num(a.spread if a else None),
                     f"{a.low}–{a.high}" if a and a.n else "–", str(a.n if a else 0)]
            for j, text in enumerate(cells):
                self.criteria.setItem(i, j, QTableWidgetItem(text))
        rules = rules_from_rows(criteria)
        self.cards.clear()
        for card in self.scores.current_cards(row.recording_id):
            total = scorecard_total({k: s.score for k, s in card.scores.items()}, rules)
            note = f" — “{card.overall_comment}”" if card.overall_comment else ""
            self.cards.addItem(f"{card.scorer_name}: {_num(total)} (v{card.version}){note}")
        self._load_notes()
        self.promote_button.setEnabled(not row.exemplar)
        self.reason_edit.setEnabled(not row.exemplar)
        self.promote_button.setText("Already an exemplar ★" if row.exemplar else "Promote as exemplar")

    def _load_notes(self) -> None:
        self.notes.clear()
        for n in self.scores.coach_notes(self.row.recording_id):
            at = f"[{clock(n['at_s'])}] " if n["at_s"] is not None else ""
            self.notes.addItem(f"{at}{n['text']} — {n['author']}")

    def _coach(self):
        person = self.context.person
        if person is None:
            self.message.setText("Choose who you are (Ctrl+P) first.")
        return person

    def add_note(self) -> None:
        person = self._coach()
        if person is None or self.row is None:
            return
        try:
            self.scores.add_coach_note(self.row.recording_id, person.id, self.note_edit.text())
        except ScoringError as exc:
            self.message.setText(str(exc))
            return
        self.note_edit.clear()
        self.row.notes += 1
        self._load_notes()
        self.changed.emit(self.row.recording_id, "note")

    def promote(self) -> None:
        person = self._coach()
        if person is None or self.row is None:
            return
        try:
            self.scores.promote_exemplar(self.row.recording_id, person.id, self.reason_edit.text())
        except ScoringError as exc:
            self.message.setText(str(exc))
            return
        self.reason_edit.clear()
        self.row.exemplar = True
        self.show_take(self.row)
        self.message.setText("Promoted: reps see it first on the Record page of this exercise.")
        self.changed.emit(self.row.recording_id, "exemplar")

    def hideEvent(self, event) -> None:  # noqa: N802 (leaving the page stops the sound)
        self.player.pause()
        super().hideEvent(event)

    def shutdown(self) -> None:
        self.player.shutdown()
