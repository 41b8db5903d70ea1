"""Agreement between scorers: Krippendorff's alpha (ordinal) and each scorer's bias against consensus.

Why Krippendorff's alpha: peers score on an ordered 1-5 scale, each take is scored by a different,
varying number of peers (2..n, with gaps), and alpha handles any number of coders and missing values
where ICC and Cohen's/Fleiss' kappa need a full or fixed design. The ordinal metric counts a 2-vs-4
disagreement as worse than 3-vs-4, in proportion to how many scores lie between the two values.

The computation is pure Python (coincidence matrix, Krippendorff 2011, "Computing Krippendorff's
alpha-reliability", section C): it is small, needs no numpy, and is checked in tests/test_agreement.py
against the published worked example of that paper and against the `krippendorff` package.

    alpha = 1 - D_o / D_e
    o_ck  = sum over units u with m_u >= 2 values of (number of c-k pairs in u) / (m_u - 1)
    n_c   = sum_k o_ck,  n = sum_c n_c
    D_o   = sum_c sum_k o_ck * delta2(c, k) / n
    D_e   = sum_c sum_k n_c * n_k * delta2(c, k) / (n * (n - 1))
    ordinal delta2(c, k) = (sum_{g=c..k} n_g - (n_c + n_k) / 2) ** 2

Bias: for every score a scorer gave, the consensus is the mean of the OTHER scorers' scores for the
same take and criterion (leave-one-out, so a scorer does not pull the consensus toward themself);
a scorer's bias is the mean of (their score - consensus). Negative = harsher than peers, positive =
more lenient. Only scores with at least one other scorer count.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Hashable, Iterable, Mapping, Sequence

LEVELS = ("nominal", "ordinal", "interval")


@dataclass(frozen=True)
class Agreement:
    alpha: float | None     # None when it cannot be computed (fewer than 2 pairable values, or no variation)
    units: int              # units with at least two values (pairable)
    values: int             # pairable values (n)
    level: str = "ordinal"

    @property
    def label(self) -> str:
        return describe_alpha(self.alpha)


def describe_alpha(alpha: float | None) -> str:
    """Krippendorff's own reading: >= .800 reliable, .667-.800 tentative, below that unreliable."""
    if alpha is None:
        return "not enough data"
    if alpha >= 0.8:
        return "good"
    if alpha >= 0.667:
        return "tentative"
    return "low"


def coincidences(units: Iterable[Sequence[float]]) -> tuple[dict[tuple[float, float], float], int]:
    """The coincidence matrix o_ck from each unit's values (missing values simply absent)."""
    o: dict[tuple[float, float], float] = defaultdict(float)
    pairable_units = 0
    for values in units:
        m = len(values)
        if m < 2:
            continue
        pairable_units += 1
        counts = Counter(values)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                if pairs:
                    o[(c, k)] += pairs / (m - 1)
    return dict(o), pairable_units


def _delta2(level: str, categories: list[float], marginals: Mapping[float, float]):
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if level == "interval":
        return lambda c, k: (c - k) ** 2
    if level != "ordinal":
        raise ValueError(f"level must be one of {LEVELS}")
    cum, running = {}, 0.0
    for c in categories:            # cumulative marginals so each delta is O(1)
        running += marginals[c]
        cum[c] = running

    def ordinal(c, k):
        lo, hi = (c, k) if c <= k else (k, c)
        between = cum[hi] - cum[lo] + marginals[lo]      # sum of n_g for g in [lo, hi]
        return (between - (marginals[lo] + marginals[hi]) / 2) ** 2
    return ordinal


def krippendorff_alpha(units: Iterable[Sequence[float]], level: str = "ordinal") -> Agreement:
    """Alpha over units (e.g. takes), each given as the list of values its coders gave."""
    o, pairable_units = coincidences(units)
    marginals: dict[float, float] = defaultdict(float)
    for (c, _k), v in o.items():
        marginals[c] += v
    n = sum(marginals.values())
    if n <= 1:
        return Agreement(None, pairable_units, int(round(n)), level)
    categories = sorted(marginals)
    delta2 = _delta2(level, categories, marginals)
    d_o = sum(v * delta2(c, k) for (c, k), v in o.items()) / n
    d_e = sum(marginals[c] * marginals[k] * delta2(c, k) for c in categories for k in categories)
    d_e /= n * (n - 1)
    if d_e == 0:
        return Agreement(None, pairable_units, int(round(n)), level)   # every value the same
    return Agreement(1 - d_o / d_e, pairable_units, int(round(n)), level)


@dataclass(frozen=True)
class ScorerBias:
    scorer_id: Hashable
    bias: float            # mean(score - leave-one-out consensus); < 0 harsh, > 0 lenient
    mean_abs: float        # mean |score - consensus|: how far from peers, whatever the direction
    n: int                 # scores compared

    @property
    def label(self) -> str:
        if self.n < 5:
            return "too few scores"
        if self.bias <= -0.5:
            return "harsh"
        if self.bias >= 0.5:
            return "lenient"
        return "in line"


def scorer_bias(ratings: Iterable[tuple[Hashable, Hashable, float]]) -> list[ScorerBias]:
    """Bias per scorer from (unit, scorer, score) triples; a unit is a (take, criterion) pair.

    Sorted from harshest to most lenient."""
    by_unit: dict[Hashable, list[tuple[Hashable, float]]] = defaultdict(list)
    for unit, scorer, score in ratings:
        by_unit[unit].append((scorer, float(score)))
    diffs: dict[Hashable, list[float]] = defaultdict(list)
    for entries in by_unit.values():
        m = len(entries)
        if m < 2:
            continue
        total = sum(s for _, s in entries)
        for scorer, score in entries:
            diffs[scorer].append(score - (total - score) / (m - 1))
    out = [ScorerBias(scorer, sum(d) / len(d), sum(abs(x) for x in d) / len(d), len(d))
           for scorer, d in diffs.items()]
    out.sort(key=lambda b: (b.bias, str(b.scorer_id)))
    return out
