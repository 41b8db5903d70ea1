"""Hand-made certification data for the tests (no tests here): people, submitted takes of the
new-messaging program's exercise and peer scorecards, inserted as rows the way #3/#5 write them."""
from __future__ import annotations

import json

from store.clock import kit_id
from store.people import PeopleRepo

PROGRAM = "new-messaging-certification"
EXERCISE = kit_id("exercise", "new-messaging-pitch")
RUBRIC = kit_id("rubric", "new-messaging")


def crit(slug: str) -> str:
    return kit_id("criterion", f"new-messaging/{slug}")


def criteria_slugs(store) -> list[str]:
    return [r[0] for r in store.db.execute(
        "SELECT slug FROM criteria WHERE rubric_id=? ORDER BY position", [RUBRIC])]


def add_take(store, rep_id: str, exercise_id: str = EXERCISE, submitted_at: str = "2026-11-20T10:00:00.000Z",
             status: str = "submitted", media_path: str | None = None) -> str:
    with store.transaction() as db:
        f = store.record_fields()
        db["recordings"].insert({**f, "updated_at": f["created_at"], "rep_id": rep_id,
                                 "exercise_id": exercise_id, "status": status, "started_at": submitted_at,
                                 "submitted_at": submitted_at if status == "submitted" else None,
                                 "duration_s": 12.0, "media_path": media_path or f"media/{f['id']}.mp4"})
    return f["id"]


def add_card(store, recording_id: str, scorer_id: str, scores: dict[str, int], version: int = 1,
             comment: str = "") -> str:
    with store.transaction() as db:
        f = store.record_fields()
        db["scorecards"].insert({**f, "recording_id": recording_id, "scorer_id": scorer_id,
                                 "rubric_id": RUBRIC, "rubric_version": 1, "version": version,
                                 "overall_comment": comment, "submitted_at": f["created_at"]})
        for slug, score in scores.items():
            db["scores"].insert({**store.record_fields(), "scorecard_id": f["id"],
                                 "criterion_id": crit(slug), "score": score})
    return f["id"]


def add_transcript(store, recording_id: str, text: str = "Our new messaging has three pillars.") -> str:
    term = kit_id("term", "new-messaging")
    words = [{"word": w, "start": i * 0.5, "end": i * 0.5 + 0.4} for i, w in enumerate(text.split())]
    with store.transaction() as db:
        f = store.record_fields()
        db["transcripts"].insert({**f, "recording_id": recording_id, "model": "tiny.en", "language": "en",
                                  "text": text, "duration_s": 12.0, "complete": 1,
                                  "metrics": json.dumps({"wpm": 130})})
        db["segments"].insert({**store.record_fields(), "transcript_id": f["id"], "idx": 0, "start_s": 0.0,
                               "end_s": len(words) * 0.5, "text": text, "words": json.dumps(words)})
        db["term_hits"].insert({**store.record_fields(), "transcript_id": f["id"], "recording_id": recording_id,
                                "term_id": term, "start_s": 0.5, "end_s": 1.4, "text": "new messaging",
                                "score": 100})
    return f["id"]


def all_scores(store, value: int, **override: int) -> dict[str, int]:
    out = {slug: value for slug in criteria_slugs(store)}
    out.update({k.replace("_", "-"): v for k, v in override.items()})
    return out


def cast(store):
    """rep Ana (ready), rep Ben (one scorecard short), peers Cy and Di, certifier Eve, coach Flo."""
    people = PeopleRepo(store)
    p = {n: people.add(n, role, team) for n, role, team in [
        ("Ana", "rep", "North"), ("Ben", "rep", "South"), ("Cy", "rep", "North"), ("Di", "rep", "South"),
        ("Eve", "certifier", None), ("Flo", "coach", "North")]}
    ana = add_take(store, p["Ana"].id)
    add_card(store, ana, p["Cy"].id, all_scores(store, 4, messaging_pillars=5))
    add_card(store, ana, p["Di"].id, all_scores(store, 4))
    ben = add_take(store, p["Ben"].id)
    add_card(store, ben, p["Cy"].id, all_scores(store, 4))
    return p, {"Ana": ana, "Ben": ben}
