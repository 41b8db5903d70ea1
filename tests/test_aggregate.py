"""Aggregation per take and criterion, and exemplar selection, against hand-computed values."""
import math

import pytest

from scoring.aggregate import aggregate_take, criterion_aggregate, group_scores, scorecard_total
from scoring.exemplars import cautious_total, exemplar_candidates
from scoring.rubric import CriterionRule

P = CriterionRule("p", "pillars", "Pillars", weight=3, required=True, min_score=4)
R = CriterionRule("r", "reframe", "Reframe", weight=2)
C = CriterionRule("c", "cta", "Call to action", weight=1)
RUBRIC = [P, R, C]


def test_criterion_aggregate_by_hand():
    a = criterion_aggregate("p", [4, 5, 3])
    assert (a.n, a.mean, a.low, a.high) == (3, 4.0, 3, 5)
    assert a.spread == pytest.approx(math.sqrt(2 / 3))       # population sd of 4,5,3
    assert criterion_aggregate("x", []).mean is None


def test_take_aggregate_by_hand():
    agg = aggregate_take({"p": [4, 5, 3], "r": [2, 4, 3], "c": [5, 5, 5]}, RUBRIC)
    assert agg.scorers == 3 and not agg.too_few and not agg.disagree
    assert agg.total == pytest.approx((3 * 4 + 2 * 3 + 1 * 5) / 6)   # 23/6
    assert agg.spread == pytest.approx(math.sqrt(2 / 3))
    assert agg.result.meets_required and agg.flags == ()


def test_flags():
    split = aggregate_take({"p": [4, 4], "r": [1, 5], "c": [3, 3]}, RUBRIC, min_scorers=3)
    assert split.too_few and split.disagree                  # 2 scorers; sd(1,5) = 2
    assert split.flags == ("too few scorers", "high disagreement")
    edge = aggregate_take({"p": [4, 4, 4, 4], "r": [2, 4, 2, 4], "c": [3] * 4}, RUBRIC)
    assert edge.disagree                                     # sd(2,4,2,4) = 1.0: at the threshold
    low = aggregate_take({"p": [3, 3, 3], "r": [5, 5, 5], "c": [5, 5, 5]}, RUBRIC)
    assert "below required" in low.flags                     # pillars mean 3 < min 4
    empty = aggregate_take({}, RUBRIC)
    assert empty.total is None and empty.scorers == 0 and empty.too_few


def test_scorecard_total_and_grouping():
    assert scorecard_total({"p": 5, "r": 3, "c": None}, RUBRIC) == pytest.approx((15 + 6) / 5)
    rows = [("t1", "p", 4), ("t1", "p", 5), ("t2", "r", 1)]
    assert group_scores(rows) == {"t1": {"p": [4.0, 5.0]}, "t2": {"r": [1.0]}}


def test_exemplar_candidates_prefer_agreement():
    six_agree = aggregate_take({"p": [5, 4, 5, 4, 5, 4], "r": [4] * 6, "c": [5] * 6}, RUBRIC)
    two_split = aggregate_take({"p": [5, 5], "r": [5, 5], "c": [5, 3]}, RUBRIC, min_scorers=2)
    weak = aggregate_take({"p": [3, 3, 3], "r": [3] * 3, "c": [3] * 3}, RUBRIC)
    # six_agree: total (3*4.5 + 2*4 + 5)/6 = 26.5/6; spread 0.5 -> cautious 26.5/6 - 0.5/sqrt(6)
    assert cautious_total(six_agree) == pytest.approx(26.5 / 6 - 0.5 / math.sqrt(6))
    # two_split: total (15+10+4)/6 = 29/6, spread 1.0 -> cautious 29/6 - 1/sqrt(2) < six_agree's
    assert cautious_total(two_split) == pytest.approx(29 / 6 - 1 / math.sqrt(2))
    picked = exemplar_candidates([("a", six_agree), ("b", two_split), ("w", weak)])
    assert [c.take_id for c in picked] == ["a"]        # b flagged (disagreement), w below 4.0
    assert exemplar_candidates([("a", six_agree)], exclude=["a"]) == []
