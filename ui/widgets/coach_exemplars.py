"""The exemplar library per exercise: current exemplars (retire one) and suggested candidates
(scoring/exemplars.py: enough scorers, required criteria met, peers agree, best cautious total)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from store.changes import Changes
from store.review_queries import ReviewQueries
from store.scores import ScoreRepo, ScoringError


class ExemplarLibrary(QWidget):
    take_chosen = Signal(str)          # a suggestion or exemplar to look at in the queue

    def __init__(self, context, queries: ReviewQueries, scores: ScoreRepo, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.queries = queries
        self.scores = scores
        self.exercise = QComboBox()
        self.exercise.setAccessibleName("Exercise")
        for e in context.kit.exercises():
            self.exercise.addItem(e["title"], e["id"])
        self.current = QListWidget()
        self.current.setObjectName("exemplarList")
        self.suggested = QListWidget()
        self.suggested.setObjectName("exemplarSuggestions")
        self.retire_button = QPushButton("Retire selected exemplar")
        self.retire_button.clicked.connect(self.retire)
        self.message = QLabel()
        for lst in (self.current, self.suggested):
            lst.itemDoubleClicked.connect(lambda item: self.take_chosen.emit(item.data(Qt.ItemDataRole.UserRole + 1)))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Exercise"))
        bar.addWidget(self.exercise, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(QLabel("<b>Exemplars</b> — shown first on the Record page of this exercise"))
        lay.addWidget(self.current, 1)
        lay.addWidget(self.retire_button)
        lay.addWidget(QLabel("<b>Suggested</b> — agreed-upon high scorers not yet promoted "
                             "(double-click to open in the queue)"))
        lay.addWidget(self.suggested, 1)
        lay.addWidget(self.message)
        self.exercise.currentIndexChanged.connect(self.refresh)
        self._loaded = False

    def refresh(self, *_args) -> None:
        ex = self.exercise.currentData()
        self.current.clear()
        self.suggested.clear()
        if ex is None:
            return
        for x in self.scores.exemplars(ex):
            item = QListWidgetItem(f"★ {x['rep']} — “{x['reason']}” (promoted by {x['promoted_by']})")
            item.setData(Qt.ItemDataRole.UserRole, x["id"])
            item.setData(Qt.ItemDataRole.UserRole + 1, x["recording_id"])
            self.current.addItem(item)
        queue = self.queries.coach_queue(ex)
        names = {r.recording_id: r for r in queue}
        for c in self.queries.exemplar_suggestions(ex, rows=queue):
            row = names.get(c.take_id)
            item = QListWidgetItem(f"{row.rep if row else '?'} — total {c.total:.2f} from {c.scorers} scorers")
            item.setData(Qt.ItemDataRole.UserRole + 1, c.take_id)
            self.suggested.addItem(item)
        if self.suggested.count() == 0:
            self.suggested.addItem("No candidates yet: they need 3+ scorers who agree and a total ≥ 4.")
        self._loaded = True

    def retire(self) -> None:
        item = self.current.currentItem()
        person = self.context.person
        if item is None or person is None:
            self.message.setText("Choose an exemplar (and who you are) first.")
            return
        try:
            self.scores.retire_exemplar(item.data(Qt.ItemDataRole.UserRole), person.id)
        except ScoringError as exc:
            self.message.setText(str(exc))
            return
        self.context.notify(Changes.of("exemplars"), origin=self)
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._loaded:
            self.refresh()
