"""Shared ground for the dashboard figures (issue #8): filters, result tables and the per-connection
fact tables every figure reads. No Qt.

Definitions used by every figure (the page, `rolecall report` and the tests agree on them):

* a **take** is a recording with status 'submitted' (not deleted) by a person; its time (``taken_at``)
  is ``submitted_at`` (falling back to ended/started/created); date filters apply to it, inclusive.
* **peer scores** are the scores of each scorer's *current* scorecard on a take (latest version, then
  Lamport clock, then station id; the ``current_scorecards`` view when the store has it), never the
  rep's own scorecard.
* a take's **criterion mean** is the mean of its peer scores on that criterion; its **score** is the
  weighted mean of its criterion means with the criteria weights (scoring.rubric.weighted_total, done
  in SQL; tests/test_analytics.py checks the two agree take by take).

Speed: the facts (takes, criterion means, take scores, score counts, term hits) are built once per
connection into TEMP tables with aggregate SQL and rebuilt only when the database has changed
(``PRAGMA data_version`` for other connections, ``total_changes()`` for this one). A filter change
then only reads those small tables.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from store.db import Store

BUCKETS = ("week", "day")


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


def bucket_sql(expr: str, bucket: str) -> str:
    """SQL for the start day of ``expr``'s bucket: the day itself, or the Monday of its week."""
    if bucket == "day":
        return f"date({expr})"
    if bucket == "week":
        return f"date({expr}, 'weekday 0', '-6 days')"
    raise ValueError(f"bucket must be one of {BUCKETS}")


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def resolve_exercise(store: Store, key: str | None) -> str | None:
    if not key:
        return None
    row = store.db.execute("SELECT id FROM exercises WHERE id=? OR slug=?", [key, key]).fetchone()
    return row[0] if row else key


def take_where(store: Store, f: Filters, alias: str = "t", time_col: str = "taken_at",
               team_col: str = "team", exercise_col: str = "exercise_id") -> tuple[str, list]:
    """WHERE clause (starting with ' AND' or empty) and params for the filters on a takes-like row."""
    sql, params = "", []
    if f.team:
        sql += f" AND {alias}.{team_col} = ?"
        params.append(f.team)
    exercise = resolve_exercise(store, f.exercise)
    if exercise:
        sql += f" AND {alias}.{exercise_col} = ?"
        params.append(exercise)
    if f.date_from:
        sql += f" AND {alias}.{time_col} >= ?"
        params.append(f.date_from)
    if f.date_to:
        sql += f" AND {alias}.{time_col} < ?"
        params.append(_next_day(f.date_to))
    return sql, params


def _current_scorecards_sql(conn: sqlite3.Connection) -> str:
    has_view = conn.execute("SELECT 1 FROM sqlite_master WHERE type='view' AND name='current_scorecards'"
                            ).fetchone()
    if has_view:
        cols = {r[1] for r in conn.execute("PRAGMA table_info(current_scorecards)")}
        if {"id", "recording_id", "scorer_id"} <= cols:
            return "SELECT id, recording_id, scorer_id FROM current_scorecards"
    return ("SELECT id, recording_id, scorer_id FROM (SELECT id, recording_id, scorer_id, "
            "ROW_NUMBER() OVER (PARTITION BY recording_id, scorer_id "
            "ORDER BY version DESC, clock DESC, station_id DESC) AS rn FROM scorecards) WHERE rn = 1")


_FACTS = """
DROP TABLE IF EXISTS temp.f_takes;
CREATE TEMP TABLE f_takes AS
    SELECT r.id, r.rep_id, r.exercise_id, p.team, p.hidden,
           COALESCE(r.submitted_at, r.ended_at, r.started_at, r.created_at) AS taken_at
    FROM recordings r JOIN people p ON p.id = r.rep_id
    WHERE r.status = 'submitted' AND r.deleted = 0;
CREATE INDEX temp.f_takes_id ON f_takes(id);
DROP TABLE IF EXISTS temp.f_uv;
CREATE TEMP TABLE f_uv AS
    SELECT cs.recording_id, s.criterion_id, s.score, COUNT(*) AS n
    FROM ({current}) cs
    JOIN f_takes t ON t.id = cs.recording_id AND cs.scorer_id IS NOT t.rep_id
    JOIN scores s ON s.scorecard_id = cs.id
    GROUP BY cs.recording_id, s.criterion_id, s.score;
CREATE INDEX temp.f_uv_rec ON f_uv(recording_id, criterion_id);
DROP TABLE IF EXISTS temp.f_tc;
CREATE TEMP TABLE f_tc AS
    SELECT recording_id, criterion_id, SUM(score * n) * 1.0 / SUM(n) AS mean, SUM(n) AS n
    FROM f_uv GROUP BY recording_id, criterion_id;
CREATE INDEX temp.f_tc_rec ON f_tc(recording_id);
DROP TABLE IF EXISTS temp.f_take_score;
CREATE TEMP TABLE f_take_score AS
    SELECT tc.recording_id, SUM(c.weight * tc.mean) / SUM(c.weight) AS total
    FROM f_tc tc JOIN criteria c ON c.id = tc.criterion_id
    GROUP BY tc.recording_id HAVING SUM(c.weight) > 0;
CREATE INDEX temp.f_take_score_rec ON f_take_score(recording_id);
DROP TABLE IF EXISTS temp.f_transcribed;
CREATE TEMP TABLE f_transcribed AS
    SELECT DISTINCT tr.recording_id FROM transcripts tr JOIN f_takes t ON t.id = tr.recording_id
    WHERE tr.complete = 1;
CREATE INDEX temp.f_transcribed_rec ON f_transcribed(recording_id);
DROP TABLE IF EXISTS temp.f_hits;
CREATE TEMP TABLE f_hits AS
    SELECT DISTINCT h.recording_id, h.term_id FROM term_hits h
    JOIN f_transcribed x ON x.recording_id = h.recording_id;
CREATE INDEX temp.f_hits_rec ON f_hits(recording_id);
DROP TABLE IF EXISTS temp.f_crit_terms;
CREATE TEMP TABLE f_crit_terms AS
    SELECT c.id AS criterion_id, j.value AS term_id FROM criteria c, json_each(c.terms) j
    WHERE c.deleted = 0;
"""


def ensure_facts(store: Store) -> None:
    """Build (or rebuild, when the database changed) the calling thread's fact tables."""
    conn = store.db.conn
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    changes = conn.total_changes
    try:
        row = conn.execute("SELECT data_version, total_changes FROM temp.f_meta").fetchone()
    except sqlite3.OperationalError:
        row = None
    if row is not None and row == (version, changes):
        return
    script = _FACTS.format(current=_current_scorecards_sql(conn))
    conn.execute("SAVEPOINT analytics_facts")
    try:
        for statement in script.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("DROP TABLE IF EXISTS temp.f_meta")
        conn.execute("CREATE TEMP TABLE f_meta (data_version INTEGER, total_changes INTEGER)")
        conn.execute("RELEASE analytics_facts")
    except BaseException:
        conn.execute("ROLLBACK TO analytics_facts")
        conn.execute("RELEASE analytics_facts")
        raise
    # the INSERT counts as one change, so the stored figure equals total_changes right after it
    conn.execute("INSERT INTO temp.f_meta VALUES (?, ?)", [version, conn.total_changes + 1])


def takes_cte(store: Store, f: Filters, visible_to: str | None = None,
              respect_hidden: bool = False) -> tuple[str, list]:
    """``ft AS (...)``: the filtered takes (call ensure_facts first)."""
    where, params = take_where(store, f)
    if respect_hidden:
        where += " AND (t.hidden = 0 OR t.rep_id IS ?)"
        params.append(visible_to)
    return f"ft AS (SELECT t.* FROM f_takes t WHERE 1=1{where})", params


def rows(store: Store, sql: str, params=()) -> list[dict]:
    cursor = store.db.conn.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def share(part, whole) -> float | None:
    return None if not whole else part / whole


def rounded(value, digits: int = 3):
    return None if value is None else round(value, digits)
