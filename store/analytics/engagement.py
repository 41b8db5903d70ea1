"""Engagement after the event (issue #8): do reps keep learning? No Qt.

Per exercise (filters: team of the rep, exercise, date of the take):
* ``completion`` = reps with a submitted take / reps (role 'rep') in scope;
* ``retakes_per_submission`` = finished takes that were not submitted (kept, discarded or recovered)
  / submitted takes;
* ``median_days_to_first_take`` (and the mean): for each rep, their first take of the exercise (any
  finished take) minus the moment the exercise became available (``available_from``; when the kit
  does not say, the moment the exercise was imported), in days; negative gaps count as 0;
* transcript / exemplar views and exports from ``events`` (kinds in store/events.py), by the
  exercise of the event (or of its recording); the team filter applies to the person who acted.
Events over time: counts per kind per week (or day).
"""
from __future__ import annotations

from statistics import mean, median

from scoring.analytics import Filters, Table, check_bucket, rounded, share
from store.analytics.facts import ensure_facts, resolve_exercise, rows, take_where
from store.clock import parse_iso
from store.db import Store
from store.events import EXEMPLAR_VIEW, EXPORTS, KINDS, TRANSCRIPT_VIEW

ENGAGEMENT_COLUMNS = ["exercise", "reps", "reps_done", "completion", "submitted", "retakes",
                      "retakes_per_submission", "median_days_to_first_take", "mean_days_to_first_take",
                      "transcript_views", "exemplar_views", "exports"]

def _exercises(store: Store, f: Filters) -> list[dict]:
    """Exercises in scope with the moment each became available: ``available_from`` from the kit, else
    the first finished take of it anyone made (so the figure is then 'how long after the first rep')."""
    sql = """SELECT e.id AS exercise_id, e.slug, e.title AS exercise,
                    COALESCE(e.available_from, first.at) AS available
             FROM exercises e LEFT JOIN (SELECT exercise_id, MIN(taken_at) AS at FROM f_attempts
                                         GROUP BY exercise_id) first ON first.exercise_id = e.id
             WHERE e.deleted = 0"""
    params = []
    exercise = resolve_exercise(store, f.exercise)
    if exercise:
        sql += " AND e.id = ?"
        params.append(exercise)
    return rows(store, sql + " ORDER BY e.position, e.title", params)


def _event_counts(store: Store, f: Filters, group: str) -> list[dict]:
    where, params = take_where(store, f, alias="e", time_col="created_at")
    ensure_facts(store, "activity")
    return rows(store, f"""
        SELECT {group} AS grp, e.kind, COUNT(*) AS n FROM f_events e WHERE 1=1{where}
        GROUP BY grp, e.kind""", params)


def engagement(store: Store, f: Filters = Filters()) -> Table:
    ensure_facts(store, "activity")
    where, params = take_where(store, f)
    team_sql, team_params = ("AND team = ?", [f.team]) if f.team else ("", [])
    reps = store.db.execute(f"SELECT COUNT(*) FROM people WHERE role = 'rep' AND deleted = 0 {team_sql}",
                            team_params).fetchone()[0]
    per_ex = {r["exercise_id"]: r for r in rows(store, f"""
        SELECT t.exercise_id, COUNT(DISTINCT CASE WHEN t.submitted THEN t.rep_id END) AS done,
               SUM(t.submitted) AS submitted, SUM(NOT t.submitted) AS retakes
        FROM f_attempts t WHERE 1=1{where} GROUP BY t.exercise_id""", params)}
    exercises = _exercises(store, f)
    available = {e["exercise_id"]: e["available"] for e in exercises}
    firsts: dict[str, list[float]] = {}
    for r in rows(store, f"""
            SELECT t.exercise_id, MIN(t.taken_at) AS first FROM f_attempts t WHERE 1=1{where}
            GROUP BY t.exercise_id, t.rep_id""", params):
        start = available.get(r["exercise_id"])
        if start and r["first"]:
            days = (parse_iso(r["first"]) - parse_iso(start)).total_seconds() / 86400
            firsts.setdefault(r["exercise_id"], []).append(max(0.0, days))
    events: dict = {}
    for r in _event_counts(store, f, "e.exercise_id"):
        events.setdefault(r["grp"], {})[r["kind"]] = r["n"]
    out = []
    for ex in exercises:
        c = per_ex.get(ex["exercise_id"], {})
        done, submitted, retakes = c.get("done", 0), c.get("submitted", 0) or 0, c.get("retakes", 0) or 0
        days = firsts.get(ex["exercise_id"], [])
        ev = events.get(ex["exercise_id"], {})
        out.append({**ex, "reps": reps, "reps_done": done, "completion": rounded(share(done, reps)),
                    "submitted": submitted, "retakes": retakes,
                    "retakes_per_submission": rounded(share(retakes, submitted)),
                    "median_days_to_first_take": rounded(median(days) if days else None, 2),
                    "mean_days_to_first_take": rounded(mean(days) if days else None, 2),
                    "transcript_views": ev.get(TRANSCRIPT_VIEW, 0), "exemplar_views": ev.get(EXEMPLAR_VIEW, 0),
                    "exports": sum(ev.get(k, 0) for k in EXPORTS)})
    return Table("engagement", ENGAGEMENT_COLUMNS + ["slug", "available", "exercise_id"], out)


def events_over_time(store: Store, f: Filters = Filters()) -> Table:
    """Events per kind per bucket (rows only for buckets with events)."""
    data: dict[str, dict] = {}
    for r in _event_counts(store, f, f"e.{check_bucket(f.bucket)}"):
        data.setdefault(r["grp"], {k: 0 for k in KINDS})[r["kind"]] = r["n"]
    out = [{"bucket": b, **counts} for b, counts in sorted(data.items()) if b is not None]
    return Table("events_over_time", ["bucket", *KINDS], out)
