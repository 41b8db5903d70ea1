"""The Dashboard (issue #8): leaderboards, vocabulary adoption, engagement after the event, scores.

Figures come from store/analytics/ (the same numbers `rolecall report` prints), computed on a
background thread (ui/widgets/dashboard_worker.py); the page only draws them. Filters: date range,
team, exercise, weekly or daily buckets. Every card exports PNG and CSV. A rep can hide themself from
other people's leaderboards here (people.hidden).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QStackedWidget, QTabWidget, QVBoxLayout,
                               QWidget)

from store import analytics
from store.analytics import DashboardData
from ui.context import AppContext
from ui.widgets.chart_card import ChartCard
from ui.widgets.dashboard_filters import FilterBar
from ui.widgets.dashboard_tabs import AdoptionTab, EngagementTab, LeaderboardTab, ScoresTab
from ui.widgets.dashboard_worker import DashboardWorker

EMPTY_TEXT = (
    "No takes yet, so there is nothing to chart.\n\n"
    "Once reps submit takes on the Record page and peers score them on the Review page, this page "
    "shows the leaderboards, how the team's vocabulary is being adopted, follow-up engagement and "
    "score distributions.\n\n"
    "To try the dashboard on a practice station: rolecall --data-dir DIR demo-data --recordings 500")


class DashboardPage(QWidget):
    rendered = Signal()    # the tab on screen shows the current filters' figures (or the empty state)
    completed = Signal()   # every tab does

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.data: DashboardData | None = None
        self.has_rendered = False
        self._shown_once = False
        self._rendered_this_request = False
        self._drawn: dict[str, tuple] = {}     # group -> the figure objects its tab shows

        title = QLabel("Dashboard")
        title.setObjectName("pageTitle")
        self.status = QLabel("")
        self.status.setObjectName("emptyState")
        self.hide_me = QCheckBox("Hide me from other people's leaderboards")
        self.hide_me.setToolTip("Your own view still shows you; coaches' aggregates stay anonymous.")
        self.hide_me.toggled.connect(self._set_hidden)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(16)
        head.addWidget(self.status, 1)
        head.addWidget(self.hide_me)

        self.filter_bar = FilterBar()
        self.team_combo = self.filter_bar.team_combo          # the leaderboard's team selector
        self.exercise_combo = self.filter_bar.exercise_combo
        self.filter_bar.changed.connect(lambda _f: self.refresh())

        self.tabs = QTabWidget()
        self.leaderboard_tab = LeaderboardTab(self._exported)
        self.adoption_tab = AdoptionTab(self._exported)
        self.engagement_tab = EngagementTab(self._exported)
        self.scores_tab = ScoresTab(self._exported)
        self.tabs.addTab(self.leaderboard_tab, "Leaderboard")
        self.tabs.addTab(self.adoption_tab, "Vocabulary")
        self.tabs.addTab(self.engagement_tab, "Engagement")
        self.tabs.addTab(self.scores_tab, "Scores")

        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.loading = QLabel("Computing the figures…")
        self.loading.setObjectName("emptyState")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        for widget in (self.loading, self.empty, self.tabs):
            self.stack.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)

        self.worker = DashboardWorker(context.store, self)
        self.worker.partial.connect(lambda data: self._show(data, complete=False))
        self.worker.ready.connect(lambda data: self._show(data, complete=True))
        self.worker.failed.connect(self._failed)
        self.worker.busy_changed.connect(self._busy)
        context.person_changed.connect(lambda _p: (self._sync_privacy(), self._refresh_if_visible()))
        context.people_changed.connect(self._reload_options)
        context.on_change({"recordings", "scores", "transcripts", "exemplars", "signoffs", "kit", "events"},
                          lambda _c: (self._reload_options(), self._refresh_if_visible()), self)
        self._reload_options()
        self._sync_privacy()
        self._pick_bucket()
        self.refresh()

    # -- public --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute for the current filters and viewer (in the background)."""
        person = self.context.person
        self.leaderboard_tab.viewer_id = person.id if person else None
        self._drawn.pop("leaderboard", None)      # the viewer's row is drawn in bold
        self.worker.request(self.filter_bar.filters(), person.id if person else None,
                            analytics.GROUPS[max(0, self.tabs.currentIndex())])

    def _refresh_if_visible(self) -> None:
        # hidden, the page recomputes when it is shown again (showEvent): no background work for
        # every scorecard submitted on another page
        if self.isVisible():
            self.refresh()

    def cards(self) -> list[ChartCard]:
        return [c for tab in self._tabs() for c in tab.cards]

    def card(self, slug: str) -> ChartCard:
        return next(c for c in self.cards() if c.slug == slug)

    def is_empty_state(self) -> bool:
        return self.stack.currentWidget() is self.empty

    def shutdown(self) -> None:
        self.worker.shutdown()

    # -- events --------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        if self._shown_once:
            self.refresh()        # cheap when nothing changed: the worker's fact tables are kept
        self._shown_once = True

    def closeEvent(self, event) -> None:  # noqa: N802 (a page shown on its own, as in tests)
        self.shutdown()
        super().closeEvent(event)

    def _show(self, data: DashboardData, complete: bool) -> None:
        self.data = data
        self.filter_bar.setVisible(data.total_takes > 0)
        if data.total_takes == 0:
            self.stack.setCurrentWidget(self.empty)
            self.status.setText("")
        else:
            for group, tab in zip(analytics.GROUPS, self._tabs()):
                figures = self._figures(data, group)
                drawn = self._drawn.get(group)
                same = drawn is not None and len(drawn) == len(figures) and all(
                    a is b for a, b in zip(drawn, figures))
                if data.has(group) and not same:
                    tab.update_data(data)       # (results come from a cache: same objects, same figures)
                    self._drawn[group] = figures
            self.stack.setCurrentWidget(self.tabs)
            self.status.setText(f"{data.takes:,} of {data.total_takes:,} takes match the filters"
                                + ("" if complete else " · updating the other tabs…"))
        if not complete or not self._rendered_this_request:
            self.has_rendered = True
            self.rendered.emit()
        self._rendered_this_request = not complete
        if complete:
            self.completed.emit()

    @staticmethod
    def _figures(data: DashboardData, group: str) -> tuple:
        names = {"leaderboard": ("leaderboard", "teams"),
                 "adoption": ("adoption", "adoption_over_time", "adoption_by_team"),
                 "engagement": ("engagement", "events_over_time"),
                 "scores": ("score_distribution", "agreement_over_time")}[group]
        return tuple(getattr(data, n) for n in names) + (data.filters, data.takes)

    def _tabs(self):
        return (self.leaderboard_tab, self.adoption_tab, self.engagement_tab, self.scores_tab)

    def _failed(self, error: str) -> None:
        self.status.setText(f"Could not compute the figures: {error}")
        self.context.say(f"Dashboard: {error}", 10000)

    def _busy(self, busy: bool) -> None:
        if busy and self.data is not None:
            self.status.setText("Updating…")

    def _pick_bucket(self) -> None:
        """Daily buckets when all takes fit in three weeks (a kickoff), weekly otherwise."""
        span = self.context.store.db.execute(
            "SELECT julianday(MAX(submitted_at)) - julianday(MIN(submitted_at)) FROM recordings "
            "WHERE status = 'submitted'").fetchone()[0]
        if span is not None and span < 21:
            self.filter_bar.set_bucket("day")

    def _reload_options(self) -> None:
        exercises = [(e["title"], e["id"]) for e in self.context.kit.exercises()]
        self.filter_bar.set_options(analytics.teams(self.context.store), exercises)

    # -- privacy -------------------------------------------------------------------------------
    def _sync_privacy(self) -> None:
        person = self.context.person
        is_rep = person is not None and person.role == "rep"
        self.hide_me.setVisible(is_rep)
        if is_rep:
            row = self.context.store.db.execute("SELECT hidden FROM people WHERE id=?", [person.id]).fetchone()
            self.hide_me.blockSignals(True)
            self.hide_me.setChecked(bool(row and row[0]))
            self.hide_me.blockSignals(False)

    def _set_hidden(self, hidden: bool) -> None:
        person = self.context.person
        if person is None or person.role != "rep":
            return
        self.context.people.update(person.id, hidden=int(hidden))
        self.context.say("You are hidden from other people's leaderboards." if hidden else
                         "You appear on the leaderboards again.")
        self.refresh()

    def _exported(self, slug: str, fmt: str) -> None:
        self.context.say(f"Saved {slug} as {fmt.upper()}.")
