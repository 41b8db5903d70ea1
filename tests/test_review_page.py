"""pytest-qt, end to end: open a take, seek by clicking a transcript line, score every criterion with
evidence by keyboard, submit, see it in the coach's aggregate; own take not offered; revise."""
import pytest
from PySide6.QtCore import Qt

from store.changes import Changes
from demo.takes import add_take
from store.people import PeopleRepo
from store.scores import ScoreRepo

SEGMENTS = [(0.0, 4.0, "Hello I am calling about your logistics costs"),
            (4.5, 9.0, "What would change if the delays went away"),
            (9.5, 14.0, "We already have a vendor for that"),
            (15.0, 19.0, "Could we book a discovery call next Tuesday")]


@pytest.fixture
def world(store, context):
    people = PeopleRepo(store)
    ann = people.add("Ann Rep", "rep", "North")
    bob = people.add("Bob Peer", "rep", "North")
    coach = people.add("Coach Dee", "coach", "North")
    take = add_take(store, ann.id, "cold-call", duration_s=20.0, segments=SEGMENTS,
                    hits=[("socratic-question", 4.5, 9.0), ("discovery-call", 17.0, 19.0)])
    bobs = add_take(store, bob.id, "teach-back-reframing", duration_s=12.0, segments=SEGMENTS[:2])
    context.set_person(bob)
    return dict(ann=ann, bob=bob, coach=coach, take=take, bobs=bobs)


def test_score_a_take_end_to_end(main_window, context, world, qtbot):
    main_window.show_page(1)
    page = main_window.page("review")
    qtbot.waitExposed(page)
    listed = [r.recording_id for r in page.list.model.rows]
    assert listed == [world["take"]]                      # bob's own take is not offered to him
    page.list.select_row(0)
    assert page.detail is not None and page.detail.recording_id == world["take"]
    assert page.timeline.hits and page.timeline.duration == 20.0
    assert page.form.submit_button.isEnabled() and len(page.form.rows) == 3

    # click the third transcript line's time stamp ("[0:09]") -> the player seeks to 9.5 s
    browser = page.transcript.browser
    rect = page.transcript.word_rect("0:09")
    assert rect is not None
    with qtbot.waitSignal(page.player.position_changed) as sig:
        qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [pytest.approx(9.5)] and page.player.position() == pytest.approx(9.5)
    assert page.transcript._current == 2                    # that segment is highlighted

    # keyboard: 4, E (cite 9.5 s), N; Right (+5 s) 3, E, N; 5, E
    page.setFocus()
    for key in (Qt.Key.Key_4, Qt.Key.Key_E, Qt.Key.Key_N, Qt.Key.Key_Right, Qt.Key.Key_3, Qt.Key.Key_E,
                Qt.Key.Key_N, Qt.Key.Key_5, Qt.Key.Key_E):
        qtbot.keyClick(page, key)
    assert [r.score for r in page.form.rows] == [4, 3, 5]
    assert [r.evidence_s for r in page.form.rows] == [9.5, 14.5, 14.5]
    assert page.timeline.evidence == [9.5, 14.5, 14.5]
    page.form.rows[0].comment.setText("Open question, buyer named the delay")
    qtbot.keyClicks(page.form.comment_edit, "Great reframe here")
    qtbot.keyClick(page.form.comment_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(page.form.comment_edit, "typo")
    qtbot.keyClick(page.form.comment_edit, Qt.Key.Key_Return)
    page.form.comment_list.setCurrentRow(1)
    page.form.comment_list.setFocus()
    qtbot.keyClick(page.form.comment_list, Qt.Key.Key_Delete)
    assert page.form.comment_list.count() == 1
    page.form.overall.setPlainText("Book the date earlier.")
    qtbot.keyClick(page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    card = ScoreRepo(context.store).current(world["take"], world["bob"].id)
    assert card is not None and card.version == 1
    crit = [c["id"] for c in page.detail.criteria]
    assert [(card.scores[c].score, card.scores[c].evidence_s) for c in crit] == [(4, 9.5), (3, 14.5), (5, 14.5)]
    assert card.scores[crit[0]].comment == "Open question, buyer named the delay"
    assert [(c.text, c.at_s) for c in card.comments] == [("Great reframe here", 14.5)]
    assert card.overall_comment == "Book the date earlier."
    assert "version 1" in page.form.message.text()
    assert page.list.model.rows == []                       # "not yet scored by me" hides it now

    # the coach sees it in the aggregate: cold call weights 2, 2, 1 -> (8 + 6 + 5) / 5
    context.set_person(world["coach"])
    main_window.show_page(2)
    coach = main_window.page("coach")
    qtbot.waitUntil(lambda: not coach.queue.loading, timeout=10000)
    row = next(r for r in coach.queue.model.rows if r.recording_id == world["take"])
    assert row.aggregate.scorers == 1 and row.aggregate.total == pytest.approx(19 / 5)
    assert row.aggregate.too_few                              # 1 of 3 scorers: flagged
    coach.queue.select(world["take"])
    assert coach.take.row.recording_id == world["take"]
    assert coach.take.criteria.item(0, 1).text() == "4.00"
    assert "Bob Peer: 3.80" in coach.take.cards.item(0).text()


def test_revision_from_the_page_keeps_history(main_window, context, world, qtbot):
    main_window.show_page(1)
    page = main_window.page("review")
    page.list.select_row(0)
    for i, value in enumerate((2, 2, 2)):
        page.form.rows[i].set_score(value)
    page.submit()
    page.list.not_mine.setChecked(False)
    page.list.select_row(0)
    assert page.form.submit_button.text() == "Submit revision (version 2)"
    assert [r.score for r in page.form.rows] == [2, 2, 2]      # prefilled from version 1
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_4)                          # first criterion 2 -> 4
    page.submit()
    history = ScoreRepo(context.store).history(world["take"], world["bob"].id)
    assert [c.version for c in history] == [1, 2]
    assert [c.scores[page.form.rows[0].criterion["id"]].score for c in history] == [2, 4]
    assert history[1].supersedes == history[0].id


def test_own_take_cannot_be_scored_even_if_opened(main_window, context, world, qtbot):
    main_window.show_page(1)
    page = main_window.page("review")
    page.open_take(world["bobs"])                                # e.g. from the coach page
    assert not page.form.submit_button.isEnabled()
    assert "own take" in page.form.message.text()
    qtbot.keyClick(page, Qt.Key.Key_4)
    assert all(r.score is None for r in page.form.rows)


def test_incomplete_scorecard_is_refused_with_a_reason(main_window, world, qtbot):
    main_window.show_page(1)
    page = main_window.page("review")
    page.list.select_row(0)
    page.form.rows[0].set_score(3)
    page.submit()
    assert "missing" in page.form.message.text()
    assert ScoreRepo(page.context.store).current(world["take"], world["bob"].id) is None


def test_filters_and_typing_does_not_trigger_keys(main_window, context, world, qtbot):
    main_window.show_page(1)
    page = main_window.page("review")
    page.list.select_row(0)
    page.list.status.setCurrentIndex(page.list.status.findData("scored"))
    assert page.list.model.rows == []
    page.list.status.setCurrentIndex(0)
    assert len(page.list.model.rows) == 1
    page.form.comment_edit.setFocus()
    qtbot.keyClicks(page.form.comment_edit, "3 E N")
    assert page.form.comment_edit.text() == "3 E N" and page.form.rows[0].score is None


def test_timeline_marks_terms_and_seeks_on_click(main_window, world, qtbot):
    main_window.show_page(1)
    page = main_window.page("review")
    page.list.select_row(0)
    timeline = page.timeline
    assert [(h[0], h[2]) for h in timeline.hits] == [(4.5, "Socratic question"), (17.0, "discovery call")]
    assert timeline.hit_at(timeline.x_for(17.0))[2] == "discovery call"
    from PySide6.QtCore import QPoint
    with qtbot.waitSignal(page.player.position_changed):
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(timeline.x_for(16.0)), 10))
    assert page.player.position() == pytest.approx(16.0, abs=20 / max(1, timeline.width()) + 0.05)
    assert page.transcript._current == 3                    # the segment 15-19 s is highlighted


def test_a_take_without_transcript_can_still_be_scored(main_window, context, world, store, qtbot):
    bare = add_take(store, world["ann"].id, "email-outreach", duration_s=10.0)     # transcript, no segments
    main_window.show_page(1)
    page = main_window.page("review")
    page.open_take(bare)
    assert page.transcript.segments == [] and page.timeline.hits == []
    assert "0 vocabulary hits" in page.metrics.text()
    page.player.seek(3.0)
    page.setFocus()
    for key in (Qt.Key.Key_2, Qt.Key.Key_E, Qt.Key.Key_N, Qt.Key.Key_3, Qt.Key.Key_N, Qt.Key.Key_4):
        qtbot.keyClick(page, key)
    page.submit()
    card = ScoreRepo(store).current(bare, world["bob"].id)
    assert sorted(s.score for s in card.scores.values()) == [2, 3, 4]
    assert [s.evidence_s for s in card.scores.values() if s.evidence_s is not None] == [3.0]


def test_exemplar_on_the_record_page_plays_and_is_logged(main_window, context, world, store, qtbot):
    ScoreRepo(store).promote_exemplar(world["take"], world["coach"].id, "Booked the discovery call")
    context.notify(Changes.of("exemplars"))
    main_window.show_page(0)
    record = main_window.page("record")
    from ui.widgets.exemplars_panel import ExemplarsPanel
    panel = record.findChild(ExemplarsPanel)
    record.exercise_combo.setCurrentIndex(record.exercise_combo.findText("Role-play: cold call"))
    qtbot.waitUntil(lambda: panel.list.count() == 1)
    item = panel.list.item(0)
    panel.list.itemDoubleClicked.emit(item)
    dialog = panel._dialog
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and "Booked the discovery call" in dialog.findChild(type(panel.title)).text()
    assert store.db.execute("SELECT person_id, recording_id FROM events WHERE kind='exemplar_view'").fetchall() \
        == [(world["bob"].id, world["take"])]
    dialog.close()


def test_unsubmitted_scores_survive_browsing_to_another_take(main_window, context, world, store, qtbot):
    other = add_take(store, world["ann"].id, "email-outreach", duration_s=10.0, segments=SEGMENTS[:1])
    main_window.show_page(1)
    page = main_window.page("review")
    page.open_take(world["take"])
    page.player.seek(6.0)
    page.setFocus()
    for key in (Qt.Key.Key_5, Qt.Key.Key_E, Qt.Key.Key_N, Qt.Key.Key_2):
        qtbot.keyClick(page, key)
    page.open_take(other)
    assert all(r.score is None for r in page.form.rows)         # a fresh form for the other take
    page.open_take(world["take"])
    assert [r.score for r in page.form.rows] == [5, 2, None] and page.form.rows[0].evidence_s == 6.0
    assert "back" in page.form.message.text()
    views = store.db.execute("SELECT count(*) FROM events WHERE kind='transcript_view'").fetchone()[0]
    assert views == 2                                            # each take logged once, not per visit


def test_review_list_sorts_by_scorers(main_window, context, world, store, qtbot):
    fresh = add_take(store, world["ann"].id, "email-outreach", duration_s=10.0, submitted_at="2030-01-01T00:00:00Z")
    cy = PeopleRepo(store).add("Cy", "rep", "South")
    from store.kit import KitRepo
    from store.scores import CriterionScore, ScorecardDraft
    crit = KitRepo(store).criteria(KitRepo(store).exercise("cold-call")["rubric_id"])
    ScoreRepo(store).submit(ScorecardDraft(world["take"], cy.id, [CriterionScore(c["id"], 3) for c in crit]))
    main_window.show_page(1)
    page = main_window.page("review")
    assert [r.recording_id for r in page.list.model.rows] == [fresh, world["take"]]     # newest first
    page.list.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    assert [r.scorers for r in page.list.model.rows] == [1, 0]
    page.list.refresh()                                          # a refresh keeps the chosen order
    assert [r.recording_id for r in page.list.model.rows] == [world["take"], fresh]


def test_clicking_a_word_seeks_to_that_word(main_window, world, qtbot):
    main_window.show_page(1)
    page = main_window.page("review")
    page.list.select_row(0)
    rect = page.transcript.word_rect("vendor")
    with qtbot.waitSignal(page.player.position_changed) as sig:
        qtbot.mouseClick(page.transcript.browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # "We already have a vendor for that": 7 words evenly over 9.5-14.0 s, "vendor" is the 5th
    assert sig.args[0] == pytest.approx(9.5 + 4 * 4.5 / 7, abs=0.001)


def test_keys_work_while_the_transcript_has_focus(main_window, world, qtbot):
    main_window.show_page(1)
    page = main_window.page("review")
    page.list.select_row(0)
    page.transcript.browser.setFocus()
    qtbot.keyClick(page.transcript.browser, Qt.Key.Key_4)
    qtbot.keyClick(page.transcript.browser, Qt.Key.Key_Right)
    assert page.form.rows[0].score == 4 and page.player.position() == pytest.approx(5.0)


def test_a_draft_stays_with_the_reviewer_who_typed_it(main_window, context, world, store, qtbot):
    cy = PeopleRepo(store).add("Cy Peer", "rep", "South")
    main_window.show_page(1)
    page = main_window.page("review")
    page.open_take(world["take"])
    page.form.score_focused(5)
    context.set_person(cy)                       # someone else steps up to the station
    assert page.form.rows[0].score is None       # cy does not see bob's unsubmitted score
    context.set_person(world["bob"])
    assert page.form.rows[0].score == 5 and "back" in page.form.message.text()
