"""The Dashboard page with pytest-qt: data (the hand-built store of tests/test_analytics.py), the empty
state, filter changes, PNG/CSV exports and the privacy setting."""
from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from store.changes import Changes
from store.people import Person
from test_analytics import build_hand_store
from ui.pages.dashboard_page import DashboardPage


def _page(context, qtbot) -> DashboardPage:
    page = DashboardPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    with qtbot.waitSignal(page.completed, timeout=20000):
        page.show()
    return page


def _refresh(page, qtbot, change) -> None:
    with qtbot.waitSignal(page.completed, timeout=20000):
        change()


def _reps(page) -> list[str]:
    return [r["rep"] for r in page.leaderboard_tab.reps_model.rows]


@pytest.fixture
def hand(store):
    return build_hand_store(store)


def test_renders_every_figure_with_data(context, qtbot, hand):
    page = _page(context, qtbot)
    assert not page.is_empty_state() and page.tabs.isVisible()
    assert _reps(page) == ["Cy", "Ana"]                      # Ben is hidden, nobody is the viewer
    assert [r["team"] for r in page.leaderboard_tab.teams_model.rows] == ["South", "North"]
    assert "5 of 5 takes" in page.status.text()
    for card in page.cards():
        assert not card.is_empty(), card.slug
    chart = page.card("adoption").view.chart()
    bars = chart.series()[0]
    assert [s.label() for s in bars.barSets()] == ["takes using it (%)", "peers scored it ≥ 4 (%)"]
    terms = [r["slug"] for r in page.data.adoption.rows]
    assert bars.barSets()[0].at(terms.index("reframe")) == pytest.approx(75.0)
    heat = page.adoption_tab.heat_model
    assert heat.teams == ["North", "South"] and heat.rowCount() == 2 and heat.columnCount() == len(terms)
    assert heat.value(heat.teams.index("South"), heat.terms.index("reframe")) == 1.0
    assert page.card("scores").view.chart().series()[0].count() == 5        # one bar set per score 1..5
    tab = page.scores_tab
    tab.criterion_combo.setCurrentIndex(tab.criterion_combo.findText("Asked a Socratic question (Cold call)"))
    histogram = page.card("score-histogram")
    assert [histogram.view.chart().series()[0].barSets()[0].at(i) for i in range(5)] == [0, 1, 2, 2, 2]
    assert [r["count"] for r in histogram.table.rows] == [0, 1, 2, 2, 2]
    assert page.card("agreement").view.chart().series()[0].count() == 2     # two weeks with alpha


def test_the_tab_on_screen_is_drawn_first(context, qtbot, hand):
    page = _page(context, qtbot)
    page.tabs.setCurrentWidget(page.scores_tab)
    order = []
    page.rendered.connect(lambda: order.append(("rendered", page.data.has("scores"), page.data.has("adoption"))))
    page.completed.connect(lambda: order.append(("completed", page.data.has("scores"), page.data.has("adoption"))))
    _refresh(page, qtbot, lambda: page.team_combo.setCurrentIndex(page.team_combo.findData("South")))
    assert order == [("rendered", True, False), ("completed", True, True)]
    assert page.data.score_distribution.rows and page.data.leaderboard.rows[0]["rep"] == "Cy"


def test_empty_store_shows_a_clear_empty_state(context, qtbot):
    page = _page(context, qtbot)
    assert page.is_empty_state()
    assert page.empty.isVisible() and "No takes yet" in page.empty.text()
    assert "demo-data" in page.empty.text()
    assert not page.tabs.isVisible() and not page.filter_bar.isVisible()


def test_filter_changes_recompute(context, qtbot, hand):
    page = _page(context, qtbot)
    north = page.team_combo.findData("North")
    _refresh(page, qtbot, lambda: page.team_combo.setCurrentIndex(north))
    assert page.data.filters.team == "North" and _reps(page) == ["Ana"]
    cold = page.exercise_combo.findText("Role-play: cold call")
    _refresh(page, qtbot, lambda: page.exercise_combo.setCurrentIndex(cold))
    assert page.data.leaderboard.rows[0]["avg_score"] == pytest.approx(3.95)
    assert [r["slug"] for r in page.data.engagement.rows] == ["cold-call"]
    # a window with no takes: the cards say so instead of drawing empty axes
    bar = page.filter_bar
    _refresh(page, qtbot, lambda: bar.from_date.setDate(bar.from_date.date().fromString("2030-01-01", "yyyy-MM-dd")))
    _refresh(page, qtbot, lambda: bar.from_check.setChecked(True))
    assert page.data.takes == 0 and page.card("leaderboard").is_empty()
    assert page.card("adoption").is_empty() and "No takes match" in page.card("adoption").empty.text()


def test_export_png_and_csv(context, qtbot, hand, tmp_path, monkeypatch):
    page = _page(context, qtbot)
    page.tabs.setCurrentWidget(page.adoption_tab)
    card = page.card("adoption")
    png = card.export_png(tmp_path / "adoption")
    image = QImage(str(png))
    assert png.suffix == ".png" and not image.isNull() and image.width() > 100
    rows = list(csv.DictReader(io.StringIO(card.export_csv(tmp_path / "adoption.csv").read_text())))
    reframe = next(r for r in rows if r["term"] == "reframe")
    assert reframe["used_share"] == "0.75" and reframe["scored_high_share"] == "0.5"
    # the buttons ask for a file name, then save there
    target = tmp_path / "board.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV (*.csv)"))
    page.card("leaderboard").csv_button.click()
    assert [r["rep"] for r in csv.DictReader(io.StringIO(target.read_text()))] == ["Cy", "Ana"]
    heat_png = tmp_path / "heat.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(heat_png), "PNG (*.png)"))
    page.card("adoption-by-team").png_button.click()
    assert not QImage(str(heat_png)).isNull()


def test_a_rep_can_hide_from_others(context, qtbot, hand):
    page = _page(context, qtbot)
    assert not page.hide_me.isVisibleTo(page)                  # no one chosen
    ben = Person(hand["ben"], "Ben", "rep", "North")
    _refresh(page, qtbot, lambda: context.set_person(ben))
    assert page.hide_me.isVisibleTo(page) and page.hide_me.isChecked()
    assert "Ben" in _reps(page)                                # a hidden rep still sees themself
    assert "you are #3" in page.card("leaderboard").note.text()
    model = page.leaderboard_tab.reps_model
    bold = [model.rows[i]["rep"] for i in range(model.rowCount())
            if model.data(model.index(i, 1), Qt.ItemDataRole.FontRole) is not None]
    assert bold == ["Ben"]
    _refresh(page, qtbot, lambda: page.hide_me.setChecked(False))
    assert context.store.db.execute("SELECT hidden FROM people WHERE id=?", [hand["ben"]]).fetchone()[0] == 0
    ana = Person(hand["ana"], "Ana", "rep", "North")
    _refresh(page, qtbot, lambda: context.set_person(ana))
    assert "Ben" in _reps(page) and not page.hide_me.isChecked()
    _refresh(page, qtbot, lambda: page.hide_me.setChecked(True))   # Ana hides herself
    _refresh(page, qtbot, lambda: context.set_person(ben))
    assert "Ana" not in _reps(page)


def test_worker_computes_only_the_latest_request(store, qtbot, hand):
    from scoring.analytics import Filters
    from ui.widgets.dashboard_worker import DashboardWorker
    worker = DashboardWorker(store)
    partial, ready = [], []
    worker.partial.connect(partial.append)
    worker.ready.connect(ready.append)
    with qtbot.waitSignal(worker.ready, timeout=20000):
        worker.request(Filters(team="North"), None)      # starts at once
        worker.request(Filters(team="South"), None)      # replaced by the next before it starts
        worker.request(Filters(exercise="cold-call"), None)
    assert [d.filters for d in ready] == [Filters(exercise="cold-call")]
    assert [d.filters for d in partial] == [Filters(exercise="cold-call")]   # North's rest was dropped
    assert not worker.busy()
    worker.shutdown()


def test_hidden_page_waits_until_shown_to_recompute(main_window, context, qtbot, hand):
    main_window.show_page(4)
    page = main_window.pages["dashboard"]
    qtbot.waitUntil(lambda: page.data is not None and page.data.has("scores"), timeout=20000)
    main_window.show_page(0)
    requests = []
    page.worker._run.connect(lambda *args: requests.append(args))
    context.notify(Changes.of("scores"))       # delivered directly: a refresh would have asked already
    assert requests == []
    with qtbot.waitSignal(page.completed, timeout=20000):
        main_window.show_page(4)
    assert requests


def test_takes_without_transcripts_or_scores(context, qtbot, store):
    from test_analytics import COLD, Builder
    ana = context.people.add("Ana", "rep", "North")
    Builder(store).take(ana.id, COLD, "2026-11-02T09:00:00.000Z")
    page = _page(context, qtbot)
    assert not page.is_empty_state()
    assert [(r["rep"], r["avg_score"], r["takes"]) for r in page.data.leaderboard.rows] == [("Ana", None, 1)]
    assert page.leaderboard_tab.reps_model.data(page.leaderboard_tab.reps_model.index(0, 3)) == "–"
    assert page.card("adoption").is_empty()
    assert "No transcripts or peer scores yet" in page.card("adoption").empty.text()
    assert page.card("scores").is_empty() and page.card("agreement").is_empty()
    assert not page.card("engagement").is_empty()     # completion: 1 of 1 rep took the cold call
    assert next(r for r in page.data.engagement.rows if r["slug"] == "cold-call")["completion"] == 1.0
