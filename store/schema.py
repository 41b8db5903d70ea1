"""Schema and ordered migrations. ``PRAGMA user_version`` is the number of migrations applied.

Append new migrations at the end of ``MIGRATIONS``; never edit one that has shipped.

Conventions for tables whose rows may leave the station (sync, issue #7): a UUID ``id`` primary key,
``created_at`` (ISO UTC), ``station_id`` and a Lamport ``clock``. Append-only records (takes, scorecard
versions, scores, comments, sign-offs, exemplars, events) are never updated in place; mutable ones
(people, kit definitions) also carry ``updated_at`` and a ``deleted`` tombstone flag.
"""
from __future__ import annotations

import sqlite3
from typing import Callable

from store.schema_base import MUTABLE, v1_people_and_kit, v2_takes_and_scores


def _v3_transcript_search(conn: sqlite3.Connection) -> None:
    """Full-text search over transcript segments (issue #4): FTS5, porter stemming, kept in step
    with ``segments`` by triggers (also for rows that arrive by sync)."""
    conn.executescript("""
    CREATE VIRTUAL TABLE segments_fts USING fts5(text, content='segments', content_rowid='rowid',
        tokenize='porter unicode61');
    CREATE TRIGGER segments_fts_ai AFTER INSERT ON segments BEGIN
        INSERT INTO segments_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    CREATE TRIGGER segments_fts_ad AFTER DELETE ON segments BEGIN
        INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    END;
    CREATE TRIGGER segments_fts_au AFTER UPDATE OF text ON segments BEGIN
        INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        INSERT INTO segments_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    INSERT INTO segments_fts(segments_fts) VALUES ('rebuild');
    """)


def _v4_signoff_guards(conn: sqlite3.Connection) -> None:
    """Certification (issue #6): sign-offs can never be changed or deleted (a change of mind is a new
    decision), and a local, never-synced count of wrong PINs per certifier for the lockout."""
    conn.executescript("""
    CREATE TRIGGER signoffs_no_update BEFORE UPDATE ON signoffs BEGIN
        SELECT RAISE(ABORT, 'sign-offs are immutable: record a new decision instead');
    END;
    CREATE TRIGGER signoffs_no_delete BEFORE DELETE ON signoffs BEGIN
        SELECT RAISE(ABORT, 'sign-offs are immutable: record a new decision instead');
    END;
    CREATE INDEX signoffs_program ON signoffs(program_id, rep_id);
    CREATE TABLE pin_attempts (
        person_id TEXT PRIMARY KEY,
        failures INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        last_failure_at TEXT
    );
    """)


def _v5_review_indexes(conn: sqlite3.Connection) -> None:
    """Peer review (issue #5): each scorer's current scorecard per take, indexes for the review list and
    the coach queue, and scorecards/scores made immutable (a revision is a new row that supersedes)."""
    conn.executescript("""
    CREATE INDEX scorecards_take_scorer ON scorecards(recording_id, scorer_id, version, clock);
    CREATE INDEX scorecards_supersedes ON scorecards(supersedes);
    CREATE INDEX term_hits_transcript ON term_hits(transcript_id, start_s);
    CREATE INDEX exemplars_recording ON exemplars(recording_id);
    CREATE INDEX recordings_status_submitted ON recordings(status, submitted_at);
    CREATE VIEW IF NOT EXISTS current_scorecards AS
        SELECT s.* FROM scorecards s WHERE NOT EXISTS (
            SELECT 1 FROM scorecards n WHERE n.recording_id = s.recording_id AND n.scorer_id = s.scorer_id
            AND (n.version > s.version OR (n.version = s.version AND (n.clock > s.clock
                 OR (n.clock = s.clock AND n.station_id > s.station_id)))));
    CREATE TRIGGER scorecards_no_update BEFORE UPDATE ON scorecards BEGIN
        SELECT RAISE(ABORT, 'scorecards are immutable: submit a revision instead');
    END;
    CREATE TRIGGER scores_no_update BEFORE UPDATE ON scores BEGIN
        SELECT RAISE(ABORT, 'scores are immutable: submit a revision instead');
    END;
    """)


def _v6_sync_state(conn: sqlite3.Connection) -> None:
    """Sync (issue #7), all local: what waits to be sent (``sync_outbox``, filled by triggers that
    store/sync/tables.py installs on every synced table), the version each row holds
    (``sync_versions``: Lamport clock + the station that made it), versions that lost or were
    deleted (``sync_history``), the batches applied (``sync_applied``) and sync's own state."""
    conn.executescript("""
    CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE sync_outbox (
        tbl TEXT NOT NULL, id TEXT NOT NULL, clock INTEGER NOT NULL,
        op TEXT NOT NULL DEFAULT 'upsert' CHECK (op IN ('upsert', 'delete')),
        PRIMARY KEY (tbl, id)) WITHOUT ROWID;
    CREATE TABLE sync_versions (
        tbl TEXT NOT NULL, id TEXT NOT NULL, clock INTEGER NOT NULL, station TEXT NOT NULL,
        PRIMARY KEY (tbl, id)) WITHOUT ROWID;
    CREATE TABLE sync_history (
        hid INTEGER PRIMARY KEY,
        tbl TEXT NOT NULL, id TEXT NOT NULL, clock INTEGER NOT NULL, station TEXT NOT NULL,
        op TEXT NOT NULL, row TEXT, reason TEXT NOT NULL, recorded_at TEXT NOT NULL,
        UNIQUE (tbl, id, clock, station));
    CREATE TABLE sync_applied (
        batch TEXT PRIMARY KEY, station TEXT NOT NULL, seq INTEGER NOT NULL,
        records INTEGER NOT NULL, applied_at TEXT NOT NULL);
    """)


def _v7_review_list_index(conn: sqlite3.Connection) -> None:
    """Peer review (issue #5): a covering index for the review list (submitted takes, newest first), so
    listing 10,000 takes reads the index only."""
    conn.executescript("""
    CREATE INDEX recordings_review_list ON recordings(status, deleted, submitted_at, id, rep_id, exercise_id,
        duration_s);
    """)


def _v8_local_pins(conn: sqlite3.Connection) -> None:
    """PIN hashes become station-local (issue #12): a certifier's scrypt hash travelled in every sync
    batch as ``people.pin_hash``, where a 4-digit PIN fell to an offline search in about a minute. They
    move to ``pin_hashes`` (no ``station_id``/``clock``, so sync never sees it; ``origin`` 'synced' marks
    a hash that has already travelled), ``people.pin_hash`` is emptied, and triggers keep it empty even
    if an older station syncs a hash in."""
    conn.executescript("""
    CREATE TABLE pin_hashes (
        person_id TEXT PRIMARY KEY,
        pin_hash TEXT NOT NULL,
        set_at TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'synced'))
    );
    INSERT INTO pin_hashes(person_id, pin_hash, set_at, origin)
        SELECT id, pin_hash, COALESCE(updated_at, created_at), 'synced' FROM people
        WHERE pin_hash IS NOT NULL AND pin_hash <> '' AND deleted = 0;
    UPDATE people SET pin_hash = NULL WHERE pin_hash IS NOT NULL;
    CREATE TRIGGER people_no_pin_hash_ai AFTER INSERT ON people WHEN new.pin_hash IS NOT NULL BEGIN
        UPDATE people SET pin_hash = NULL WHERE id = new.id;
    END;
    CREATE TRIGGER people_no_pin_hash_au AFTER UPDATE OF pin_hash ON people WHEN new.pin_hash IS NOT NULL BEGIN
        UPDATE people SET pin_hash = NULL WHERE id = new.id;
    END;
    """)



def _v9_station_names(conn: sqlite3.Connection) -> None:
    """Station names travel (issue #14): one row per station (``id`` = its station id), so a take
    recorded elsewhere shows "Recorded on Booth 2", and a rename reaches the other stations at their
    next sync. Written by store/stations.py when the app starts and when the station is renamed."""
    conn.executescript(f"""
    CREATE TABLE stations (
        {MUTABLE},
        name TEXT NOT NULL
    );
    """)


_XAPI_ON = "(SELECT value FROM station WHERE key='xapi.queue') IS '1'"
_XAPI_ORIGIN = "CASE WHEN (SELECT value FROM sync_state WHERE key='applying') IS '1' THEN 'received' ELSE 'here' END"


def _xapi_enqueue(kind: str, when: str = "1") -> str:
    return (f"INSERT OR IGNORE INTO xapi_queue(kind, record_id, origin, queued_at) SELECT '{kind}', new.id, "
            f"{_XAPI_ORIGIN}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE {when};")


def _v10_people_email_and_xapi_queue(conn: sqlite3.Connection) -> None:
    """xAPI (issue #25). People get an optional ``email`` (an LRS identifies a person by it; roster
    imports fill it, #21). ``xapi_queue`` is the station-local list of statements to send to the
    company's learning record store: no ``station_id``/``clock``, so it never syncs. Once an LRS is set
    up on the station (station key ``xapi.queue`` = '1'; store/xapi/queue.py backfills what the station
    already holds), triggers queue a statement for each take recorded (attempted) and submitted
    (completed), each scorecard (scored, and voided for the version a revision supersedes), each
    certification decision and each exemplar promoted. ``origin`` is 'received' for rows that sync
    applies (sync_state.applying = '1') and 'here' for this station's own."""
    take = ("new.rep_id IS NOT NULL AND new.source IS NOT 'partner-kit' "
            "AND new.status IN ('take', 'recovered', 'submitted')")
    take_body = _xapi_enqueue("attempted") + _xapi_enqueue("completed", "new.status = 'submitted'")
    conn.executescript(f"""
    ALTER TABLE people ADD COLUMN email TEXT;
    CREATE INDEX people_email ON people(email COLLATE NOCASE);
    CREATE TABLE xapi_queue (
        seq INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('attempted', 'completed', 'scored', 'voided', 'decision', 'exemplar')),
        record_id TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('here', 'received')),
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'held', 'sent', 'skipped')),
        queued_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        sent_at TEXT,
        UNIQUE (kind, record_id)
    );
    CREATE INDEX xapi_queue_state ON xapi_queue(state, origin, seq);
    CREATE TRIGGER xapi_queue_recordings_ai AFTER INSERT ON recordings WHEN {_XAPI_ON} AND {take} BEGIN
        {take_body}
    END;
    CREATE TRIGGER xapi_queue_recordings_au AFTER UPDATE OF status ON recordings
        WHEN {_XAPI_ON} AND new.status IS NOT old.status AND {take} BEGIN
        {take_body}
    END;
    CREATE TRIGGER xapi_queue_scorecards_ai AFTER INSERT ON scorecards WHEN {_XAPI_ON} BEGIN
        {_xapi_enqueue("scored")}
        {_xapi_enqueue("voided", "new.supersedes IS NOT NULL")}
    END;
    CREATE TRIGGER xapi_queue_signoffs_ai AFTER INSERT ON signoffs WHEN {_XAPI_ON} BEGIN
        {_xapi_enqueue("decision")}
    END;
    CREATE TRIGGER xapi_queue_exemplars_ai AFTER INSERT ON exemplars
        WHEN {_XAPI_ON} AND new.promoted_by IS NOT NULL BEGIN
        {_xapi_enqueue("exemplar")}
    END;
    """)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    v1_people_and_kit,
    v2_takes_and_scores,
    _v3_transcript_search,
    _v4_signoff_guards,
    _v5_review_indexes,
    _v6_sync_state,
    _v7_review_list_index,
    _v8_local_pins,
    _v9_station_names,
    _v10_people_email_and_xapi_queue,
]


def migrate(conn: sqlite3.Connection, target: int | None = None) -> int:
    """Apply pending migrations in order (the caller holds the transaction). Returns the new version."""
    target = len(MIGRATIONS) if target is None else target
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number in range(version, target):
        _run_statements(conn, MIGRATIONS[number])
        conn.execute(f"PRAGMA user_version={number + 1}")
    return max(version, target)


def _run_statements(conn: sqlite3.Connection, migration: Callable[[sqlite3.Connection], None]) -> None:
    # executescript() would COMMIT the caller's transaction first; run statement by statement instead
    # so a failing migration rolls back whole.
    class _Splitter:
        def __init__(self, inner: sqlite3.Connection):
            self.inner = inner

        def executescript(self, script: str) -> None:
            for statement in _split(script):
                self.inner.execute(statement)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    migration(_Splitter(conn))  # type: ignore[arg-type]


def _split(script: str) -> list[str]:
    statements, current = [], []
    for line in script.splitlines():
        stripped = line.strip()
        if stripped.startswith("--") or not stripped:
            continue
        current.append(line)
        if sqlite3.complete_statement("\n".join(current)):
            statements.append("\n".join(current))
            current = []
    if current and "".join(current).strip():
        statements.append("\n".join(current))
    return statements
