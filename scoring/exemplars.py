"""Which takes a coach should consider promoting as exemplars.  Pure, no Qt, no store.

A candidate has enough scorers, meets the rubric's required criteria, and peers agree about it. Takes
are ranked by a cautious score: the weighted total minus its uncertainty, ``total - spread / sqrt(n)``,
so a 4.6 from two peers who disagree does not outrank a 4.4 from six who agree.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Hashable, Iterable

from scoring.aggregate import TakeAggregate

MIN_TOTAL = 4.0


@dataclass(frozen=True)
class Candidate:
    take_id: Hashable
    total: float
    cautious: float
    scorers: int


def cautious_total(agg: TakeAggregate) -> float | None:
    if agg.total is None or agg.scorers == 0:
        return None
    return agg.total - (agg.spread or 0.0) / math.sqrt(agg.scorers)


def exemplar_candidates(takes: Iterable[tuple[Hashable, TakeAggregate]], limit: int = 5,
                        min_total: float = MIN_TOTAL, exclude: Iterable[Hashable] = ()) -> list[Candidate]:
    """The best ``limit`` takes worth promoting, best first (ties: more scorers, then id)."""
    skip = set(exclude)
    out = []
    for take_id, agg in takes:
        if take_id in skip or agg.too_few or agg.disagree or agg.result is None:
            continue
        if not agg.result.meets_required or agg.total is None or agg.total < min_total:
            continue
        out.append(Candidate(take_id, agg.total, cautious_total(agg) or 0.0, agg.scorers))
    out.sort(key=lambda c: (-c.cautious, -c.scorers, str(c.take_id)))
    return out[:limit]
