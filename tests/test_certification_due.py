"""Reminders from the store (store/certification_due.py) and the evidence gathered for a certifier."""
from datetime import date, datetime, timezone

from store.certification import CertificationRepo
from store.certification_due import due_for
from store.certification_evidence import gather
from store.clock import kit_id
from store.pins import PinRepo
from test_certif_support import PROGRAM, add_card, add_take, all_scores, cast, crit


def _certify(store, people, when):
    PinRepo(store).set_pin(people["Eve"].id, "739184")
    repo = CertificationRepo(store, clock=lambda: when)
    return repo.decide(certifier_id=people["Eve"].id, pin="739184", rep_id=people["Ana"].id,
                       program_key=PROGRAM, decision="certified")


def test_certified_rep_gets_practice_then_recertification(store):
    people, _ = cast(store)
    d = _certify(store, people, datetime(2026, 11, 23, 9, tzinfo=timezone.utc))
    ana = people["Ana"].id
    assert due_for(store, ana, date(2026, 11, 23)) == []
    one = due_for(store, ana, date(2026, 11, 24))
    assert [(r.kind, r.step, r.label) for r in one] == [("practice", 1, "New-messaging certification")]
    add_take(store, ana, submitted_at="2026-11-24T15:00:00.000Z")
    assert due_for(store, ana, date(2026, 11, 25)) == []
    assert [r.step for r in due_for(store, ana, date(2026, 11, 30))] == [7]
    until = date.fromisoformat(d.valid_until)
    add_take(store, ana, submitted_at=f"{until.isoformat()}T00:00:00.000Z")   # practised late, clears practice
    kinds = [r.kind for r in due_for(store, ana, until)]
    assert kinds == ["recertify"]
    assert [r.kind for r in due_for(store, ana, date(2027, 6, 1))] == ["expired"]


def test_later_decision_supersedes_old_certificate_reminders(store):
    people, _ = cast(store)
    _certify(store, people, datetime(2026, 1, 1, tzinfo=timezone.utc))
    repo = CertificationRepo(store, clock=lambda: datetime(2026, 3, 1, tzinfo=timezone.utc))
    repo.decide(certifier_id=people["Eve"].id, pin="739184", rep_id=people["Ana"].id, program_key=PROGRAM,
                decision="needs_rework", reasons={crit("messaging-pillars"): "Redo."})
    add_take(store, people["Ana"].id, submitted_at="2026-02-01T00:00:00.000Z")
    assert due_for(store, people["Ana"].id, date(2026, 6, 30)) == []     # no re-certify of a withdrawn one


def test_low_score_take_asks_for_practice(store):
    people, _ = cast(store)
    ben = people["Ben"].id
    cold = kit_id("exercise", "cold-call")
    rid = add_take(store, ben, exercise_id=cold, submitted_at="2026-11-01T10:00:00.000Z")
    slugs = [r[0] for r in store.db.execute(
        "SELECT c.id FROM criteria c WHERE c.rubric_id=?", [kit_id("rubric", "cold-call-craft")])]
    with store.transaction() as db:
        f = store.record_fields()
        db["scorecards"].insert({**f, "recording_id": rid, "scorer_id": people["Cy"].id, "version": 1,
                                 "submitted_at": f["created_at"]})
        for cid in slugs:
            db["scores"].insert({**store.record_fields(), "scorecard_id": f["id"], "criterion_id": cid, "score": 2})
    due = due_for(store, ben, date(2026, 11, 9))
    assert [(r.kind, r.step, r.label) for r in due] == [("practice", 7, "Role-play: cold call")]


def test_evidence_for_a_candidate(store):
    people, takes = cast(store)
    add_card(store, takes["Ana"], people["Ana"].id, all_scores(store, 5))   # own card: ignored
    with store.transaction() as db:
        f = store.record_fields()
        db["comments"].insert({**f, "updated_at": f["created_at"], "recording_id": takes["Ana"],
                               "author_id": people["Flo"].id, "kind": "coach_note", "text": "Strong close."})
    ev = gather(CertificationRepo(store), people["Ana"].id, PROGRAM)
    assert [t["recording_id"] for t in ev.takes] == [takes["Ana"]] and ev.takes[0]["scorecards"] == 2
    pillars = next(c for c in ev.criteria if c.id == crit("messaging-pillars"))
    assert pillars.minimum == 4 and pillars.aggregate.mean == 4.5 and pillars.aggregate.n == 2
    assert (pillars.aggregate.low, pillars.aggregate.high) == (4, 5)
    assert ev.agreement is not None and ev.agreement.units == len(ev.criteria)
    assert [(n["kind"], n["author"], n["text"]) for n in ev.notes] == [("coach note", "Flo", "Strong close.")]
    assert gather(CertificationRepo(store), people["Cy"].id, PROGRAM).takes == []
