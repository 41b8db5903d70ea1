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

from store.clock import now_iso
from store.db import Store

from scoring.analytics_base import Filters, Table, _next_day, ensure_facts, rounded, rows, takes_cte

LEADERBOARD_COLUMNS = ["rank", "rep", "team", "avg_score", "takes", "scored_takes", "exercises",
                       "certifications", "improvement"]
TEAM_COLUMNS = ["rank", "team", "reps", "avg_score", "takes", "exercises_per_rep", "certifications",
                "improvement"]


def _as_of(f: Filters) -> str:
    return _next_day(f.date_to) if f.date_to else now_iso()


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


def _rank(items: list[dict], key) -> None:
    items.sort(key=lambda r: (key(r), r.get("rep") or r.get("team") or ""))
    previous, rank = None, 0
    for position, item in enumerate(items, start=1):
        k = key(item)
        if k != previous:
            rank, previous = position, k
        item["rank"] = rank


def _score_key(avg, exercises) -> tuple:
    return (avg is None, -(avg or 0.0), -exercises)


def leaderboard(store: Store, f: Filters = Filters(), viewer_id: str | None = None,
                reps: list[dict] | None = None) -> Table:
    """Reps ranked; hidden reps are left out unless they are the viewer."""
    reps = [{**r, "avg_score": rounded(r["avg_score"]), "improvement": rounded(r["improvement"])}
            for r in (rep_rows(store, f) if reps is None else reps)
            if not r["hidden"] or r["rep_id"] == viewer_id]
    _rank(reps, lambda r: _score_key(r["avg_score"], r["exercises"]))
    for r in reps:
        del r["score_sum"], r["hidden"]
    return Table("leaderboard", LEADERBOARD_COLUMNS + ["rep_id"], reps)


def team_leaderboard(store: Store, f: Filters = Filters(), reps: list[dict] | None = None) -> Table:
    """Teams ranked by the mean score of their takes (every rep counts, hidden or not)."""
    teams: dict[str, dict] = {}
    for r in (rep_rows(store, f) if reps is None else reps):
        t = teams.setdefault(r["team"] or "(no team)", {"team": r["team"] or "(no team)", "reps": 0,
                                                        "takes": 0, "scored": 0, "sum": 0.0,
                                                        "exercises": 0, "certifications": 0,
                                                        "improvements": []})
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
    _rank(out, lambda r: _score_key(r["avg_score"], r["exercises_per_rep"]))
    return Table("teams", TEAM_COLUMNS, out)
