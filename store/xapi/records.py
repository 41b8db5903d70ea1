"""Reading the records statements are made of: the small lookup tables, and takes, scorecards (with
their scores), certification decisions and exemplars — all of them for an export (``--since``,
``--until``, ``--team``), or the ones a push names by id. Rows come out as plain dicts, streamed."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from store.db import Store
from store.xapi.statements import Lookups

TAKE_SQL = """SELECT r.id, r.rep_id, r.exercise_id, r.partner_id, r.status, r.started_at, r.submitted_at,
    r.duration_s, r.station_id, r.created_at FROM recordings r {join} WHERE r.deleted = 0 {where} ORDER BY r.rowid"""
CARD_SQL = """SELECT c.id, c.recording_id, c.scorer_id, c.rubric_id, c.rubric_version, c.version, c.supersedes,
    c.submitted_at, c.station_id, r.rep_id, r.exercise_id, s.criterion_id, s.score, s.evidence_s
    FROM scorecards c JOIN recordings r ON r.id = c.recording_id {join}
    LEFT JOIN scores s ON s.scorecard_id = c.id WHERE 1 {where} ORDER BY c.rowid, s.rowid"""
DECISION_SQL = """SELECT d.id, d.rep_id, d.program_id, d.certifier_id, d.decision, d.program_version,
    d.rubric_version, d.evidence, d.scores, d.decided_at, d.valid_until, d.station_id, p.rubric_id
    FROM signoffs d LEFT JOIN programs p ON p.id = d.program_id {join} WHERE 1 {where} ORDER BY d.rowid"""
EXEMPLAR_SQL = """SELECT x.id, x.recording_id, x.exercise_id, x.promoted_by, x.created_at, x.station_id, r.rep_id
    FROM exemplars x JOIN recordings r ON r.id = x.recording_id {join} WHERE x.deleted = 0 {where}
    ORDER BY x.rowid"""

TAKE_COLS = ("id", "rep_id", "exercise_id", "partner_id", "status", "started_at", "submitted_at", "duration_s",
             "station_id", "created_at")
CARD_COLS = ("id", "recording_id", "scorer_id", "rubric_id", "rubric_version", "version", "supersedes",
             "submitted_at", "station_id", "rep_id", "exercise_id")
DECISION_COLS = ("id", "rep_id", "program_id", "certifier_id", "decision", "program_version", "rubric_version",
                 "evidence", "scores", "decided_at", "valid_until", "station_id", "rubric_id")
EXEMPLAR_COLS = ("id", "recording_id", "exercise_id", "promoted_by", "created_at", "station_id", "rep_id")
CHUNK = 500


@dataclass(frozen=True)
class Filters:
    """An export's selection: facts at or after ``since`` and before ``until`` (ISO UTC), of reps in
    ``team``. The time of a take is its submission (or start), of a scorecard its submission."""
    since: str | None = None
    until: str | None = None
    team: str | None = None


def lookups(store: Store) -> Lookups:
    db = store.db
    out = Lookups()
    out.people = {r[0]: tuple(r[1:]) for r in db.execute("SELECT id, name, email, team, role FROM people")}
    out.exercises = {r[0]: tuple(r[1:]) for r in db.execute("SELECT id, slug, title, prompt, kind FROM exercises")}
    out.criteria = {r[0]: tuple(r[1:]) for r in db.execute("SELECT id, slug, title, weight FROM criteria")}
    out.rubrics = {r[0]: tuple(r[1:]) for r in db.execute("SELECT id, slug, version FROM rubrics")}
    out.programs = {r[0]: tuple(r[1:]) for r in db.execute("SELECT id, slug, title, description FROM programs")}
    out.stations = dict(db.execute("SELECT id, name FROM stations").fetchall())
    return out


def _filtered(alias: str, stamp: str, rep: str, f: Filters) -> tuple[str, str, list]:
    join, where, params = "", "", []
    if f.team:
        join = f"JOIN people tp ON tp.id = {rep}"
        where += " AND tp.team = ?"
        params.append(f.team)
    if f.since:
        where += f" AND {stamp} >= ?"
        params.append(f.since)
    if f.until:
        where += f" AND {'r.started_at' if alias == 'r' else stamp} < ?"   # a take counts from its start
        params.append(f.until)
    return join, where, params


def _ids(column: str, ids: list[str]) -> tuple[str, list]:
    return f" AND {column} IN ({', '.join('?' * len(ids))})", list(ids)


def _rows(store: Store, sql: str, params: list, cols: tuple[str, ...]) -> Iterator[dict]:
    cursor = store.db.execute(sql, params)
    while True:
        batch = cursor.fetchmany(CHUNK)
        if not batch:
            return
        for row in batch:
            yield dict(zip(cols, row))


def takes(store: Store, f: Filters = Filters(), ids: list[str] | None = None) -> Iterator[dict]:
    stamp = "COALESCE(r.submitted_at, r.ended_at, r.started_at, r.created_at)"
    join, where, params = _filtered("r", stamp, "r.rep_id", f)
    if ids is not None:
        more, extra = _ids("r.id", ids)
        where, params = where + more, params + extra
    where += " AND r.rep_id IS NOT NULL AND r.source IS NOT 'partner-kit'" if ids is None else ""
    if ids is None:
        # every take that was recorded to its end (a discarded one too: it was practice); an abandoned
        # capture has no duration
        where += " AND r.status IN ('take', 'recovered', 'submitted', 'discarded') AND r.duration_s IS NOT NULL"
    return _rows(store, TAKE_SQL.format(join=join, where=where), params, TAKE_COLS)


def scorecards(store: Store, f: Filters = Filters(), ids: list[str] | None = None) -> Iterator[dict]:
    join, where, params = _filtered("c", "c.submitted_at", "r.rep_id", f)
    if ids is not None:
        more, extra = _ids("c.id", ids)
        where, params = where + more, params + extra
    current: dict | None = None
    cursor = store.db.execute(CARD_SQL.format(join=join, where=where), params)
    width = len(CARD_COLS)
    while True:
        batch = cursor.fetchmany(CHUNK)
        if not batch:
            break
        for row in batch:
            if current is None or current["id"] != row[0]:
                if current is not None:
                    yield current
                current = dict(zip(CARD_COLS, row[:width]))
                current["scores"] = []
            if row[width] is not None:
                current["scores"].append(tuple(row[width:]))
    if current is not None:
        yield current


def decisions(store: Store, f: Filters = Filters(), ids: list[str] | None = None) -> Iterator[dict]:
    join, where, params = _filtered("d", "d.decided_at", "d.rep_id", f)
    if ids is not None:
        more, extra = _ids("d.id", ids)
        where, params = where + more, params + extra
    return _rows(store, DECISION_SQL.format(join=join, where=where), params, DECISION_COLS)


def exemplars(store: Store, f: Filters = Filters(), ids: list[str] | None = None) -> Iterator[dict]:
    join, where, params = _filtered("x", "x.created_at", "r.rep_id", f)
    if ids is not None:
        more, extra = _ids("x.id", ids)
        where, params = where + more, params + extra
    return _rows(store, EXEMPLAR_SQL.format(join=join, where=where), params, EXEMPLAR_COLS)


READERS = {"attempted": takes, "completed": takes, "scored": scorecards, "voided": scorecards,
           "decision": decisions, "exemplar": exemplars}


def by_ids(store: Store, kind: str, ids: Iterable[str]) -> dict[str, dict]:
    """The rows a push needs, by record id."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, dict] = {}
    for start in range(0, len(wanted), CHUNK):
        for row in READERS[kind](store, ids=wanted[start:start + CHUNK]):
            found[row["id"]] = row
    return found
