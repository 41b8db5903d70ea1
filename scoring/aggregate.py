"""Peer scores of one take aggregated per criterion, with flags for the coach.  Pure, no Qt, no store.

Definitions (used by the Coach page, the export and the dashboard):

* per criterion: ``mean`` of the current scores, ``spread`` = population standard deviation of those
  scores (0 when everyone agrees; 2 is the largest possible on 1-5), ``low``/``high`` and ``n``.
* per take: ``total`` = the rubric's weighted total of the criterion means (scoring.rubric), on 1-5;
  ``scorers`` = number of scorecards (each scorer's latest version only); ``spread`` = the largest
  criterion spread.
* flags: ``too_few`` when scorers < ``min_scorers``; ``disagree`` when any criterion's spread is at
  least ``disagreement_sd`` (default 1.0: e.g. scores 2 and 4, or 1,3,3,5).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from scoring.rubric import CriterionRule, RubricResult, evaluate

MIN_SCORERS = 3
DISAGREEMENT_SD = 1.0


@dataclass(frozen=True)
class CriterionAggregate:
    criterion_id: str
    n: int
    mean: float | None
    spread: float | None     # population standard deviation
    low: int | None
    high: int | None


@dataclass(frozen=True)
class TakeAggregate:
    scorers: int
    criteria: dict[str, CriterionAggregate] = field(default_factory=dict)
    result: RubricResult | None = None
    too_few: bool = True
    disagree: bool = False

    @property
    def total(self) -> float | None:
        return self.result.total if self.result else None

    @property
    def spread(self) -> float | None:
        spreads = [c.spread for c in self.criteria.values() if c.spread is not None]
        return max(spreads) if spreads else None

    @property
    def flags(self) -> tuple[str, ...]:
        out = []
        if self.too_few:
            out.append("too few scorers")
        if self.disagree:
            out.append("high disagreement")
        if self.result is not None and not self.result.meets_required:
            out.append("below required")
        return tuple(out)


def criterion_aggregate(criterion_id: str, scores: Sequence[float]) -> CriterionAggregate:
    n = len(scores)
    if n == 0:
        return CriterionAggregate(criterion_id, 0, None, None, None, None)
    mean = sum(scores) / n
    spread = math.sqrt(sum((s - mean) ** 2 for s in scores) / n)
    return CriterionAggregate(criterion_id, n, mean, spread, int(min(scores)), int(max(scores)))


def aggregate_take(scores: Mapping[str, Sequence[float]], criteria: Sequence[CriterionRule],
                   scorers: int | None = None, min_scorers: int = MIN_SCORERS,
                   disagreement_sd: float = DISAGREEMENT_SD) -> TakeAggregate:
    """``scores``: criterion id -> the current scores given for it (one per scorecard).

    ``scorers`` defaults to the largest number of scores on any criterion."""
    per = {c.id: criterion_aggregate(c.id, list(scores.get(c.id, ()))) for c in criteria}
    for cid, values in scores.items():            # scores for criteria no longer in the rubric
        if cid not in per:
            per[cid] = criterion_aggregate(cid, list(values))
    if scorers is None:
        scorers = max((a.n for a in per.values()), default=0)
    means = {cid: a.mean for cid, a in per.items() if a.mean is not None and
             any(c.id == cid for c in criteria)}
    result = evaluate(means, criteria) if means else None
    disagree = any(a.spread is not None and a.n >= 2 and a.spread >= disagreement_sd - 1e-9
                   for a in per.values())
    return TakeAggregate(scorers, per, result, scorers < min_scorers, disagree)


def scorecard_total(scores: Mapping[str, float], criteria: Sequence[CriterionRule]) -> float | None:
    """One scorecard's weighted total (1-5)."""
    return evaluate({k: v for k, v in scores.items() if v is not None}, criteria).total


def group_scores(rows: Iterable[tuple[str, str, float]]) -> dict[str, dict[str, list[float]]]:
    """(take id, criterion id, score) rows to take -> criterion -> scores."""
    out: dict[str, dict[str, list[float]]] = {}
    for take, criterion, score in rows:
        out.setdefault(take, {}).setdefault(criterion, []).append(float(score))
    return out
