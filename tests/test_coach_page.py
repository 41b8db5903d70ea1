"""pytest-qt: the coach's queue (sort, flags), agreement and bias, notes, exemplars shown on Record."""
import pytest
from PySide6.QtCore import QPoint, Qt

from demo.takes import add_take
from store.kit import KitRepo
from store.people import PeopleRepo
from store.scores import CriterionScore, ScorecardDraft, ScoreRepo

SEG = [(0.0, 3.0, "We already have a vendor"), (3.5, 7.0, "What would change if delays went away")]


@pytest.fixture
def world(store, context):
    people = PeopleRepo(store)
    reps = [people.add(n, "rep", t) for n, t in (("Ann", "North"), ("Bob", "North"), ("Cy", "South"),
                                                  ("Di", "South"))]
    coach = people.add("Coach Dee", "coach", "North")
    kit = KitRepo(store)
    crit = [c["id"] for c in kit.criteria(kit.exercise("cold-call")["rubric_id"])]   # weights 2, 2, 1
    repo = ScoreRepo(store)
    takes = {}
    # criterion 1 across takes: (1,1,1), (1,3), (3,3,3): o11 = 3, o13 = o31 = 1, o33 = 3; n1 = n3 = 4, n = 8;
    # delta2(1,3) = (8 - 4)^2 = 16; D_o = 2*16/8 = 4; D_e = 2*4*4*16/(8*7) = 64/7; alpha = 1 - 28/64 = 0.5625
    plan = {"t1": (reps[0], {reps[1]: (1, 2, 2), reps[2]: (1, 2, 2), reps[3]: (1, 2, 2)}),
            "t2": (reps[1], {reps[0]: (1, 4, 4), reps[2]: (3, 4, 4)}),
            "t3": (reps[2], {reps[0]: (3, 5, 5), reps[3]: (3, 5, 5), reps[1]: (3, 5, 5)})}
    for name, (rep, cards) in plan.items():
        takes[name] = add_take(store, rep.id, "cold-call", duration_s=8.0, segments=SEG,
                               submitted_at=f"2026-11-16T0{len(takes) + 1}:00:00.000Z")
        for scorer, values in cards.items():
            repo.submit(ScorecardDraft(takes[name], scorer.id,
                                       [CriterionScore(c, v) for c, v in zip(crit, values)]))
    context.set_person(coach)
    return dict(reps=reps, coach=coach, takes=takes, crit=crit)


def _coach(main_window, qtbot):
    main_window.show_page(2)
    coach = main_window.page("coach")
    qtbot.waitUntil(lambda: not coach.queue.loading and bool(coach.queue.model.rows), timeout=10000)
    return coach


def test_queue_sorts_and_flags(main_window, world, qtbot):
    coach = _coach(main_window, qtbot)
    model, t = coach.queue.model, world["takes"]
    assert [r.recording_id for r in model.rows] == [t["t3"], t["t2"], t["t1"]]     # newest first
    header = coach.queue.table.horizontalHeader()
    total_col = model.HEADERS.index("Total")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(total_col) + 5, 5))
    assert header.sortIndicatorSection() == total_col
    # totals by hand: t1 (2*1+2*2+1*2)/5 = 1.6, t2 (2*2+2*4+4)/5 = 3.2, t3 (6+10+5)/5 = 4.2
    expected = [1.6, 3.2, 4.2]
    if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder:
        expected.reverse()
    assert [round(r.aggregate.total, 2) for r in model.rows] == expected
    coach.queue.table.sortByColumn(total_col, Qt.SortOrder.DescendingOrder)
    assert [round(r.aggregate.total, 2) for r in model.rows] == [4.2, 3.2, 1.6]
    coach.queue.table.sortByColumn(model.HEADERS.index("Rep"), Qt.SortOrder.AscendingOrder)
    assert [r.rep for r in model.rows] == ["Ann", "Bob", "Cy"]
    # t2: two scorers (too few) and criterion 1 split 1 vs 3 (spread 1.0): flagged
    coach.queue.flagged.setChecked(True)
    assert [r.recording_id for r in model.rows] == [t["t2"]]
    assert model.data(model.index(0, model.HEADERS.index("Flags"))) == "few scorers · disagree"
    assert model.data(model.index(0, model.HEADERS.index("Flags")), Qt.ItemDataRole.ToolTipRole) == \
        "too few scorers, high disagreement"
    coach.queue.flagged.setChecked(False)
    coach.queue.team.setCurrentIndex(coach.queue.team.findData("South"))
    assert [r.rep for r in model.rows] == ["Cy"]
    coach.queue.team.setCurrentIndex(0)
    # one exercise chosen: a column per criterion (mean ± spread), sortable by mean
    assert model.columnCount() == len(model.HEADERS)
    coach.queue.exercise.setCurrentIndex(coach.queue.exercise.findText("Role-play: cold call"))
    assert model.columnCount() == len(model.HEADERS) + 3
    first = len(model.HEADERS)
    assert model.headerData(first, Qt.Orientation.Horizontal) == "socratic-question"
    assert "Asked a Socratic question" in model.headerData(first, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    coach.queue.table.sortByColumn(first, Qt.SortOrder.AscendingOrder)
    # criterion 1 means: t1 1.0, t2 2.0 (1 and 3, spread 1.0), t3 3.0
    assert [model.data(model.index(i, first)) for i in range(3)] == ["1.0 ±0.0", "2.0 ±1.0", "3.0 ±0.0"]
    coach.queue.exercise.setCurrentIndex(0)
    assert model.columnCount() == len(model.HEADERS)


def test_agreement_and_bias_tab(main_window, world, qtbot):
    coach = _coach(main_window, qtbot)
    coach.tabs.setCurrentWidget(coach.agreement)
    table = coach.agreement.alpha
    qtbot.waitUntil(lambda: table.rowCount() == 3 and not coach.agreement.loading, timeout=10000)
    by_criterion = {table.item(i, 1).text(): table.item(i, 2).text() for i in range(3)}
    assert by_criterion["Asked a Socratic question"] == "0.56"          # 0.5625, by hand above
    assert by_criterion["Reframed the buyer's objection"] == "1.00"      # everyone agrees per take
    bias = coach.agreement.bias
    names = [bias.item(i, 0).text() for i in range(bias.rowCount())]
    assert set(names) == {"Ann", "Bob", "Cy", "Di"}
    # Ann scored t2 criterion 1 as 1 against Cy's 3 -> -2 there; 0 on everything else she scored
    ann = next(i for i in range(bias.rowCount()) if bias.item(i, 0).text() == "Ann")
    assert float(bias.item(ann, 1).text()) == pytest.approx(-2 / 6, abs=0.005)
    assert names[0] == "Ann"                                             # harshest first


def test_notes_and_exemplar_reach_the_record_page(main_window, context, world, qtbot):
    coach = _coach(main_window, qtbot)
    coach.queue.select(world["takes"]["t3"])
    panel = coach.take
    assert panel.row.recording_id == world["takes"]["t3"] and panel.cards.count() == 3
    qtbot.keyClicks(panel.note_edit, "Show this in the deal clinic")
    qtbot.keyClick(panel.note_edit, Qt.Key.Key_Return)
    assert panel.notes.count() == 1 and "deal clinic" in panel.notes.item(0).text()
    assert coach.queue.model.data(coach.queue.model.index(0, coach.queue.model.HEADERS.index("Notes"))) == "1"
    panel.reason_edit.setText("Reframed the vendor objection with a question")
    panel.promote_button.click()
    assert "Promoted" in panel.message.text() and not panel.promote_button.isEnabled()
    main_window.show_page(0)
    record = main_window.page("record")
    from ui.widgets.exemplars_panel import ExemplarsPanel
    shown = record.findChild(ExemplarsPanel)
    record.exercise_combo.setCurrentIndex(record.exercise_combo.findText("Role-play: cold call"))
    qtbot.waitUntil(lambda: shown.list.count() == 1)
    assert "Reframed the vendor objection" in shown.list.item(0).text() and "Cy" in shown.list.item(0).text()
    assert shown.isVisible()
    record.exercise_combo.setCurrentIndex(record.exercise_combo.findText("Teach-back: reframing"))
    assert shown.list.count() == 0 and not shown.isVisible()


def test_a_rep_cannot_coach(main_window, context, world, qtbot):
    context.set_person(world["reps"][3])
    coach = _coach(main_window, qtbot)
    assert "need a coach" in coach.who.text()
    coach.queue.select(world["takes"]["t1"])
    coach.take.note_edit.setText("sneaky")
    coach.take.add_note()
    assert "Only a coach" in coach.take.message.text()
    assert ScoreRepo(context.store).coach_notes(world["takes"]["t1"]) == []


def test_watch_in_review_opens_the_take(main_window, world, qtbot):
    coach = _coach(main_window, qtbot)
    coach.queue.select(world["takes"]["t2"])
    coach.take.review_button.click()
    assert main_window.current_page_key() == "review"
    review = main_window.page("review")
    assert review.detail.recording_id == world["takes"]["t2"]
    assert "your own take" not in review.form.message.text()      # the coach did not record it
