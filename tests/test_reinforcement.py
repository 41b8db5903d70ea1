"""Spaced reinforcement dates (scoring/reinforcement.py)."""
from datetime import date

from scoring.reinforcement import Trigger, due_on, low_score_triggers, schedule, upcoming

CERT = Trigger("certified", date(2026, 1, 10), ("ex1",), "New messaging", "p1", date(2026, 7, 9), "s1")


def test_schedule_dates():
    got = [(r.kind, r.due) for r in schedule(CERT)]
    assert got == [("practice", date(2026, 1, 11)), ("practice", date(2026, 1, 17)),
                   ("practice", date(2026, 2, 9)), ("recertify", date(2026, 6, 9)),
                   ("expired", date(2026, 7, 10))]


def test_nothing_due_on_the_day_itself():
    assert due_on(date(2026, 1, 10), [CERT]) == []


def test_one_prompt_at_a_time_latest_step():
    assert [(r.step, r.due) for r in due_on(date(2026, 1, 11), [CERT])] == [(1, date(2026, 1, 11))]
    # a rep who skipped a week sees the 7-day prompt, not both
    assert [r.step for r in due_on(date(2026, 1, 20), [CERT])] == [7]


def test_practice_on_or_after_due_day_clears_it():
    assert due_on(date(2026, 1, 20), [CERT], practiced=[("ex1", "2026-01-17T09:00:00Z")]) == []
    # practice before the prompt fell due does not count, nor does another exercise
    assert len(due_on(date(2026, 1, 20), [CERT], practiced=[("ex1", "2026-01-16"), ("ex2", "2026-01-18")])) == 1


def test_recertify_then_expired():
    before = due_on(date(2026, 6, 8), [CERT], practiced=[("ex1", "2026-02-10")])
    assert before == []
    window = due_on(date(2026, 6, 9), [CERT], practiced=[("ex1", "2026-02-10")])
    assert [r.kind for r in window] == ["recertify"]
    assert "expires on 2026-07-09" in window[0].text(date(2026, 6, 9))
    after = due_on(date(2026, 7, 10), [CERT], practiced=[("ex1", "2026-02-10")])
    assert [r.kind for r in after] == ["expired"]
    assert due_on(date(2026, 7, 10), [CERT], practiced=[("ex1", "2026-02-10")], renewed={"s1"}) == []


def test_low_score_triggers():
    takes = [{"recording_id": "r1", "exercise_id": "ex1", "exercise": "Cold call", "total": 2.4,
              "submitted_at": "2026-03-01T10:00:00Z"},
             {"recording_id": "r2", "exercise_id": "ex1", "exercise": "Cold call", "total": 4.0,
              "submitted_at": "2026-03-02T10:00:00Z"},
             {"recording_id": "r3", "exercise_id": "ex1", "total": None, "submitted_at": "2026-03-02"}]
    triggers = low_score_triggers(takes)
    assert [t.ref for t in triggers] == ["r1"]
    due = due_on(date(2026, 3, 31), triggers)
    assert [(r.step, r.label) for r in due] == [(30, "Cold call")]
    assert due[0].text(date(2026, 3, 31)).endswith("— due today")
    assert due[0].text(date(2026, 4, 2)).endswith("— 2 day(s) overdue")
    assert [r.kind for r in schedule(triggers[0])] == ["practice"] * 3


def test_upcoming():
    assert [r.step for r in upcoming(date(2026, 1, 10), [CERT], days=7)] == [1, 7]


def test_one_prompt_per_exercise():
    a = Trigger("low_score", date(2026, 3, 1), ("ex1",), "Cold call", ref="r1")
    b = Trigger("low_score", date(2026, 3, 3), ("ex1",), "Cold call", ref="r2")
    c = Trigger("low_score", date(2026, 3, 3), ("ex2",), "Email", ref="r3")
    due = due_on(date(2026, 3, 9), [a, b, c])
    assert [(r.ref, r.step) for r in due] == [("r3", 1), ("r1", 7)]
