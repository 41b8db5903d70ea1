"""One submitted take with a transcript, written straight into the store (tests, examples, demos).

    rid = add_take(store, rep_id, "cold-call", segments=[(0.0, 4.0, "Hello there")], media_path=...)

Normal takes come from the Record page (store/recordings.py) and the transcription job (#4); this
shortcut writes the same rows with the same record fields, for places that need a take without a camera.
"""
from __future__ import annotations

import json
from typing import Sequence

from demo.media import ensure_demo_media
from store.db import Store


def add_take(store: Store, rep_id: str, exercise: str, *, duration_s: float = 30.0,
             segments: Sequence[tuple[float, float, str]] = (), hits: Sequence[tuple[str, float, float]] = (),
             media_path: str | None = None, submitted_at: str | None = None, metrics: dict | None = None) -> str:
    """A submitted take of ``exercise`` (id or slug). ``segments``: (start, end, text), words timed evenly;
    ``hits``: (term slug or id, start, end). Without ``media_path`` the shared demo clip is used."""
    media_path = media_path or ensure_demo_media(store.data_dir)
    with store.transaction() as db:
        ex = db.execute("SELECT id FROM exercises WHERE id = ? OR slug = ?", [exercise, exercise]).fetchone()
        if ex is None:
            raise ValueError(f"no exercise {exercise!r}")
        rec = store.record_fields()
        stamp = submitted_at or rec["created_at"]
        db["recordings"].insert({**rec, "updated_at": rec["created_at"], "rep_id": rep_id, "exercise_id": ex[0],
                                 "status": "submitted", "source": "import", "started_at": stamp,
                                 "ended_at": stamp, "submitted_at": stamp, "duration_s": duration_s,
                                 "media_path": media_path})
        tr = store.record_fields()
        text = " ".join(t for _a, _b, t in segments)
        words_total = sum(len(t.split()) for _a, _b, t in segments)
        db["transcripts"].insert({**tr, "recording_id": rec["id"], "model": "test", "language": "en",
                                  "text": text, "duration_s": duration_s, "complete": 1,
                                  "metrics": json.dumps(metrics or {"duration": duration_s,
                                                                    "word_count": words_total,
                                                                    "wpm": round(words_total / duration_s * 60, 1)})})
        for idx, (start, end, seg_text) in enumerate(segments):
            tokens = seg_text.split()
            step = (end - start) / max(1, len(tokens))
            words = [{"start": round(start + i * step, 3), "end": round(start + (i + 1) * step, 3), "word": " " + w}
                     for i, w in enumerate(tokens)]
            db["segments"].insert({**store.record_fields(), "transcript_id": tr["id"], "idx": idx, "start_s": start,
                                   "end_s": end, "text": seg_text, "words": json.dumps(words)})
        for term, start, end in hits:
            term_row = db.execute("SELECT id, term FROM terms WHERE id = ? OR slug = ?", [term, term]).fetchone()
            if term_row is None:
                raise ValueError(f"no term {term!r}")
            db["term_hits"].insert({**store.record_fields(), "transcript_id": tr["id"], "recording_id": rec["id"],
                                    "term_id": term_row[0], "start_s": start, "end_s": end, "text": term_row[1],
                                    "score": 1.0})
    return rec["id"]

