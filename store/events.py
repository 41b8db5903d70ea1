"""Engagement events: who looked at or took away what (dashboard, issue #8). No Qt.

Anyone may log one with :func:`log_event`; it is an append-only record (UUID, station, Lamport clock)
that syncs like the rest. The dashboard counts them per kind, per exercise and per week.

Kinds (use these constants; the dashboard reads exactly these strings):

* ``transcript_view``   someone opened a take's transcript (Review/Coach page, #4/#5)
* ``transcript_export`` a transcript was written out (SRT/VTT/TXT ... from the UI or the command line)
* ``exemplar_view``     someone played an exemplar take ("how the best of us do it", Record page)
* ``exemplar_export``   an exemplar's media or transcript was copied out
* ``scores_export``     `rolecall export scores` or the same from a page

``recording_id`` and ``exercise_id`` are optional; when only the recording is given the exercise is
looked up so per-exercise counts work. ``detail`` is a small JSON-able dict (format, path ...).
"""
from __future__ import annotations

import json

from store.db import Store

TRANSCRIPT_VIEW = "transcript_view"
TRANSCRIPT_EXPORT = "transcript_export"
EXEMPLAR_VIEW = "exemplar_view"
EXEMPLAR_EXPORT = "exemplar_export"
SCORES_EXPORT = "scores_export"
KINDS = (TRANSCRIPT_VIEW, TRANSCRIPT_EXPORT, EXEMPLAR_VIEW, EXEMPLAR_EXPORT, SCORES_EXPORT)
VIEWS = (TRANSCRIPT_VIEW, EXEMPLAR_VIEW)
EXPORTS = (TRANSCRIPT_EXPORT, EXEMPLAR_EXPORT, SCORES_EXPORT)


def log_event(store: Store, kind: str, person_id: str | None = None, recording_id: str | None = None,
              exercise_id: str | None = None, detail: dict | None = None) -> str:
    """Append one event and return its id. Unknown kinds are refused (a typo would never be counted)."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind '{kind}'; use one of: {', '.join(KINDS)}")
    with store.transaction() as db:
        if exercise_id is None and recording_id is not None:
            row = db.execute("SELECT exercise_id FROM recordings WHERE id=?", [recording_id]).fetchone()
            exercise_id = row[0] if row else None
        fields = store.record_fields()
        db["events"].insert({**fields, "kind": kind, "person_id": person_id,
                             "recording_id": recording_id, "exercise_id": exercise_id,
                             "detail": json.dumps(detail or {}, ensure_ascii=False)})
    return fields["id"]
