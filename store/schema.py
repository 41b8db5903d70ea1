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

RECORD = """id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    station_id TEXT NOT NULL,
    clock INTEGER NOT NULL DEFAULT 0"""
MUTABLE = RECORD + """,
    updated_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0"""


def _v1_people_and_kit(conn: sqlite3.Connection) -> None:
    """The station, its people and the kit (vocabulary, rubrics, exercises, programs)."""
    conn.executescript(f"""
    CREATE TABLE station (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE people (
        {MUTABLE},
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('rep', 'coach', 'certifier')),
        team TEXT,
        pin_hash TEXT,
        hidden INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX people_name ON people(name COLLATE NOCASE);
    CREATE TABLE terms (
        {MUTABLE},
        slug TEXT NOT NULL UNIQUE,
        term TEXT NOT NULL,
        definition TEXT NOT NULL DEFAULT '',
        aliases TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE rubrics (
        {MUTABLE},
        slug TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE criteria (
        {MUTABLE},
        rubric_id TEXT NOT NULL REFERENCES rubrics(id),
        slug TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        terms TEXT NOT NULL DEFAULT '[]',
        weight REAL NOT NULL DEFAULT 1,
        required INTEGER NOT NULL DEFAULT 0,
        min_score INTEGER,
        anchors TEXT NOT NULL DEFAULT '{{}}',
        position INTEGER NOT NULL DEFAULT 0,
        UNIQUE (rubric_id, slug)
    );
    CREATE TABLE exercises (
        {MUTABLE},
        slug TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('teach-back', 'role-play')),
        title TEXT NOT NULL,
        prompt TEXT NOT NULL DEFAULT '',
        prework TEXT NOT NULL DEFAULT '',
        time_limit_s INTEGER NOT NULL DEFAULT 180,
        rubric_id TEXT REFERENCES rubrics(id),
        available_from TEXT,
        position INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE programs (
        {MUTABLE},
        slug TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        rubric_id TEXT REFERENCES rubrics(id),
        exercises TEXT NOT NULL DEFAULT '[]',
        pass_threshold REAL NOT NULL DEFAULT 0.7,
        required_criteria TEXT NOT NULL DEFAULT '{{}}',
        min_scorecards INTEGER NOT NULL DEFAULT 2,
        valid_days INTEGER NOT NULL DEFAULT 365,
        version INTEGER NOT NULL DEFAULT 1
    );
    """)


def _v2_takes_and_scores(conn: sqlite3.Connection) -> None:
    """Recordings, transcripts, scoring, coaching, certification and engagement events."""
    conn.executescript(f"""
    CREATE TABLE recordings (
        {MUTABLE},
        rep_id TEXT REFERENCES people(id),
        exercise_id TEXT REFERENCES exercises(id),
        partner_id TEXT REFERENCES people(id),
        status TEXT NOT NULL DEFAULT 'recording'
            CHECK (status IN ('recording', 'recovered', 'take', 'submitted', 'discarded')),
        source TEXT NOT NULL DEFAULT 'station',
        started_at TEXT,
        ended_at TEXT,
        submitted_at TEXT,
        duration_s REAL,
        media_path TEXT,
        media_sha256 TEXT,
        media_size INTEGER,
        has_video INTEGER NOT NULL DEFAULT 1,
        has_audio INTEGER NOT NULL DEFAULT 1,
        dropped_frames INTEGER NOT NULL DEFAULT 0,
        gaps TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX recordings_rep ON recordings(rep_id);
    CREATE INDEX recordings_exercise ON recordings(exercise_id);
    CREATE INDEX recordings_status ON recordings(status);
    CREATE TABLE transcripts (
        {RECORD},
        recording_id TEXT NOT NULL REFERENCES recordings(id),
        model TEXT,
        language TEXT,
        text TEXT NOT NULL DEFAULT '',
        duration_s REAL,
        complete INTEGER NOT NULL DEFAULT 0,
        metrics TEXT NOT NULL DEFAULT '{{}}'
    );
    CREATE INDEX transcripts_recording ON transcripts(recording_id);
    CREATE TABLE segments (
        {RECORD},
        transcript_id TEXT NOT NULL REFERENCES transcripts(id),
        idx INTEGER NOT NULL,
        start_s REAL NOT NULL,
        end_s REAL NOT NULL,
        text TEXT NOT NULL,
        words TEXT NOT NULL DEFAULT '[]',
        no_speech_prob REAL,
        UNIQUE (transcript_id, idx)
    );
    CREATE TABLE term_hits (
        {RECORD},
        transcript_id TEXT NOT NULL REFERENCES transcripts(id),
        recording_id TEXT NOT NULL REFERENCES recordings(id),
        term_id TEXT NOT NULL REFERENCES terms(id),
        start_s REAL NOT NULL,
        end_s REAL NOT NULL,
        text TEXT NOT NULL,
        score REAL
    );
    CREATE INDEX term_hits_recording ON term_hits(recording_id);
    CREATE INDEX term_hits_term ON term_hits(term_id);
    -- local work queue, never synced
    CREATE TABLE transcription_jobs (
        recording_id TEXT PRIMARY KEY REFERENCES recordings(id),
        status TEXT NOT NULL DEFAULT 'queued'
            CHECK (status IN ('queued', 'transcribing', 'done', 'failed', 'cancelled')),
        progress REAL NOT NULL DEFAULT 0,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        queued_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE scorecards (
        {RECORD},
        recording_id TEXT NOT NULL REFERENCES recordings(id),
        scorer_id TEXT NOT NULL REFERENCES people(id),
        rubric_id TEXT REFERENCES rubrics(id),
        rubric_version INTEGER,
        version INTEGER NOT NULL DEFAULT 1,
        supersedes TEXT,
        overall_comment TEXT NOT NULL DEFAULT '',
        submitted_at TEXT NOT NULL
    );
    CREATE INDEX scorecards_recording ON scorecards(recording_id);
    CREATE INDEX scorecards_scorer ON scorecards(scorer_id);
    CREATE TABLE scores (
        {RECORD},
        scorecard_id TEXT NOT NULL REFERENCES scorecards(id),
        criterion_id TEXT NOT NULL REFERENCES criteria(id),
        score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
        evidence_s REAL,
        comment TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX scores_scorecard ON scores(scorecard_id);
    CREATE TABLE comments (
        {MUTABLE},
        recording_id TEXT NOT NULL REFERENCES recordings(id),
        author_id TEXT REFERENCES people(id),
        scorecard_id TEXT REFERENCES scorecards(id),
        kind TEXT NOT NULL DEFAULT 'comment' CHECK (kind IN ('comment', 'coach_note')),
        at_s REAL,
        text TEXT NOT NULL
    );
    CREATE INDEX comments_recording ON comments(recording_id);
    CREATE TABLE exemplars (
        {MUTABLE},
        recording_id TEXT NOT NULL REFERENCES recordings(id),
        exercise_id TEXT REFERENCES exercises(id),
        promoted_by TEXT REFERENCES people(id),
        reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX exemplars_exercise ON exemplars(exercise_id);
    CREATE TABLE signoffs (
        {RECORD},
        rep_id TEXT NOT NULL REFERENCES people(id),
        program_id TEXT NOT NULL REFERENCES programs(id),
        certifier_id TEXT NOT NULL REFERENCES people(id),
        decision TEXT NOT NULL CHECK (decision IN ('certified', 'needs_rework')),
        reasons TEXT NOT NULL DEFAULT '{{}}',
        program_version INTEGER,
        rubric_version INTEGER,
        evidence TEXT NOT NULL DEFAULT '[]',
        scores TEXT NOT NULL DEFAULT '{{}}',
        decided_at TEXT NOT NULL,
        valid_until TEXT
    );
    CREATE INDEX signoffs_rep ON signoffs(rep_id);
    -- engagement: transcript views, exports, exemplar views ... (dashboard, issue #8)
    CREATE TABLE events (
        {RECORD},
        kind TEXT NOT NULL,
        person_id TEXT,
        recording_id TEXT,
        exercise_id TEXT,
        detail TEXT NOT NULL DEFAULT '{{}}'
    );
    CREATE INDEX events_kind ON events(kind);
    """)


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


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1_people_and_kit,
    _v2_takes_and_scores,
    _v3_transcript_search,
    _v4_signoff_guards,
    _v5_review_indexes,
    _v6_sync_state,
    _v7_review_list_index,
    _v8_local_pins,
    _v9_station_names,
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
