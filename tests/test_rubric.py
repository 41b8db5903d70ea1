"""Rubric evaluation against hand-computed values."""
import pytest

from scoring.rubric import CriterionRule, evaluate, normalise, weighted_total

PILLARS = CriterionRule("p", "pillars", "Used the pillars", weight=3, required=True, min_score=4)
REFRAME = CriterionRule("r", "reframe", "Reframed", weight=2)
CTA = CriterionRule("c", "cta", "Call to action", weight=1)
RUBRIC = [PILLARS, REFRAME, CTA]


def test_weighted_total_by_hand():
    # (3*4 + 2*3 + 1*5) / 6 = 23/6
    assert weighted_total({"p": 4, "r": 3, "c": 5}, RUBRIC) == pytest.approx(23 / 6)
    # unscored criteria do not count: (2*3 + 1*5) / 3
    assert weighted_total({"r": 3, "c": 5}, RUBRIC) == pytest.approx(11 / 3)
    assert weighted_total({}, RUBRIC) is None


def test_normalised_and_required():
    result = evaluate({"p": 3, "r": 5, "c": 5}, RUBRIC)
    assert result.total == pytest.approx((9 + 10 + 5) / 6)
    assert result.normalised == pytest.approx((4 - 1) / 4)
    assert result.complete and result.below_minimum == ("p",) and not result.meets_required
    missing = evaluate({"r": 5}, RUBRIC)
    assert missing.missing_required == ("p",) and not missing.complete
    assert evaluate({"p": 4, "r": 1, "c": 1}, RUBRIC).meets_required
    assert normalise(1) == 0 and normalise(5) == 1


def test_out_of_scale_scores_are_refused():
    with pytest.raises(ValueError):
        evaluate({"p": 6}, RUBRIC)
