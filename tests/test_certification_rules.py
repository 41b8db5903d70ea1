"""Readiness rules (scoring/certification.py): pure, no store."""
from datetime import date

import pytest

from scoring.certification import (PastDecision, ProgramRule, Take, candidates, check_decision,
                                   current_certificate, readiness, suggested_reasons, valid_until)
from scoring.rubric import CriterionRule

CRITERIA = [CriterionRule("pillars", "pillars", "Pillars", 3, True, 4),
            CriterionRule("reframe", "reframe", "Reframe", 2),
            CriterionRule("cta", "cta", "Call to action", 1)]
PROGRAM = ProgramRule("p1", "nm", "New messaging", "r1", ("ex1", "ex2"), 3.5, {"pillars": 4}, 2, 180)
TODAY = date(2026, 11, 23)


def card(p, r, c):
    return {"pillars": p, "reframe": r, "cta": c}


def good_takes():
    return [Take("t1", "ex1", "2026-11-20", (card(5, 4, 3), card(4, 4, 4))),
            Take("t2", "ex2", "2026-11-21", (card(4, 3, 4), card(5, 4, 4)))]


def keys(result):
    return {r.key for r in result.missing}


def test_all_requirements_met():
    result = readiness(PROGRAM, CRITERIA, good_takes(), today=TODAY)
    assert result.met and result.status == "ready"
    assert result.evidence == ("t1", "t2")
    assert result.scorecard_count == 4
    # pillars mean 4.5, reframe 3.75, cta 3.75 -> (3*4.5 + 2*3.75 + 3.75) / 6
    assert result.total == pytest.approx((13.5 + 7.5 + 3.75) / 6)


def test_missing_exercise_and_scorecards():
    takes = good_takes()[:1]
    result = readiness(PROGRAM, CRITERIA, takes, today=TODAY)
    assert keys(result) == {"exercises", "scorecards"}
    assert result.close and result.status == "close"
    assert "needs 2 more peer scorecard" in result.missing_text()


def test_too_few_scorecards_on_one_take():
    takes = [good_takes()[0], Take("t2", "ex2", "2026-11-21", (card(5, 5, 5),))]
    result = readiness(PROGRAM, CRITERIA, takes, today=TODAY)
    assert keys(result) == {"scorecards"}
    assert "needs 1 more" in result.missing_text()


def test_below_threshold_and_required_criterion():
    takes = [Take("t1", "ex1", "d", (card(3, 3, 3), card(3, 3, 3))),
             Take("t2", "ex2", "d", (card(3, 3, 3), card(4, 3, 3)))]
    result = readiness(PROGRAM, CRITERIA, takes, today=TODAY)
    assert keys(result) == {"threshold", "criterion:pillars"}
    assert "Pillars: 3.25 of 4 needed" in result.missing_text()


def test_high_total_cannot_hide_a_weak_required_criterion():
    takes = [Take("t1", "ex1", "d", (card(3, 5, 5), card(3, 5, 5))),
             Take("t2", "ex2", "d", (card(3, 5, 5), card(3, 5, 5)))]
    result = readiness(PROGRAM, CRITERIA, takes, today=TODAY)
    assert keys(result) == {"criterion:pillars"}
    assert result.total >= 3.5


def test_latest_submitted_take_per_exercise_counts():
    old_good = Take("old", "ex1", "2026-11-01", (card(5, 5, 5), card(5, 5, 5)))
    new_weak = Take("new", "ex1", "2026-11-22", (card(2, 2, 2), card(2, 2, 2)))
    result = readiness(PROGRAM, CRITERIA, [old_good, new_weak, good_takes()[1]], today=TODAY)
    assert "new" in result.evidence and "old" not in result.evidence
    assert "threshold" in keys(result)


def test_other_exercises_are_ignored_and_nothing_means_not_started():
    result = readiness(PROGRAM, CRITERIA, [Take("x", "other", "d", (card(5, 5, 5),))], today=TODAY)
    assert result.status == "not_started" and not result.close and result.total is None


def test_valid_certificate_blocks_until_renewal_window():
    cert = PastDecision("certified", "2026-06-01T10:00:00Z", "2026-12-31")
    far = readiness(PROGRAM, CRITERIA, good_takes(), [cert], today=date(2026, 11, 1))
    assert keys(far) == {"not_certified"} and far.status == "certified"
    near = readiness(PROGRAM, CRITERIA, good_takes(), [cert], today=date(2026, 12, 5))
    assert near.met and near.certified_until == "2026-12-31"
    expired = readiness(PROGRAM, CRITERIA, good_takes(), [cert], today=date(2027, 1, 1))
    assert expired.met and expired.certified_until is None


def test_later_needs_rework_withdraws_certificate():
    cert = PastDecision("certified", "2026-11-01T10:00:00Z", "2027-05-01")
    rework = PastDecision("needs_rework", "2026-11-02T10:00:00Z")
    assert current_certificate([rework, cert], TODAY) is None
    assert current_certificate([cert], TODAY) == cert


def test_candidates_ready_and_close_sorted():
    ready = readiness(PROGRAM, CRITERIA, good_takes(), today=TODAY)
    close = readiness(PROGRAM, CRITERIA, good_takes()[:1], today=TODAY)
    nothing = readiness(PROGRAM, CRITERIA, [], today=TODAY)
    assert candidates({"a": ready, "b": close, "c": nothing}) == (["a"], ["b"])


def test_decision_checks():
    ready = readiness(PROGRAM, CRITERIA, good_takes(), today=TODAY)
    short = readiness(PROGRAM, CRITERIA, good_takes()[:1], today=TODAY)
    check_decision("certified", ready, {})
    with pytest.raises(ValueError, match="Not every requirement"):
        check_decision("certified", short, {})
    with pytest.raises(ValueError, match="reason"):
        check_decision("needs_rework", short, {"pillars": "  "})
    check_decision("needs_rework", short, {"pillars": "Only two pillars."})
    with pytest.raises(ValueError, match="no submitted take"):
        check_decision("needs_rework", readiness(PROGRAM, CRITERIA, [], today=TODAY), {"x": "y"})
    with pytest.raises(ValueError, match="not a decision"):
        check_decision("maybe", ready, {})


def test_valid_until_and_suggested_reasons():
    assert valid_until("2026-11-23T22:00:00Z", 180) == date(2027, 5, 22)
    reasons = suggested_reasons(PROGRAM, CRITERIA, readiness(PROGRAM, CRITERIA, good_takes(), today=TODAY))
    assert reasons["pillars"] == "Peer mean 4.5/5 (minimum 4: met)."
    assert reasons["cta"].startswith("Peer mean 3.8/5")


def test_rubric_required_minimum_applies_without_program_list():
    program = ProgramRule("p2", "x", "X", "r1", ("ex1",), 1.0, {}, 1, 30)
    result = readiness(program, CRITERIA, [Take("t", "ex1", "d", (card(3, 5, 5),))], today=TODAY)
    assert keys(result) == {"criterion:pillars"}


def test_certified_rep_is_not_close():
    cert = PastDecision("certified", "2026-06-01T10:00:00Z", "2027-06-01")
    result = readiness(PROGRAM, CRITERIA, good_takes(), [cert], today=TODAY)
    assert result.status == "certified" and not result.close
    assert candidates({"a": result}) == ([], [])


def test_short_missing_text_for_the_list():
    takes = [Take("t1", "ex1", "d", (card(3, 3, 3), card(3, 3, 3)))]
    result = readiness(PROGRAM, CRITERIA, takes, today=TODAY)
    assert result.missing_short() == "1 exercise(s) to submit, 2 more scorecard(s), total 3.00 < 3.5, Pillars 3.00 < 4"
