"""The first two migrations: the tables a station started with (people and the kit; takes, transcripts,
scores, comments, sign-offs, exemplars, events) and the column conventions every synced table shares.
store/schema.py lists them with the later migrations and runs them."""
from __future__ import annotations

import sqlite3

RECORD = """id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    station_id TEXT NOT NULL,
    clock INTEGER NOT NULL DEFAULT 0"""
MUTABLE = RECORD + """,
    updated_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0"""


def v1_people_and_kit(conn: sqlite3.Connection) -> None:
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


def v2_takes_and_scores(conn: sqlite3.Connection) -> None:
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
