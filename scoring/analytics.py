"""The dashboard's pure side (issue #8): filters, result tables and the calculations on rows already
read — ranking, team roll-ups, adoption roll-ups, Krippendorff's alpha from a coincidence matrix.

The SQL that reads those rows lives in store/analytics/ (the page, `rolecall report` and the
benchmarks call it); nothing here touches a database. No Qt.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from scoring.csv_safe import safe_row

BUCKETS = ("week", "day")
HIGH = 4.0      # a term is "scored high" on a take when its linked criteria average at least this


@dataclass(frozen=True)
class Filters:
    date_from: str | None = None     # YYYY-MM-DD, inclusive
    date_to: str | None = None       # YYYY-MM-DD, inclusive
    team: str | None = None
    exercise: str | None = None      # exercise id or slug
    bucket: str = "week"             # time buckets for "over time" figures

    def with_(self, **changes) -> "Filters":
        return replace(self, **changes)


@dataclass
class Table:
    """One figure's data: what the page charts, what CSV/JSON exports hold."""
    name: str
    columns: list[str]
    rows: list[dict] = field(default_factory=list)

    def column(self, name: str) -> list:
        return [r.get(name) for r in self.rows]

    def to_csv(self) -> str:
        """The rows as CSV with a header (empty cells for None), what every chart's CSV export writes."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(safe_row("" if row.get(c) is None else row.get(c) for c in self.columns))
        return buffer.getvalue()


def check_bucket(bucket: str) -> str:
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {BUCKETS}")
    return bucket


def next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def share(part, whole) -> float | None:
    return None if not whole else part / whole


def rounded(value, digits: int = 3):
    return None if value is None else round(value, digits)


# -- leaderboards ---------------------------------------------------------------------------------
def rank(items: list[dict], key) -> None:
    """Sort ``items`` by ``key`` (then rep or team name) and give each a ``rank``; ties share one."""
    items.sort(key=lambda r: (key(r), r.get("rep") or r.get("team") or ""))
    previous, current = None, 0
    for position, item in enumerate(items, start=1):
        k = key(item)
        if k != previous:
            current, previous = position, k
        item["rank"] = current


def score_key(avg, exercises) -> tuple:
    """Ranking order: scored before unscored, higher average first, then more exercises."""
    return (avg is None, -(avg or 0.0), -exercises)


def team_rows(reps: list[dict]) -> list[dict]:
    """Per-rep rows (takes, scored_takes, score_sum, exercises, certifications, improvement) rolled up
    per team: the mean score of the team's takes, exercises per rep, the mean improvement."""
    teams: dict[str, dict] = {}
    for r in reps:
        name = r["team"] or "(no team)"
        t = teams.setdefault(name, {"team": name, "reps": 0, "takes": 0, "scored": 0, "sum": 0.0,
                                    "exercises": 0, "certifications": 0, "improvements": []})
        t["reps"] += 1
        t["takes"] += r["takes"]
        t["scored"] += r["scored_takes"]
        t["sum"] += r["score_sum"] or 0.0
        t["exercises"] += r["exercises"]
        t["certifications"] += r["certifications"]
        if r["improvement"] is not None:
            t["improvements"].append(r["improvement"])
    out = []
    for t in teams.values():
        imp = t.pop("improvements")
        scored, total, exercises = t.pop("scored"), t.pop("sum"), t.pop("exercises")
        out.append({**t, "avg_score": rounded(total / scored if scored else None),
                    "exercises_per_rep": rounded(exercises / t["reps"], 2),
                    "improvement": rounded(sum(imp) / len(imp) if imp else None)})
    rank(out, lambda r: score_key(r["avg_score"], r["exercises_per_rep"]))
    return out


# -- vocabulary adoption --------------------------------------------------------------------------
TERM_COLUMNS = ["term", "transcribed_takes", "used_takes", "used_share", "scored_takes",
                "scored_high_takes", "scored_high_share"]


def adoption_rollup(cube: dict, key) -> tuple[dict, dict]:
    """Sum the (bucket, team, term) cube over ``key(row)``: transcribed takes per key, and per
    (key, term) the takes that used the term, were scored on it, and scored high on it."""
    transcribed: dict = defaultdict(int)
    for r in cube["transcribed"]:
        transcribed[key(r)] += r["n"]
    counts: dict = defaultdict(lambda: {"used": 0, "scored": 0, "high": 0})
    for r in cube["counts"]:
        c = counts[(key(r), r["term_id"])]
        for name in ("used", "scored", "high"):
            c[name] += r[name]
    return transcribed, counts


def adoption_row(term: dict, transcribed: int, c: dict) -> dict:
    used, scored, high = c.get("used", 0), c.get("scored", 0), c.get("high", 0)
    return {"term_id": term["term_id"], "slug": term["slug"], "term": term["term"],
            "transcribed_takes": transcribed, "used_takes": used,
            "used_share": rounded(share(used, transcribed)), "scored_takes": scored,
            "scored_high_takes": high, "scored_high_share": rounded(share(high, scored))}


# -- agreement ------------------------------------------------------------------------------------
def alpha_from_coincidences(o: dict[tuple[float, float], float]) -> tuple[float | None, float]:
    """Ordinal Krippendorff's alpha from a coincidence matrix (as in scoring/agreement.py)."""
    marginals: dict[float, float] = defaultdict(float)
    for (c, _k), v in o.items():
        marginals[c] += v
    n = sum(marginals.values())
    if n <= 1:
        return None, n
    categories = sorted(marginals)
    cum, running = {}, 0.0
    for c in categories:
        running += marginals[c]
        cum[c] = running

    def delta2(c, k):
        lo, hi = (c, k) if c <= k else (k, c)
        return (cum[hi] - cum[lo] + marginals[lo] - (marginals[lo] + marginals[hi]) / 2) ** 2
    d_o = sum(v * delta2(c, k) for (c, k), v in o.items()) / n
    d_e = sum(marginals[c] * marginals[k] * delta2(c, k) for c in categories for k in categories)
    d_e /= n * (n - 1)
    if d_e == 0:
        return None, n
    return 1 - d_o / d_e, n
