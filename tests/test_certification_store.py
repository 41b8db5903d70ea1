"""Sign-off decisions in the store: certifier only, PIN, evidence, immutable records with history."""
import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from store.certification import CertificationError, CertificationRepo, NotCertifier
from store.pins import PinLocked, PinRepo, WrongPin
from test_certif_support import PROGRAM, add_card, all_scores, cast, crit


@pytest.fixture
def world(store):
    people, takes = cast(store)
    PinRepo(store).set_pin(people["Eve"].id, "739184")
    now = [datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)]
    repo = CertificationRepo(store, clock=lambda: now[0])
    return repo, people, takes, now


def test_readiness_from_the_store(world):
    repo, p, takes, _ = world
    ana = repo.readiness(p["Ana"].id, PROGRAM)
    assert ana.met and ana.evidence == (takes["Ana"],) and ana.scorecard_count == 2
    assert ana.scores[crit("messaging-pillars")] == 4.5
    ben = repo.readiness(p["Ben"].id, PROGRAM)
    assert [r.key for r in ben.missing] == ["scorecards"] and ben.close
    everyone = repo.all_readiness(PROGRAM)
    assert everyone[p["Cy"].id].status == "not_started"
    assert p["Eve"].id not in everyone


def test_own_and_superseded_scorecards_do_not_count(world, store):
    repo, p, takes, _ = world
    add_card(store, takes["Ben"], p["Ben"].id, all_scores(store, 5))      # own scorecard
    assert repo.readiness(p["Ben"].id, PROGRAM).scorecard_count == 1
    add_card(store, takes["Ben"], p["Cy"].id, all_scores(store, 2), version=2)  # Cy revises down
    ben = repo.readiness(p["Ben"].id, PROGRAM)
    assert ben.scorecard_count == 1 and ben.scores[crit("messaging-pillars")] == 2


def test_certifier_with_pin_certifies(world, store):
    repo, p, takes, _ = world
    d = repo.decide(certifier_id=p["Eve"].id, pin="739184", rep_id=p["Ana"].id, program_key=PROGRAM,
                    decision="certified", reasons={crit("messaging-pillars"): "All three pillars."})
    assert d.decision == "certified" and d.certifier == "Eve" and d.rep == "Ana" and d.team == "North"
    assert d.valid_until == "2027-05-22"                          # 180 days
    assert d.evidence == (takes["Ana"],) and d.station_id == store.station_id
    assert d.program_version == 1 and d.rubric_version == 1
    assert d.scores["criteria"]["messaging-pillars"] == 4.5 and d.scores["scorecards"] == 2
    assert d.reasons == {crit("messaging-pillars"): "All three pillars."}
    assert repo.readiness(p["Ana"].id, PROGRAM).status == "certified"


def test_non_certifier_cannot_sign_off_even_with_a_pin(world, store):
    repo, p, _, _ = world
    for who in ("Flo", "Cy"):
        PinRepo(store).set_pin(p[who].id, "5555-x")
        with pytest.raises(NotCertifier, match="Only a certifier"):
            repo.decide(certifier_id=p[who].id, pin="5555-x", rep_id=p["Ana"].id, program_key=PROGRAM,
                        decision="certified")
    assert store.db.execute("SELECT count(*) FROM signoffs").fetchone()[0] == 0


def test_wrong_pin_refused_and_rate_limited(world, store):
    repo, p, _, now = world
    args = dict(certifier_id=p["Eve"].id, rep_id=p["Ana"].id, program_key=PROGRAM, decision="certified")
    for _ in range(3):
        with pytest.raises(WrongPin):
            repo.decide(pin="0000", **args)
    with pytest.raises(PinLocked):
        repo.decide(pin="739184", **args)
    assert store.db.execute("SELECT count(*) FROM signoffs").fetchone()[0] == 0
    now[0] += timedelta(seconds=31)
    assert repo.decide(pin="739184", **args).decision == "certified"


def test_cannot_certify_unmet_or_self(world, store):
    repo, p, _, _ = world
    with pytest.raises(CertificationError, match="more peer scorecard"):
        repo.decide(certifier_id=p["Eve"].id, pin="739184", rep_id=p["Ben"].id, program_key=PROGRAM,
                    decision="certified")
    with pytest.raises(CertificationError, match="themselves"):
        repo.decide(certifier_id=p["Eve"].id, pin="739184", rep_id=p["Eve"].id, program_key=PROGRAM,
                    decision="needs_rework", reasons={"x": "y"})


def test_change_of_mind_is_a_new_decision_and_records_are_immutable(world, store):
    repo, p, _, now = world
    first = repo.decide(certifier_id=p["Eve"].id, pin="739184", rep_id=p["Ana"].id, program_key=PROGRAM,
                        decision="certified")
    now[0] += timedelta(hours=2)
    second = repo.decide(certifier_id=p["Eve"].id, pin="739184", rep_id=p["Ana"].id, program_key=PROGRAM,
                         decision="needs_rework", reasons={crit("messaging-pillars"): "Pillars recited, not tied "
                                                           "to the buyer."})
    history = repo.history(p["Ana"].id, PROGRAM)
    assert [d.id for d in history] == [second.id, first.id]
    assert repo.current(p["Ana"].id, PROGRAM).decision == "needs_rework"
    assert repo.get(first.id) == first                        # unchanged
    assert repo.readiness(p["Ana"].id, PROGRAM).met           # certificate withdrawn, may be re-decided
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        with store.transaction() as db:
            db.execute("UPDATE signoffs SET decision='certified' WHERE id=?", [second.id])
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        with store.transaction() as db:
            db.execute("DELETE FROM signoffs WHERE id=?", [first.id])
    assert len(repo.history(p["Ana"].id, PROGRAM)) == 2


def test_decision_is_written_durably(world, store, monkeypatch):
    repo, p, _, _ = world
    seen = []
    real = store.transaction

    def spy(durable=False):
        seen.append(durable)
        return real(durable=durable)

    monkeypatch.setattr(store, "transaction", spy)
    repo.decide(certifier_id=p["Eve"].id, pin="739184", rep_id=p["Ana"].id, program_key=PROGRAM,
                decision="certified")
    row = store.db.execute("SELECT evidence, scores FROM signoffs").fetchone()
    assert json.loads(row[0]) and json.loads(row[1])["total"] > 3.5
    assert True in seen
