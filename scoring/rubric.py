"""Rubric evaluation: weighted totals on the 1-5 scale, normalised totals, required criteria.

Pure functions over plain values; the store and the pages pass criteria rows in and get results out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

SCALE_MIN, SCALE_MAX = 1, 5


@dataclass(frozen=True)
class CriterionRule:
    id: str
    slug: str
    title: str
    weight: float = 1.0
    required: bool = False
    min_score: int | None = None


@dataclass(frozen=True)
class RubricResult:
    total: float | None            # weighted mean of the scored criteria, 1..5 (None: nothing scored)
    normalised: float | None       # the same on 0..1: (total - 1) / 4
    complete: bool                 # every criterion scored
    missing_required: tuple[str, ...]  # ids of required criteria with no score
    below_minimum: tuple[str, ...]     # ids of criteria scored under their own minimum

    @property
    def meets_required(self) -> bool:
        return not self.missing_required and not self.below_minimum


def rules_from_rows(rows: Iterable[Mapping]) -> list[CriterionRule]:
    """Criteria rows as the store returns them (KitRepo.criteria) to rules."""
    return [CriterionRule(r["id"], r.get("slug", r["id"]), r.get("title", ""), float(r.get("weight", 1)),
                          bool(r.get("required", False)), r.get("min_score")) for r in rows]


def weighted_total(scores: Mapping[str, float], criteria: Sequence[CriterionRule]) -> float | None:
    """Weighted mean over the criteria that have a score; None when none has."""
    weight_sum = sum(c.weight for c in criteria if scores.get(c.id) is not None)
    if weight_sum == 0:
        return None
    return sum(c.weight * scores[c.id] for c in criteria if scores.get(c.id) is not None) / weight_sum


def normalise(total: float | None) -> float | None:
    return None if total is None else (total - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)


def evaluate(scores: Mapping[str, float], criteria: Sequence[CriterionRule]) -> RubricResult:
    """Evaluate one scorecard (or one take's mean scores) against its rubric's criteria."""
    for criterion_id, value in scores.items():
        if value is not None and not SCALE_MIN <= value <= SCALE_MAX:
            raise ValueError(f"score {value} for {criterion_id} is outside {SCALE_MIN}-{SCALE_MAX}")
    total = weighted_total(scores, criteria)
    missing = tuple(c.id for c in criteria if c.required and scores.get(c.id) is None)
    below = tuple(c.id for c in criteria if c.min_score is not None and scores.get(c.id) is not None
                  and scores[c.id] < c.min_score)
    complete = all(scores.get(c.id) is not None for c in criteria)
    return RubricResult(total, normalise(total), complete, missing, below)
