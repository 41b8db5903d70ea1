"""Transcripts, segments, term hits, full-text search and the transcription job queue.  No Qt.

* Segments are written one transaction each as they arrive, so a crash keeps what was heard.  A
  transcript stays ``complete=0`` until its job finishes; the next attempt resumes it from the end
  of its last stored segment (see recorder/transcription/jobs.py).
* Jobs (``transcription_jobs``, local, never synced): queued -> transcribing -> done | failed
  (reason in ``error``) | cancelled; ``retry`` puts a failed or cancelled job back in the queue and
  ``reset_interrupted`` (called on start) puts jobs left 'transcribing' by a crash back too.
* Search: FTS5 over segment text (``segments_fts``, migration in store/schema.py), porter stemming,
  so "reframe" also finds "reframing"; results carry the recording and the time to seek to.

Segments come in as dicts (``Segment.to_dict(full=True)``) or objects with ``to_dict``; this module
does not import the recorder.
"""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from scoring.terms import VocabTerm
from store.clock import now_iso
from store.db import DB_NAME, Store

ACTIVE = ("queued", "transcribing")


def _seg_dict(seg) -> dict:
    return seg.to_dict(full=True) if hasattr(seg, "to_dict") else dict(seg)


class TranscriptRepo:
    def __init__(self, store: Store):
        self.store = store

    # -- vocabulary --------------------------------------------------------------------------
    def vocabulary(self) -> list[VocabTerm]:
        rows = self.store.db.execute(
            "SELECT id, term, aliases FROM terms WHERE deleted = 0 ORDER BY slug").fetchall()
        return [VocabTerm(term, tuple(json.loads(aliases or "[]")), term_id=tid) for tid, term, aliases in rows]

    def exercise_term_ids(self, recording_id: str) -> list[str]:
        """Ids of the terms the recording's exercise rubric checks (its criteria's terms), in order."""
        rows = self.store.db.execute(
            "SELECT c.terms FROM recordings r JOIN exercises e ON e.id = r.exercise_id "
            "JOIN criteria c ON c.rubric_id = e.rubric_id AND c.deleted = 0 WHERE r.id = ? "
            "ORDER BY c.position", [recording_id]).fetchall()
        out: dict[str, None] = {}
        for (terms,) in rows:
            for tid in json.loads(terms or "[]"):
                out.setdefault(tid, None)
        return list(out)

    def vocabulary_for(self, recording_id: str) -> list[VocabTerm]:
        """The station's vocabulary with the exercise's rubric terms first (biasing keeps a bounded
        number of terms, so these must not be the ones left out)."""
        terms = self.vocabulary()
        first = {tid: i for i, tid in enumerate(self.exercise_term_ids(recording_id))}
        return sorted(terms, key=lambda t: (0, first[t.term_id]) if t.term_id in first else (1, 0))

    # -- jobs ----------------------------------------------------------------------------------
    def enqueue(self, recording_id: str) -> None:
        """Queue a recording (again).  A job already queued or running is left as it is."""
        now = now_iso()
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO transcription_jobs(recording_id, status, progress, error, attempts, "
                "queued_at, updated_at) VALUES(?, 'queued', 0, NULL, 0, ?, ?) "
                "ON CONFLICT(recording_id) DO UPDATE SET status='queued', progress=0, error=NULL, "
                "queued_at=excluded.queued_at, updated_at=excluded.updated_at "
                "WHERE status NOT IN ('queued', 'transcribing')", [recording_id, now, now])

    def job(self, recording_id: str) -> dict | None:
        row = self.store.db.execute("SELECT * FROM transcription_jobs WHERE recording_id=?",
                                    [recording_id]).fetchone()
        return self._job_dict(row) if row else None

    def jobs(self, limit: int = 200) -> list[dict]:
        """Jobs with their recording (newest first) for the queue panel."""
        cur = self.store.db.execute(
            "SELECT j.*, r.media_path, r.duration_s, r.rep_id, p.name AS rep_name, e.title AS exercise "
            "FROM transcription_jobs j LEFT JOIN recordings r ON r.id = j.recording_id "
            "LEFT JOIN people p ON p.id = r.rep_id LEFT JOIN exercises e ON e.id = r.exercise_id "
            "ORDER BY CASE j.status WHEN 'transcribing' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END, "
            "j.queued_at DESC LIMIT ?", [limit])
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def next_queued(self) -> str | None:
        row = self.store.db.execute("SELECT recording_id FROM transcription_jobs WHERE status='queued' "
                                    "ORDER BY queued_at, recording_id LIMIT 1").fetchone()
        return row[0] if row else None

    def claim(self, recording_id: str) -> bool:
        """queued -> transcribing (attempts + 1); False if someone else took it or it is not queued."""
        with self.store.transaction() as db:
            cur = db.execute("UPDATE transcription_jobs SET status='transcribing', progress=0, error=NULL, "
                             "attempts=attempts+1, updated_at=? WHERE recording_id=? AND status='queued'",
                             [now_iso(), recording_id])
            return cur.rowcount == 1

    def set_progress(self, recording_id: str, progress: float) -> None:
        with self.store.transaction() as db:
            db.execute("UPDATE transcription_jobs SET progress=?, updated_at=? WHERE recording_id=? "
                       "AND status='transcribing'", [max(0.0, min(1.0, progress)), now_iso(), recording_id])

    def _set_status(self, recording_id: str, status: str, error: str | None, where: str = "") -> bool:
        with self.store.transaction() as db:
            cur = db.execute(f"UPDATE transcription_jobs SET status=?, error=?, updated_at=?"
                             f"{', progress=1' if status == 'done' else ''} WHERE recording_id=? {where}",
                             [status, error, now_iso(), recording_id])
            return cur.rowcount == 1

    def mark_done(self, recording_id: str) -> None:
        self._set_status(recording_id, "done", None)

    def mark_failed(self, recording_id: str, reason: str, retryable: bool = True) -> None:
        prefix = "" if retryable else "permanent: "
        self._set_status(recording_id, "failed", prefix + reason)

    def mark_cancelled(self, recording_id: str) -> bool:
        return self._set_status(recording_id, "cancelled", "cancelled by the user",
                                "AND status IN ('queued', 'transcribing')")

    def retry(self, recording_id: str) -> bool:
        """A failed or cancelled job back to the queue (its incomplete transcript will be resumed)."""
        with self.store.transaction() as db:
            cur = db.execute("UPDATE transcription_jobs SET status='queued', progress=0, error=NULL, "
                             "queued_at=?, updated_at=? WHERE recording_id=? AND status IN ('failed', 'cancelled')",
                             [now_iso(), now_iso(), recording_id])
            return cur.rowcount == 1

    def reset_interrupted(self) -> int:
        """On start: jobs a crash left 'transcribing' go back to the queue.  Returns how many."""
        with self.store.transaction() as db:
            cur = db.execute("UPDATE transcription_jobs SET status='queued', updated_at=?, "
                             "error='interrupted; resumed' WHERE status='transcribing'", [now_iso()])
            return cur.rowcount

    @staticmethod
    def _job_dict(row: sqlite3.Row | tuple) -> dict:
        keys = ("recording_id", "status", "progress", "error", "attempts", "queued_at", "updated_at")
        return dict(zip(keys, row))

    # -- recordings ------------------------------------------------------------------------------
    def media_file(self, recording_id: str) -> Path | None:
        row = self.store.db.execute("SELECT media_path FROM recordings WHERE id=?", [recording_id]).fetchone()
        if not row or not row[0]:
            return None
        p = Path(row[0])
        if p.is_absolute():
            return p
        for base in (self.store.data_dir, self.store.media_dir):
            if (base / p).exists():
                return base / p
        return self.store.data_dir / p

    def recording_duration(self, recording_id: str) -> float | None:
        row = self.store.db.execute("SELECT duration_s FROM recordings WHERE id=?", [recording_id]).fetchone()
        return float(row[0]) if row and row[0] else None

    # -- transcripts -------------------------------------------------------------------------------
    def incomplete_transcript(self, recording_id: str) -> dict | None:
        """The unfinished transcript of a recording, with where to resume: next idx and time."""
        row = self.store.db.execute(
            "SELECT t.id, t.model, COALESCE(MAX(s.idx) + 1, 0), COALESCE(MAX(s.end_s), 0) FROM transcripts t "
            "LEFT JOIN segments s ON s.transcript_id = t.id WHERE t.recording_id=? AND t.complete=0 "
            "GROUP BY t.id ORDER BY t.created_at DESC LIMIT 1", [recording_id]).fetchone()
        if not row:
            return None
        return {"id": row[0], "model": row[1], "next_idx": int(row[2]), "resume_at": float(row[3])}

    def begin_transcript(self, recording_id: str, model: str, language: str, duration: float | None) -> str:
        with self.store.transaction() as db:
            fields = self.store.record_fields()
            db["transcripts"].insert(dict(fields, recording_id=recording_id, model=model, language=language,
                                          text="", duration_s=duration, complete=0, metrics="{}"))
            return fields["id"]

    def add_segment(self, transcript_id: str, seg, idx: int) -> None:
        d = _seg_dict(seg)
        with self.store.transaction() as db:
            db["segments"].insert(dict(self.store.record_fields(), transcript_id=transcript_id, idx=idx,
                                       start_s=float(d["start"]), end_s=float(d["end"]), text=d["text"],
                                       words=json.dumps(d.get("words", [])),
                                       no_speech_prob=d.get("no_speech_prob")))

    def segments(self, transcript_id: str) -> list[dict]:
        rows = self.store.db.execute(
            "SELECT idx, start_s, end_s, text, words, no_speech_prob FROM segments WHERE transcript_id=? "
            "ORDER BY idx", [transcript_id]).fetchall()
        return [{"index": i, "start": s, "end": e, "text": t, "words": json.loads(w or "[]"),
                 "no_speech_prob": n or 0.0} for i, s, e, t, w, n in rows]

    def complete_transcript(self, transcript_id: str, recording_id: str, metrics: dict, hits) -> None:
        """Mark complete: full text, metrics, and the term hits (replacing any earlier ones)."""
        text = " ".join(s["text"].strip() for s in self.segments(transcript_id) if s["text"].strip())
        with self.store.transaction() as db:
            db.execute("UPDATE transcripts SET text=?, metrics=?, complete=1 WHERE id=?",
                       [text, json.dumps(metrics), transcript_id])
            db.execute("DELETE FROM term_hits WHERE transcript_id=?", [transcript_id])
            for h in hits:
                if not h.term_id:
                    continue
                db["term_hits"].insert(dict(self.store.record_fields(), transcript_id=transcript_id,
                                            recording_id=recording_id, term_id=h.term_id, start_s=h.start,
                                            end_s=h.end, text=h.text, score=h.score))

    def latest_transcript(self, recording_id: str, complete_only: bool = False) -> dict | None:
        row = self.store.db.execute(
            "SELECT id, model, language, text, duration_s, complete, metrics, created_at FROM transcripts "
            f"WHERE recording_id=? {'AND complete=1' if complete_only else ''} "
            "ORDER BY complete DESC, created_at DESC LIMIT 1", [recording_id]).fetchone()
        if not row:
            return None
        keys = ("id", "model", "language", "text", "duration_s", "complete", "metrics", "created_at")
        d = dict(zip(keys, row))
        d["metrics"] = json.loads(d["metrics"] or "{}")
        return d

    def term_hits(self, transcript_id: str) -> list[dict]:
        rows = self.store.db.execute(
            "SELECT h.term_id, t.term, h.start_s, h.end_s, h.text, h.score FROM term_hits h "
            "LEFT JOIN terms t ON t.id = h.term_id WHERE h.transcript_id=? ORDER BY h.start_s",
            [transcript_id]).fetchall()
        return [{"term_id": a, "term": b, "start": c, "end": d, "text": e, "score": f} for a, b, c, d, e, f in rows]

    # -- search ----------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[dict]:
        """Segments matching ``query`` (words, "quoted phrases"), best first, with recording and time."""
        fts = _fts_query(query)
        if not fts:
            return []
        rows = self.store.db.execute(
            "SELECT s.transcript_id, t.recording_id, s.idx, s.start_s, s.end_s, s.text, "
            "snippet(segments_fts, 0, '[', ']', '…', 12) FROM segments_fts "
            "JOIN segments s ON s.rowid = segments_fts.rowid JOIN transcripts t ON t.id = s.transcript_id "
            "WHERE segments_fts MATCH ? ORDER BY rank LIMIT ?", [fts, limit]).fetchall()
        keys = ("transcript_id", "recording_id", "idx", "start", "end", "text", "snippet")
        return [dict(zip(keys, r)) for r in rows]


def _fts_query(query: str) -> str:
    """User text to a safe FTS5 query: quoted phrases kept, other words ANDed, no operators."""
    parts = re.findall(r'"([^"]+)"|(\S+)', query)
    out = []
    for phrase, word in parts:
        toks = re.findall(r"\w+", phrase or word)
        if toks:
            out.append('"' + " ".join(toks) + '"')
    return " ".join(out)


def read_station_terms(data_dir: str | Path) -> list[VocabTerm] | None:
    """The station's vocabulary, read-only (no migration, no write); None if there is no station DB."""
    path = Path(data_dir) / DB_NAME
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT id, term, aliases FROM terms WHERE deleted = 0 ORDER BY slug").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return [VocabTerm(term, tuple(json.loads(aliases or "[]")), term_id=tid) for tid, term, aliases in rows] or None
