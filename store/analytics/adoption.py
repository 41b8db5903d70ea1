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

from scoring.analytics import TERM_COLUMNS, Filters, Table, adoption_rollup, adoption_row
from store.analytics.facts import ensure_facts, rows, take_bucket, takes_cte
from store.db import Store


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


def adoption_by_term(store: Store, f: Filters = Filters(), cube: dict | None = None) -> Table:
    transcribed, counts = adoption_rollup(cube or adoption_cube(store, f), lambda r: "")
    out = [adoption_row(t, transcribed.get("", 0), counts.get(("", t["term_id"]), {})) for t in _terms(store)]
    return Table("adoption", TERM_COLUMNS + ["slug", "term_id"], out)


def _by(store: Store, cube: dict, field: str, name: str) -> Table:
    transcribed, counts = adoption_rollup(cube, lambda r: r[field])
    groups = sorted(set(transcribed) | {k[0] for k in counts})
    terms = _terms(store)
    out = [{field: g, **adoption_row(t, transcribed.get(g, 0), counts.get((g, t["term_id"]), {}))}
           for g in groups for t in terms]
    return Table(name, [field] + TERM_COLUMNS + ["slug"], out)


def adoption_over_time(store: Store, f: Filters = Filters(), cube: dict | None = None) -> Table:
    """One row per (bucket, term) for every bucket that has takes."""
    return _by(store, cube or adoption_cube(store, f), "bucket", "adoption_over_time")


def adoption_by_team(store: Store, f: Filters = Filters(), cube: dict | None = None) -> Table:
    """The term x team matrix, one row per (team, term)."""
    return _by(store, cube or adoption_cube(store, f), "team", "adoption_by_team")
