"""The Coach page: the queue of takes with peer aggregates (sortable, flagged), agreement between
scorers and their bias, coaching notes, and the exemplar library ("how the best of us do it")."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from store.changes import Changes
from store.review_queries import ReviewQueries
from store.scores import ScoreRepo
from ui.widgets.coach_agreement import AgreementPanel
from ui.widgets.coach_exemplars import ExemplarLibrary
from ui.widgets.coach_queue import CoachQueue
from ui.widgets.coach_take import CoachTakePanel


class CoachPage(QWidget):
    TITLE = "Coach"

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.queries = ReviewQueries(context.store)
        self.scores = ScoreRepo(context.store)
        title = QLabel(self.TITLE)
        title.setObjectName("pageTitle")
        self.who = QLabel()
        self.who.setStyleSheet("color:#667")
        self.queue = CoachQueue(context, self.queries)
        self.take = CoachTakePanel(context, self.queries, self.scores)
        self.queue.take_selected.connect(self.take.show_take)
        self.take.changed.connect(self._on_take_changed)
        self.take.open_in_review.connect(self.open_in_review)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.queue)
        split.addWidget(self.take)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([700, 420])
        self.agreement = AgreementPanel(context, self.queries)
        self.library = ExemplarLibrary(context, self.queries, self.scores)
        self.library.take_chosen.connect(self.show_in_queue)
        self.tabs = QTabWidget()
        self.tabs.addTab(split, "Queue")
        self.tabs.addTab(self.agreement, "Agreement && bias")
        self.tabs.addTab(self.library, "Exemplars")
        root = QVBoxLayout(self)
        root.addWidget(title)
        root.addWidget(self.who)
        root.addWidget(self.tabs, 1)
        context.on_change({"kit"}, self._on_kit, self)
        context.on_change({"scores", "recordings", "notes", "exemplars", "kit"}, self._on_data, self)
        context.on_change({"media"}, lambda _c: self.take.player.media_arrived(), self)
        context.person_changed.connect(lambda _p: self._show_who())
        context.people_changed.connect(self.queue.load_choices)
        self._show_who()
        self.queue.reload()

    def _show_who(self) -> None:
        p = self.context.person
        if p is None:
            self.who.setText("Choose who you are (Ctrl+P): coaching notes and exemplars need a coach.")
        elif p.role not in ("coach", "certifier"):
            self.who.setText(f"{p.name} is a {p.role}: you can read the queue; notes and exemplars need a coach.")
        else:
            self.who.setText(f"Coaching as {p.name}.")

    def show_in_queue(self, recording_id: str) -> None:
        self.tabs.setCurrentIndex(0)
        if not self.queue.select(recording_id):
            self.queue.exercise.setCurrentIndex(0)
            self.queue.team.setCurrentIndex(0)
            self.queue.flagged.setChecked(False)
            self.queue.select(recording_id)

    def open_in_review(self, recording_id: str) -> None:
        window = self.window()
        if hasattr(window, "page") and hasattr(window, "show_page"):
            from ui.main_window import PAGES
            window.show_page(next(i for i, s in enumerate(PAGES) if s.key == "review"))
            window.page("review").open_take(recording_id)

    def _on_take_changed(self, recording_id: str, what: str) -> None:
        index = self.queue.table.currentIndex()
        self.queue.model.dataChanged.emit(self.queue.model.index(index.row(), 0),
                                          self.queue.model.index(index.row(), self.queue.model.columnCount() - 1))
        self.context.notify(Changes.of("exemplars" if what == "exemplar" else "notes"), origin=self)
        if what == "exemplar":
            self.library.refresh()

    def shutdown(self) -> None:
        self.take.shutdown()

    def _on_kit(self, _changes: Changes) -> None:
        self.queries.forget_kit()
        self.queue.load_choices()
        self.agreement.load_choices()

    def _on_data(self, changes: Changes) -> None:
        self.queue.reload()       # rows carry aggregates, note counts and the exemplar mark; the open
        if changes.exemplars:     # take is shown again from its fresh row when the queue reselects it
            self.library._loaded = False
            if self.library.isVisible():
                self.library.refresh()
        if changes.touches({"scores", "recordings", "kit"}):
            self.agreement._loaded = False
            if self.agreement.isVisible():
                self.agreement.refresh()
