"""Vocabulary adoption (issue #8): is the shared vocabulary really used, and used well? No Qt.

For each term, over the filtered takes:
* ``used_share`` = takes whose transcript has at least one hit of the term / transcribed takes
  (takes with a complete transcript; takes not transcribed yet are left out of both counts);
* ``scored_high_share`` = takes whose peers scored the term's linked criteria (``criteria.terms``)
  at 4 or more on average / takes with a peer score on any of those criteria. A take's figure for a
  term is the mean of its criterion means over the linked criteria it was scored on.
The same per time bucket (week or day of the take) and per team (the term x team heat map).
"""
from __future__ import annotations

from collections import defaultdict

from store.db import Store

from scoring.analytics_base import (Filters, Table, ensure_facts, rounded, rows, share, take_bucket,
                                    takes_cte)

HIGH = 4.0
TERM_COLUMNS = ["term", "transcribed_takes", "used_takes", "used_share", "scored_takes",
                "scored_high_takes", "scored_high_share"]


def _terms(store: Store) -> list[dict]:
    return rows(store, "SELECT id AS term_id, slug, term FROM terms WHERE deleted = 0 "
                       "ORDER BY term COLLATE NOCASE")


def adoption_cube(store: Store, f: Filters = Filters()) -> dict:
    """Counts at the finest grain the figures need, (bucket, team, term), in two aggregate queries;
    the per-term, over-time and per-team tables are sums over it."""
    ensure_facts(store, "terms")
    cte, params = takes_cte(store, f)
    keys = f"{take_bucket(f)} AS bucket, COALESCE(ft.team, '(no team)') AS team"
    transcribed = rows(store, f"""WITH {cte}
        SELECT {keys}, COUNT(*) AS n FROM ft WHERE ft.transcribed = 1 GROUP BY 1, 2""", params)
    counts = rows(store, f"""WITH {cte}
        SELECT {keys}, tt.term_id, SUM(tt.used) AS used, SUM(tt.scored) AS scored, SUM(tt.high) AS high
        FROM ft JOIN f_take_term tt ON tt.tk = ft.tk GROUP BY 1, 2, tt.term_id""", params)
    return {"transcribed": transcribed, "counts": counts}


def _rollup(cube: dict, key) -> tuple[dict, dict]:
    transcribed: dict = defaultdict(int)
    for r in cube["transcribed"]:
        transcribed[key(r)] += r["n"]
    counts: dict = defaultdict(lambda: {"used": 0, "scored": 0, "high": 0})
    for r in cube["counts"]:
        c = counts[(key(r), r["term_id"])]
        for name in ("used", "scored", "high"):
            c[name] += r[name]
    return transcribed, counts


def _row(term: dict, transcribed: int, c: dict) -> dict:
    used, scored, high = c.get("used", 0), c.get("scored", 0), c.get("high", 0)
    return {"term_id": term["term_id"], "slug": term["slug"], "term": term["term"],
            "transcribed_takes": transcribed, "used_takes": used,
            "used_share": rounded(share(used, transcribed)), "scored_takes": scored,
            "scored_high_takes": high, "scored_high_share": rounded(share(high, scored))}


def adoption_by_term(store: Store, f: Filters = Filters(), cube: dict | None = None) -> Table:
    transcribed, counts = _rollup(cube or adoption_cube(store, f), lambda r: "")
    out = [_row(t, transcribed.get("", 0), counts.get(("", t["term_id"]), {})) for t in _terms(store)]
    return Table("adoption", TERM_COLUMNS + ["slug", "term_id"], out)


def _by(store: Store, cube: dict, field: str, name: str) -> Table:
    transcribed, counts = _rollup(cube, lambda r: r[field])
    groups = sorted(set(transcribed) | {k[0] for k in counts})
    terms = _terms(store)
    out = [{field: g, **_row(t, transcribed.get(g, 0), counts.get((g, t["term_id"]), {}))}
           for g in groups for t in terms]
    return Table(name, [field] + TERM_COLUMNS + ["slug"], out)


def adoption_over_time(store: Store, f: Filters = Filters(), cube: dict | None = None) -> Table:
    """One row per (bucket, term) for every bucket that has takes."""
    return _by(store, cube or adoption_cube(store, f), "bucket", "adoption_over_time")


def adoption_by_team(store: Store, f: Filters = Filters(), cube: dict | None = None) -> Table:
    """The term x team matrix, one row per (team, term)."""
    return _by(store, cube or adoption_cube(store, f), "team", "adoption_by_team")
