"""The SQL ground of the dashboard figures (issue #8): filters as WHERE clauses and the per-connection
fact tables every figure reads (the filters and result tables themselves are scoring/analytics.py). No Qt.

Definitions used by every figure (the page, `rolecall report` and the tests agree on them):

* a **take** is a recording with status 'submitted' (not deleted) by a person; its time (``taken_at``)
  is ``submitted_at`` (falling back to ended/started/created); date filters apply to it, inclusive.
* **peer scores** are the scores of each scorer's *current* scorecard on a take (latest version, then
  Lamport clock, then station id: the rule of the store's ``current_scorecards`` view, computed here
  with one self-join because that is faster for all takes at once; a test checks both pick the same
  cards), never the rep's own scorecard.
* a take's **criterion mean** is the mean of its peer scores on that criterion; its **score** is the
  weighted mean of its criterion means with the criteria weights (scoring.rubric.weighted_total, done
  in SQL; tests/test_analytics.py checks the two agree take by take).

Speed: the facts (takes, criterion means, take scores, score counts, alpha coincidences, term use,
finished takes, events) are built once per connection into TEMP tables with aggregate SQL, only the
parts a figure needs, and rebuilt only when the database has changed (``PRAGMA data_version`` for
other connections, ``total_changes`` for this one). A filter change then only reads those small
tables. Use one connection for the facts to live on (the page's worker pins one).
"""
from __future__ import annotations

from scoring.analytics import HIGH, Filters, check_bucket, next_day
from store.db import Store


def take_bucket(f: Filters) -> str:
    """The f_takes column holding the start day of each take's bucket."""
    return f"ft.{check_bucket(f.bucket)}"


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
        params.append(next_day(f.date_to))
    return sql, params


def coincidence_sums(prefix: str = "u.", weighted: bool = True) -> str:
    """SQL sums of the coincidences o_ck (1 <= c <= k <= 5) of Krippendorff's alpha: per unit with
    m >= 2 scores, n_c * n_k / (m - 1), or n_c (n_c - 1) / (m - 1) when c = k; or plain sums of o
    columns. o is symmetric, so o_kc = o_ck."""
    parts = []
    for c in range(1, 6):
        for k in range(c, 6):      # o is symmetric: the upper triangle is enough
            if weighted:
                pairs = f"{prefix}n{c} * ({prefix}n{c} - 1)" if c == k else f"{prefix}n{c} * {prefix}n{k}"
                parts.append(f"SUM({pairs} * 1.0 / ({prefix}m - 1)) AS o{c}{k}")
            else:
                parts.append(f"SUM({prefix}o{c}{k}) AS o{c}{k}")
    return ", ".join(parts)


# Current scorecards: for each (take, scorer) the latest version, then the higher Lamport clock, then
# the higher station id (the rule of the current_scorecards view). Superseded cards are found with one
# self-join on the scorecards_recording index, then dropped; the rep's own card never counts.
_FACTS = {
    "takes": """
DROP TABLE IF EXISTS temp.f_takes;
CREATE TEMP TABLE f_takes (tk INTEGER PRIMARY KEY, id TEXT, rep_id TEXT, exercise_id TEXT, team TEXT,
    hidden INTEGER, taken_at TEXT, day TEXT, week TEXT, transcribed INTEGER);
INSERT INTO f_takes (id, rep_id, exercise_id, team, hidden, taken_at, transcribed)
    SELECT r.id, r.rep_id, r.exercise_id, p.team, p.hidden,
           COALESCE(r.submitted_at, r.ended_at, r.started_at, r.created_at),
           EXISTS (SELECT 1 FROM transcripts tr WHERE tr.recording_id = r.id AND tr.complete = 1)
    FROM recordings r JOIN people p ON p.id = r.rep_id
    WHERE r.status = 'submitted' AND r.deleted = 0;
UPDATE f_takes SET day = date(taken_at), week = date(taken_at, 'weekday 0', '-6 days');
CREATE UNIQUE INDEX temp.f_takes_id ON f_takes(id);
""",
    "scores": """
DROP TABLE IF EXISTS temp.f_stale;
CREATE TEMP TABLE f_stale AS
    SELECT sc.id FROM scorecards sc JOIN scorecards n
      ON n.recording_id = sc.recording_id AND n.scorer_id = sc.scorer_id AND n.id != sc.id
     AND (n.version > sc.version OR (n.version = sc.version AND (n.clock > sc.clock
          OR (n.clock = sc.clock AND n.station_id > sc.station_id))));
CREATE INDEX temp.f_stale_id ON f_stale(id);
DROP TABLE IF EXISTS temp.f_cards;
CREATE TEMP TABLE f_cards AS
    SELECT t.tk, sc.id FROM f_takes t CROSS JOIN scorecards sc ON sc.recording_id = t.id
    WHERE sc.scorer_id IS NOT t.rep_id AND sc.id NOT IN (SELECT id FROM f_stale);
DROP TABLE IF EXISTS temp.f_unit;
CREATE TEMP TABLE f_unit AS
    SELECT c.tk, s.criterion_id, COUNT(*) AS m, AVG(s.score) AS mean,
           SUM(s.score = 1) AS n1, SUM(s.score = 2) AS n2, SUM(s.score = 3) AS n3,
           SUM(s.score = 4) AS n4, SUM(s.score = 5) AS n5
    FROM f_cards c CROSS JOIN scores s ON s.scorecard_id = c.id GROUP BY c.tk, s.criterion_id;
CREATE INDEX temp.f_unit_tk ON f_unit(tk);
DROP TABLE IF EXISTS temp.f_take_score;
CREATE TEMP TABLE f_take_score AS
    SELECT u.tk, SUM(c.weight * u.mean) / SUM(c.weight) AS total
    FROM f_unit u JOIN criteria c ON c.id = u.criterion_id
    GROUP BY u.tk HAVING SUM(c.weight) > 0;
CREATE INDEX temp.f_take_score_tk ON f_take_score(tk);
""",
    "pairs": """
DROP TABLE IF EXISTS temp.f_take_pairs;
CREATE TEMP TABLE f_take_pairs AS
    SELECT u.tk, COUNT(*) AS units, {pairs} FROM f_unit u WHERE u.m >= 2 GROUP BY u.tk;
CREATE INDEX temp.f_take_pairs_tk ON f_take_pairs(tk);
""",
    "activity": """
DROP TABLE IF EXISTS temp.f_attempts;
CREATE TEMP TABLE f_attempts AS
    SELECT r.rep_id, r.exercise_id, p.team, r.status = 'submitted' AS submitted,
           COALESCE(r.submitted_at, r.ended_at, r.started_at, r.created_at) AS taken_at
    FROM recordings r JOIN people p ON p.id = r.rep_id
    WHERE r.deleted = 0 AND r.status IN ('submitted', 'take', 'discarded', 'recovered');
DROP TABLE IF EXISTS temp.f_events;
CREATE TEMP TABLE f_events AS
    SELECT ev.kind, ev.created_at, p.team, COALESCE(ev.exercise_id, r.exercise_id) AS exercise_id,
           date(ev.created_at) AS day, date(ev.created_at, 'weekday 0', '-6 days') AS week
    FROM events ev LEFT JOIN recordings r ON r.id = ev.recording_id LEFT JOIN people p ON p.id = ev.person_id;
""",
    "terms": """
DROP TABLE IF EXISTS temp.f_crit_terms;
CREATE TEMP TABLE f_crit_terms AS
    SELECT c.id AS criterion_id, j.value AS term_id FROM criteria c, json_each(c.terms) j
    WHERE c.deleted = 0;
DROP TABLE IF EXISTS temp.f_take_term;
CREATE TEMP TABLE f_take_term AS
    SELECT tk, term_id, MAX(used) AS used, MAX(scored) AS scored, MAX(high) AS high FROM (
        SELECT t.tk, h.term_id, 1 AS used, 0 AS scored, 0 AS high
        FROM f_takes t CROSS JOIN term_hits h ON h.recording_id = t.id WHERE t.transcribed = 1
        UNION ALL
        SELECT u.tk, ct.term_id, 0, 1, AVG(u.mean) >= {high}
        FROM f_unit u JOIN f_crit_terms ct ON ct.criterion_id = u.criterion_id
        GROUP BY u.tk, ct.term_id)
    GROUP BY tk, term_id;
CREATE INDEX temp.f_take_term_tk ON f_take_term(tk);
""",
}
_NEEDS = {"takes": (), "scores": ("takes",), "pairs": ("takes", "scores"), "terms": ("takes", "scores"),
          "activity": ()}


def ensure_facts(store: Store, *parts: str) -> None:
    """Build (or rebuild, when the database changed) the calling thread's fact tables: "takes",
    "scores" (criterion means, take scores), "pairs" (alpha coincidences per take), "terms" (per take
    and term: used, scored, scored >= 4), "activity" (every finished take, events with their exercise
    and team)."""
    conn = store.db.conn
    wanted: list[str] = []
    for part in parts or ("takes", "scores", "pairs", "terms", "activity"):
        for need in (*_NEEDS[part], part):
            if need not in wanted:
                wanted.append(need)
    db = store.db
    state = getattr(db, "_analytics_facts", None) or {"at": None, "parts": set(), "generation": 0}
    now = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
    if state["at"] != now:          # the database changed (or nothing built yet): all is stale
        state = {"at": None, "parts": set(), "generation": state["generation"] + 1}
    todo = [p for p in wanted if p not in state["parts"]]
    if not todo:
        return
    conn.execute("SAVEPOINT analytics_facts")
    try:
        for part in todo:
            sql = _FACTS[part].replace("{pairs}", coincidence_sums()).replace("{high}", repr(HIGH))
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute("RELEASE analytics_facts")
    except BaseException:
        conn.execute("ROLLBACK TO analytics_facts")
        conn.execute("RELEASE analytics_facts")
        raise
    # our own temp-table writes count in total_changes: remember the figure right after them
    state["parts"].update(todo)
    state["at"] = (now[0], conn.total_changes)
    db._analytics_facts = state


def facts_version(store: Store) -> int:
    """Which build of the calling thread's fact tables is current (call ensure_facts first): it
    changes only when the database changed, so results computed from the facts stay valid with it."""
    state = getattr(store.db, "_analytics_facts", None)
    return state["generation"] if state else 0


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

