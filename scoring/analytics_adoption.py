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

from store.db import Store

from scoring.analytics_base import (Filters, Table, bucket_sql, ensure_facts, rounded, rows, share,
                                    takes_cte)

HIGH = 4.0
TERM_COLUMNS = ["term", "transcribed_takes", "used_takes", "used_share", "scored_takes",
                "scored_high_takes", "scored_high_share"]


def _terms(store: Store) -> list[dict]:
    return rows(store, "SELECT id AS term_id, slug, term FROM terms WHERE deleted = 0 "
                       "ORDER BY term COLLATE NOCASE")


def _grouped(store: Store, f: Filters, group: str) -> dict:
    """{(group value, term_id): counts} and {group value: transcribed takes} for a GROUP BY expr."""
    ensure_facts(store)
    cte, params = takes_cte(store, f)
    base = f"WITH {cte}, g AS (SELECT ft.id, {group} AS grp FROM ft)"
    transcribed = {r["grp"]: r["n"] for r in rows(store, f"""{base}
        SELECT g.grp, COUNT(*) AS n FROM g JOIN f_transcribed x ON x.recording_id = g.id
        GROUP BY g.grp""", params)}
    used = rows(store, f"""{base}
        SELECT g.grp, h.term_id, COUNT(*) AS n FROM g JOIN f_hits h ON h.recording_id = g.id
        GROUP BY g.grp, h.term_id""", params)
    scored = rows(store, f"""{base},
        per_take AS (
            SELECT g.grp, g.id, ct.term_id, AVG(tc.mean) AS m
            FROM g JOIN f_tc tc ON tc.recording_id = g.id
            JOIN f_crit_terms ct ON ct.criterion_id = tc.criterion_id
            GROUP BY g.grp, g.id, ct.term_id)
        SELECT grp, term_id, COUNT(*) AS n, SUM(m >= {HIGH}) AS high FROM per_take
        GROUP BY grp, term_id""", params)
    counts: dict = {}
    for r in used:
        counts.setdefault((r["grp"], r["term_id"]), {})["used"] = r["n"]
    for r in scored:
        counts.setdefault((r["grp"], r["term_id"]), {}).update(scored=r["n"], high=r["high"])
    return {"counts": counts, "transcribed": transcribed}


def _row(term: dict, transcribed: int, c: dict) -> dict:
    used, scored, high = c.get("used", 0), c.get("scored", 0), c.get("high", 0)
    return {"term_id": term["term_id"], "slug": term["slug"], "term": term["term"],
            "transcribed_takes": transcribed, "used_takes": used,
            "used_share": rounded(share(used, transcribed)), "scored_takes": scored,
            "scored_high_takes": high, "scored_high_share": rounded(share(high, scored))}


def adoption_by_term(store: Store, f: Filters = Filters()) -> Table:
    data = _grouped(store, f, "''")
    transcribed = data["transcribed"].get("", 0)
    out = [_row(t, transcribed, data["counts"].get(("", t["term_id"]), {})) for t in _terms(store)]
    return Table("adoption", TERM_COLUMNS + ["slug", "term_id"], out)


def adoption_over_time(store: Store, f: Filters = Filters()) -> Table:
    """One row per (bucket, term) for every bucket that has takes."""
    data = _grouped(store, f, bucket_sql("ft.taken_at", f.bucket))
    buckets = sorted({b for b in data["transcribed"]} | {k[0] for k in data["counts"]})
    terms = _terms(store)
    out = [{"bucket": b, **_row(t, data["transcribed"].get(b, 0), data["counts"].get((b, t["term_id"]), {}))}
           for b in buckets for t in terms]
    return Table("adoption_over_time", ["bucket"] + TERM_COLUMNS + ["slug"], out)


def adoption_by_team(store: Store, f: Filters = Filters()) -> Table:
    """The term x team matrix, one row per (team, term)."""
    data = _grouped(store, f, "COALESCE(ft.team, '(no team)')")
    teams = sorted({b for b in data["transcribed"]} | {k[0] for k in data["counts"]})
    terms = _terms(store)
    out = [{"team": team, **_row(t, data["transcribed"].get(team, 0),
                                 data["counts"].get((team, t["term_id"]), {}))}
           for team in teams for t in terms]
    return Table("adoption_by_team", ["team"] + TERM_COLUMNS + ["slug"], out)
