"""Leaderboards (issue #8): per rep (overall or one team/cohort) and per team. No Qt.

Per rep, over the filtered takes:
* ``avg_score``: mean of the rep's take scores (weighted rubric totals, 1-5) over their scored takes;
* ``exercises``: distinct exercises with a submitted take; ``takes``: submitted takes;
* ``certifications``: programs whose latest sign-off for the rep is 'certified' and still valid at the
  end of the date range (or now);
* ``improvement``: for each exercise with two or more scored takes, last take's score minus first
  take's; the mean of those (None when no exercise was taken twice).
Ranked by average score (unscored last), then exercises, then name; ties share a rank.

Privacy: a rep with ``people.hidden = 1`` appears only to themself (``viewer_id``); team rows are
anonymous aggregates and include everyone.
"""
from __future__ import annotations

from scoring.analytics import Filters, Table, next_day, rank, rounded, score_key, team_rows
from store.analytics.facts import ensure_facts, rows, takes_cte
from store.clock import now_iso
from store.db import Store

LEADERBOARD_COLUMNS = ["rank", "rep", "team", "avg_score", "takes", "scored_takes", "exercises",
                       "certifications", "improvement"]
TEAM_COLUMNS = ["rank", "team", "reps", "avg_score", "takes", "exercises_per_rep", "certifications",
                "improvement"]


def _as_of(f: Filters) -> str:
    return next_day(f.date_to) if f.date_to else now_iso()


def rep_rows(store: Store, f: Filters) -> list[dict]:
    """Every rep with a take in the filters, hidden or not (callers apply privacy)."""
    ensure_facts(store, "scores")
    cte, params = takes_cte(store, f)
    as_of = _as_of(f)
    sql = f"""
    WITH {cte},
    scored AS (
        SELECT ft.rep_id, ft.exercise_id, ts.total,
               ROW_NUMBER() OVER (PARTITION BY ft.rep_id, ft.exercise_id ORDER BY ft.taken_at, ft.tk) AS first_rn,
               ROW_NUMBER() OVER (PARTITION BY ft.rep_id, ft.exercise_id
                                  ORDER BY ft.taken_at DESC, ft.tk DESC) AS last_rn,
               COUNT(*) OVER (PARTITION BY ft.rep_id, ft.exercise_id) AS n
        FROM ft JOIN f_take_score ts ON ts.tk = ft.tk),
    improvement AS (
        SELECT rep_id, AVG(last - first) AS improvement FROM (
            SELECT rep_id, MAX(CASE WHEN first_rn = 1 THEN total END) AS first,
                   MAX(CASE WHEN last_rn = 1 THEN total END) AS last
            FROM scored WHERE n >= 2 GROUP BY rep_id, exercise_id)
        GROUP BY rep_id),
    per_rep AS (
        SELECT ft.rep_id, COUNT(*) AS takes, COUNT(DISTINCT ft.exercise_id) AS exercises,
               COUNT(ts.total) AS scored_takes, SUM(ts.total) AS score_sum, AVG(ts.total) AS avg_score
        FROM ft LEFT JOIN f_take_score ts ON ts.tk = ft.tk GROUP BY ft.rep_id),
    certs AS (
        SELECT rep_id, COUNT(*) AS certifications FROM (
            SELECT rep_id, decision, valid_until,
                   ROW_NUMBER() OVER (PARTITION BY rep_id, program_id
                                      ORDER BY decided_at DESC, clock DESC, station_id DESC) AS rn
            FROM signoffs WHERE decided_at < ?)
        WHERE rn = 1 AND decision = 'certified' AND (valid_until IS NULL OR valid_until >= ?)
        GROUP BY rep_id)
    SELECT p.id AS rep_id, p.name AS rep, p.team, p.hidden, r.takes, r.exercises, r.scored_takes,
           r.score_sum, r.avg_score, COALESCE(c.certifications, 0) AS certifications, i.improvement
    FROM per_rep r JOIN people p ON p.id = r.rep_id
    LEFT JOIN improvement i ON i.rep_id = r.rep_id LEFT JOIN certs c ON c.rep_id = r.rep_id
    """
    return rows(store, sql, params + [as_of, as_of])


def leaderboard(store: Store, f: Filters = Filters(), viewer_id: str | None = None,
                reps: list[dict] | None = None) -> Table:
    """Reps ranked; hidden reps are left out unless they are the viewer."""
    reps = [{**r, "avg_score": rounded(r["avg_score"]), "improvement": rounded(r["improvement"])}
            for r in (rep_rows(store, f) if reps is None else reps)
            if not r["hidden"] or r["rep_id"] == viewer_id]
    rank(reps, lambda r: score_key(r["avg_score"], r["exercises"]))
    for r in reps:
        del r["score_sum"], r["hidden"]
    return Table("leaderboard", LEADERBOARD_COLUMNS + ["rep_id"], reps)


def team_leaderboard(store: Store, f: Filters = Filters(), reps: list[dict] | None = None) -> Table:
    """Teams ranked by the mean score of their takes (every rep counts, hidden or not)."""
    return Table("teams", TEAM_COLUMNS, team_rows(rep_rows(store, f) if reps is None else reps))
