"""Helpers for the xAPI tests: a station holding a demo event (with sign-offs), and records made
one by one as the pages make them."""
from __future__ import annotations

from store.scores import CriterionScore, ScorecardDraft, ScoreRepo
from store.station import open_station
from test_sync_support import add_person, add_take  # noqa: F401


def demo_station(path, recordings: int = 60, seed: int = 2, emails: int = 5):
    """A station with a demo event; the first ``emails`` reps get an email."""
    import demo
    from demo import signoffs

    signoffs.register()
    store = open_station(path)
    demo.generate(store, recordings=recordings, seed=seed)
    from store.people import PeopleRepo

    people = PeopleRepo(store)
    for i, (pid,) in enumerate(store.db.execute(
            "SELECT id FROM people WHERE role='rep' ORDER BY name LIMIT ?", [emails]).fetchall()):
        people.set_email(pid, f"rep{i}@Acme.example.com")
    return store


def first_exercise(store, kind: str = "teach-back") -> tuple[str, str]:
    """(exercise id, rubric id) of the kit's first exercise of that kind."""
    return store.db.execute("SELECT id, rubric_id FROM exercises WHERE kind=? ORDER BY position LIMIT 1",
                            [kind]).fetchone()


def submitted_take(store, rep_id: str, exercise_id: str, partner_id: str | None = None) -> str:
    from store.recordings import RecordingRepo

    take = add_take(store, rep_id)
    with store.transaction() as db:
        db.execute("UPDATE recordings SET exercise_id=?, partner_id=? WHERE id=?", [exercise_id, partner_id, take])
    RecordingRepo(store).submit(take)
    return take


def score(store, take: str, scorer: str, rubric_id: str, value: int = 4, evidence: float | None = 1.2):
    criteria = [r[0] for r in store.db.execute("SELECT id FROM criteria WHERE rubric_id=? ORDER BY position",
                                               [rubric_id])]
    return ScoreRepo(store).submit(ScorecardDraft(take, scorer, [CriterionScore(c, value, evidence) for c in criteria]))
