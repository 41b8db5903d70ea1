"""The dashboard's four tabs; each takes a DashboardData and fills its cards (charts, tables, heat map)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from store.analytics import DashboardData, Table
from ui.widgets.chart_builders import bar_chart, line_chart, score_distribution_chart
from ui.widgets.chart_card import ChartCard
from ui.widgets.dashboard_table import TableModel, make_table_view
from ui.widgets.heatmap import HeatmapModel, make_heatmap_view


class _Tab(QScrollArea):
    def __init__(self, on_export, parent=None):
        super().__init__(parent)
        self.on_export = on_export
        self.cards: list[ChartCard] = []
        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setContentsMargins(4, 4, 4, 4)
        self.grid.setSpacing(10)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        self.setWidget(inner)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def card(self, title: str, slug: str, row: int, col: int, span: int = 1, height: int = 300) -> ChartCard:
        card = ChartCard(title, slug, self.on_export)
        card.setMinimumHeight(height)
        self.grid.addWidget(card, row, col, 1, span)
        self.cards.append(card)
        return card


def _pct(values):
    return [None if v is None else v * 100 for v in values]


def _day(bucket: str | None) -> str:
    """'2026-11-16' -> '16 Nov' for axis labels (the CSV keeps the ISO day)."""
    try:
        return date.fromisoformat(bucket).strftime("%d %b")
    except (TypeError, ValueError):
        return str(bucket)


class LeaderboardTab(_Tab):
    REPS = [("rank", "#", ""), ("rep", "Rep", ""), ("team", "Team", ""), ("avg_score", "Avg score", "score"),
            ("exercises", "Exercises", ""), ("takes", "Takes", ""), ("certifications", "Certified", ""),
            ("improvement", "Since first take", "signed")]
    TEAMS = [("rank", "#", ""), ("team", "Team", ""), ("reps", "Reps", ""), ("avg_score", "Avg score", "score"),
             ("exercises_per_rep", "Exercises / rep", ""), ("certifications", "Certified", ""),
             ("improvement", "Since first take", "signed")]

    def __init__(self, on_export, parent=None):
        super().__init__(on_export, parent)
        self.reps_card = self.card("Leaderboard", "leaderboard", 0, 0, span=2, height=420)
        self.viewer_id: str | None = None
        self.reps_model = TableModel(self.REPS, self)
        self.reps_model.highlight = lambda row: row.get("rep_id") == self.viewer_id
        self.reps_view = make_table_view(self.reps_model)
        self.teams_card = self.card("Teams", "teams", 1, 0, span=2, height=300)
        self.teams_model = TableModel(self.TEAMS, self)
        self.teams_view = make_table_view(self.teams_model)

    def update_data(self, data: DashboardData) -> None:
        self.reps_model.set_table(data.leaderboard)
        self.teams_model.set_table(data.teams)
        mine = next((r for r in data.leaderboard.rows if r.get("rep_id") == self.viewer_id), None)
        for card, view, table, note in (
                (self.reps_card, self.reps_view, data.leaderboard,
                 f"{len(data.leaderboard.rows)} reps" + (f" · you are #{mine['rank']}" if mine else "")),
                (self.teams_card, self.teams_view, data.teams, f"{len(data.teams.rows)} teams")):
            if table.rows:
                card.set_widget(view, table, note)
            else:
                card.set_empty(table, "No takes match these filters.")


class AdoptionTab(_Tab):
    def __init__(self, on_export, parent=None):
        super().__init__(on_export, parent)
        self.data: DashboardData | None = None
        self.per_term = self.card("Vocabulary adoption per term", "adoption", 0, 0, span=2)
        self.term_combo = QComboBox()
        self.term_combo.currentIndexChanged.connect(lambda _i: self._draw_term())
        picker = QHBoxLayout()
        picker.addWidget(QLabel("Term over time:"))
        picker.addWidget(self.term_combo)
        picker.addStretch(1)
        holder = QWidget()
        holder.setLayout(picker)
        self.grid.addWidget(holder, 1, 0, 1, 2)
        self.over_time = self.card("Adoption over time", "adoption-over-time", 2, 0, span=2)
        self.heat = self.card("Heat map: term × team", "adoption-by-team", 3, 0, span=2, height=420)
        self.metric_combo = QComboBox()
        self.metric_combo.addItem("share of takes using the term", "used_share")
        self.metric_combo.addItem("share scored ≥ 4 by peers", "scored_high_share")
        self.metric_combo.currentIndexChanged.connect(lambda _i: self._draw_heat())
        self.heat_model = HeatmapModel(self)
        self.heat_view = make_heatmap_view(self.heat_model)
        heat_box = QWidget()
        box = QVBoxLayout(heat_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.metric_combo)
        box.addWidget(self.heat_view, 1)
        self.heat_box = heat_box

    def update_data(self, data: DashboardData) -> None:
        self.data = data
        rows = data.adoption.rows
        nothing = ("No takes match these filters." if data.takes == 0 else
                   "No transcripts or peer scores yet for these takes." if not any(
                       r["transcribed_takes"] or r["scored_takes"] for r in rows) else "")
        if nothing:
            for card, table in ((self.per_term, data.adoption), (self.over_time, data.adoption_over_time),
                                (self.heat, data.adoption_by_team)):
                card.set_empty(table, nothing)
            self.data = None
            return
        terms = [r["term"] for r in rows]
        chart = bar_chart(terms, {"takes using it (%)": _pct([r["used_share"] for r in rows]),
                                  "peers scored it ≥ 4 (%)": _pct([r["scored_high_share"] for r in rows])},
                          maximum=100, fmt="%d%%")
        transcribed = rows[0]["transcribed_takes"] if rows else 0
        self.per_term.set_chart(chart, data.adoption, f"{transcribed:,} transcribed takes")
        current = self.term_combo.currentText()
        self.term_combo.blockSignals(True)
        self.term_combo.clear()
        self.term_combo.addItems(terms)
        index = self.term_combo.findText(current)
        if index < 0 and rows:   # start with the most used term
            index = max(range(len(rows)), key=lambda i: rows[i]["used_share"] or 0)
        self.term_combo.setCurrentIndex(max(0, index))
        self.term_combo.blockSignals(False)
        self._draw_term()
        self._draw_heat()

    def _draw_term(self) -> None:
        if self.data is None:
            return
        term = self.term_combo.currentText()
        rows = [r for r in self.data.adoption_over_time.rows if r["term"] == term]
        table = Table(self.data.adoption_over_time.name, self.data.adoption_over_time.columns, rows)
        if not rows:
            self.over_time.set_empty(table)
            return
        chart = line_chart([_day(r["bucket"]) for r in rows],
                           {"takes using it (%)": _pct([r["used_share"] for r in rows]),
                            "peers scored it ≥ 4 (%)": _pct([r["scored_high_share"] for r in rows])},
                           maximum=100, fmt="%d%%")
        self.over_time.title.setText(f"“{term}” over time")
        self.over_time.set_chart(chart, table, "by " + ("week" if self.data.filters.bucket == "week" else "day"))

    def _draw_heat(self) -> None:
        if self.data is None:
            return
        metric = self.metric_combo.currentData()
        keys = ("used_takes", "transcribed_takes") if metric == "used_share" else ("scored_high_takes",
                                                                                   "scored_takes")
        self.heat_model.set_rows(self.data.adoption_by_team.rows, metric, keys)
        self.heat.set_widget(self.heat_box, self.data.adoption_by_team,
                             f"darkest = {self.heat_model.top * 100:.0f}%, the highest cell")


class EngagementTab(_Tab):
    COLUMNS = [("exercise", "Exercise", ""), ("completion", "Completion", "pct"),
               ("reps_done", "Reps", ""), ("submitted", "Takes", ""),
               ("retakes_per_submission", "Retakes / take", "score"),
               ("median_days_to_first_take", "Median to 1st take", "days"),
               ("transcript_views", "Transcript views", ""), ("exemplar_views", "Exemplar views", ""),
               ("exports", "Exports", "")]

    def __init__(self, on_export, parent=None):
        super().__init__(on_export, parent)
        self.completion = self.card("Completion and retakes per exercise", "engagement", 0, 0)
        self.speed = self.card("Days from available to first take", "time-to-first-take", 0, 1)
        self.events = self.card("Transcript and exemplar views, exports", "events", 1, 0, span=2)
        self.table_card = self.card("Engagement per exercise", "engagement-table", 2, 0, span=2, height=260)
        self.model = TableModel(self.COLUMNS, self)
        self.view = make_table_view(self.model)

    def update_data(self, data: DashboardData) -> None:
        rows = data.engagement.rows
        names = [r["exercise"].split(": ", 1)[-1] for r in rows]
        retakes = [None if r["retakes_per_submission"] is None else r["retakes_per_submission"] * 100
                   for r in rows]
        self.completion.set_chart(bar_chart(names, {
            "reps who submitted (%)": _pct([r["completion"] for r in rows]),
            "retakes per 100 takes": retakes}, maximum=max([100.0] + [v * 1.1 for v in retakes if v]),
            fmt="%d"),
            data.engagement, f"{rows[0]['reps'] if rows else 0} reps in scope")
        self.speed.set_chart(bar_chart(names, {"median": [r["median_days_to_first_take"] for r in rows],
                                               "mean": [r["mean_days_to_first_take"] for r in rows]},
                                       y_title="days"), data.engagement)
        self.model.set_table(data.engagement)
        self.table_card.set_widget(self.view, data.engagement)
        ev = data.events_over_time
        if not ev.rows:
            self.events.set_empty(ev, "No views or exports recorded in this range.")
            return
        kinds = [k for k in ev.columns[1:] if any(r[k] for r in ev.rows)]
        self.events.set_chart(line_chart([_day(r["bucket"]) for r in ev.rows],
                                         {k.replace("_", " "): [r[k] for r in ev.rows] for k in kinds},
                                         log=True, y_title="events (log scale)"),
                              ev, f"{sum(r[k] for r in ev.rows for k in kinds):,} events")


class ScoresTab(_Tab):
    def __init__(self, on_export, parent=None):
        super().__init__(on_export, parent)
        self.data: DashboardData | None = None
        self.distribution = self.card("Score distribution per criterion (peer scores 1–5)", "scores",
                                      0, 0, span=2, height=460)
        self.criterion_combo = QComboBox()
        self.criterion_combo.currentIndexChanged.connect(lambda _i: self._draw_histogram())
        picker = QHBoxLayout()
        picker.addWidget(QLabel("Histogram of:"))
        picker.addWidget(self.criterion_combo, 1)
        holder = QWidget()
        holder.setLayout(picker)
        self.grid.addWidget(holder, 1, 0)
        self.histogram = self.card("Scores of one criterion", "score-histogram", 2, 0, span=2)
        self.agreement = self.card("Agreement between scorers over time (Krippendorff's α, ordinal)",
                                   "agreement", 3, 0, span=2)

    def update_data(self, data: DashboardData) -> None:
        self.data = data
        dist = data.score_distribution
        if dist.rows:
            labels = [f"{r['criterion']} ({r['rubric']})" for r in dist.rows]
            counts = [[r[f"s{v}"] for v in range(1, 6)] for r in dist.rows]
            self.distribution.setMinimumHeight(max(300, 60 + 26 * len(labels)))
            self.distribution.set_chart(score_distribution_chart(labels, counts), dist,
                                        f"{sum(r['n'] for r in dist.rows):,} scores")
        else:
            self.distribution.set_empty(dist, "No peer scores for these filters.")
        current = self.criterion_combo.currentText()
        self.criterion_combo.blockSignals(True)
        self.criterion_combo.clear()
        self.criterion_combo.addItems([f"{r['criterion']} ({r['rubric']})" for r in dist.rows])
        self.criterion_combo.setCurrentIndex(max(0, self.criterion_combo.findText(current)))
        self.criterion_combo.blockSignals(False)
        self._draw_histogram()
        agreement = data.agreement_over_time
        points = [r for r in agreement.rows if r["alpha"] is not None]
        if points:
            self.agreement.set_chart(line_chart([_day(r["bucket"]) for r in agreement.rows],
                                                {"α": [r["alpha"] for r in agreement.rows]},
                                                maximum=1.0, minimum=min(0.0, min(r["alpha"] for r in points)),
                                                fmt="%.2f"),
                                     agreement, "≥ .80 good · .67–.80 tentative")
        else:
            self.agreement.set_empty(agreement, "Too few takes with two or more scorers.")

    def _draw_histogram(self) -> None:
        dist = self.data.score_distribution if self.data else None
        index = self.criterion_combo.currentIndex()
        if not dist or not dist.rows or index < 0:
            self.histogram.set_empty(dist or Table("score_histogram", ["score", "count"]),
                                     "No peer scores for these filters.")
            return
        row = dist.rows[index]
        table = Table("score_histogram", ["criterion", "rubric", "score", "count"],
                      [{"criterion": row["criterion"], "rubric": row["rubric"], "score": v,
                        "count": row[f"s{v}"]} for v in range(1, 6)])
        self.histogram.title.setText(f"“{row['criterion']}”")
        self.histogram.set_chart(bar_chart(["1", "2", "3", "4", "5"], {"scores": [row[f"s{v}"] for v in range(1, 6)]},
                                           fmt="%d", y_title="scores"),
                                 table, f"{row['n']:,} scores, mean {row['mean']:.2f}")
