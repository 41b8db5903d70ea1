"""Dashboard figures (issue #8) against a small hand-built store with answers worked out by hand.

The store (``build_hand_store``), cold-call rubric: Q = socratic-question (weight 2; terms Socratic
question, discovery call), R = reframe-objection (2; reframe), C = call-to-action (1; call to action,
discovery call). Teach-back rubric: D = accurate-definition (2), S = socratic-question (1), A =
call-to-action (1). Reps Ana (North), Ben (North, hidden), Cy (South), Dee (South, no takes); coach
Kim; certifier Zed.

take  rep  exercise    submitted    peer scores (current)            criterion means     total
T1    Ana  cold-call   2026-11-02   Ben Q4 R3 C5, Cy Q2 R3 C3         Q3 R3 C4            16/5 = 3.2
                                    (Ana's own Q5 R5 C5 never counts)
T2    Ana  cold-call   2026-11-10   Ben v2 Q5 R5 C4 (v1 Q5 R4 C4      Q5 R4.5 C4.5        23.5/5 = 4.7
                                    superseded), Kim Q5 R4 C5
T3    Ana  teach-back  2026-11-11   Kim D4 S4 A2                      D4 S4 A2            14/4 = 3.5
T4    Ben  cold-call   2026-11-03   Ana Q3 R3 C3, Kim Q3 R3 C3        Q3 R3 C3            3.0
T5    Cy   cold-call   2026-11-12   Ana Q4 R4 C4                      Q4 R4 C4            4.0
Not submitted: Ana cold-call discarded (ended 2026-11-01 12:00), Cy cold-call kept (2026-11-12 00:00).
Transcripts complete for T1, T2, T4, T5; T3's is incomplete. Hits: T1 reframe x2 + Socratic question;
T2 reframe, call to action, discovery call; T4 Socratic question; T5 reframe; T3 teach-back (ignored).
"""
from __future__ import annotations

import pytest

from store import analytics
from scoring.analytics import Filters
from store.clock import kit_id
from store.people import PeopleRepo

COLD, TEACH = kit_id("exercise", "cold-call"), kit_id("exercise", "teach-back-reframing")
Q, R, C = (kit_id("criterion", f"cold-call-craft/{s}")
           for s in ("socratic-question", "reframe-objection", "call-to-action"))
D, S, A = (kit_id("criterion", f"teach-back-clarity/{s}")
           for s in ("accurate-definition", "socratic-question", "call-to-action"))
PROGRAM = kit_id("program", "new-messaging-certification")
TERM = {slug: kit_id("term", slug) for slug in ("reframe", "socratic-question", "call-to-action",
                                                "discovery-call", "teach-back")}


class Builder:
    def __init__(self, store):
        self.store = store
        self.people = PeopleRepo(store)

    def insert(self, table: str, **values) -> str:
        with self.store.transaction() as db:
            fields = self.store.record_fields()
            if "updated_at" in {c.name for c in db[table].columns}:
                fields["updated_at"] = fields["created_at"]
            db[table].insert({**fields, **values})
        return fields["id"]

    def take(self, rep, exercise, when, status="submitted") -> str:
        return self.insert("recordings", rep_id=rep, exercise_id=exercise, status=status,
                           submitted_at=when if status == "submitted" else None, ended_at=when)

    def card(self, rec, scorer, scores: dict, version=1, supersedes=None) -> str:
        card = self.insert("scorecards", recording_id=rec, scorer_id=scorer, version=version,
                           supersedes=supersedes, submitted_at="2026-11-20T00:00:00.000Z")
        for criterion, score in scores.items():
            self.insert("scores", scorecard_id=card, criterion_id=criterion, score=score)
        return card

    def transcript(self, rec, hits: list[str], complete=1) -> None:
        tid = self.insert("transcripts", recording_id=rec, complete=complete)
        for slug in hits:
            self.insert("term_hits", transcript_id=tid, recording_id=rec, term_id=TERM[slug],
                        start_s=1.0, end_s=2.0, text=slug)

    def event(self, kind, person, when, recording=None, exercise=None) -> None:
        self.insert("events", kind=kind, person_id=person, recording_id=recording, exercise_id=exercise,
                    created_at=when)


def build_hand_store(store) -> dict:
    b = Builder(store)
    ana = b.people.add("Ana", "rep", "North").id
    ben = b.people.add("Ben", "rep", "North").id
    cy = b.people.add("Cy", "rep", "South").id
    dee = b.people.add("Dee", "rep", "South").id
    kim = b.people.add("Kim", "coach").id
    zed = b.people.add("Zed", "certifier").id
    b.people.update(ben, hidden=1)
    with store.transaction() as db:
        db.execute("UPDATE exercises SET available_from='2026-11-01T00:00:00.000Z' WHERE id=?", [COLD])
    b.take(ana, COLD, "2026-11-01T12:00:00.000Z", status="discarded")
    t1 = b.take(ana, COLD, "2026-11-02T09:00:00.000Z")
    t2 = b.take(ana, COLD, "2026-11-10T09:00:00.000Z")
    t3 = b.take(ana, TEACH, "2026-11-11T09:00:00.000Z")
    t4 = b.take(ben, COLD, "2026-11-03T00:00:00.000Z")
    b.take(cy, COLD, "2026-11-12T00:00:00.000Z", status="take")
    t5 = b.take(cy, COLD, "2026-11-12T12:00:00.000Z")
    b.card(t1, ben, {Q: 4, R: 3, C: 5})
    b.card(t1, cy, {Q: 2, R: 3, C: 3})
    b.card(t1, ana, {Q: 5, R: 5, C: 5})            # own take: never counts
    old = b.card(t2, ben, {Q: 5, R: 4, C: 4})
    b.card(t2, ben, {Q: 5, R: 5, C: 4}, version=2, supersedes=old)
    b.card(t2, kim, {Q: 5, R: 4, C: 5})
    b.card(t3, kim, {D: 4, S: 4, A: 2})
    b.card(t4, ana, {Q: 3, R: 3, C: 3})
    b.card(t4, kim, {Q: 3, R: 3, C: 3})
    b.card(t5, ana, {Q: 4, R: 4, C: 4})
    b.transcript(t1, ["reframe", "reframe", "socratic-question"])
    b.transcript(t2, ["reframe", "call-to-action", "discovery-call"])
    b.transcript(t3, ["teach-back"], complete=0)
    b.transcript(t4, ["socratic-question"])
    b.transcript(t5, ["reframe"])
    b.insert("signoffs", rep_id=ana, program_id=PROGRAM, certifier_id=zed, decision="certified",
             decided_at="2026-11-05T10:00:00.000Z", valid_until="2027-05-04T10:00:00.000Z")
    b.insert("signoffs", rep_id=cy, program_id=PROGRAM, certifier_id=zed, decision="certified",
             decided_at="2026-11-01T10:00:00.000Z", valid_until="2027-05-01T10:00:00.000Z")
    b.insert("signoffs", rep_id=cy, program_id=PROGRAM, certifier_id=zed, decision="needs_rework",
             decided_at="2026-11-06T10:00:00.000Z")
    b.event("transcript_view", ben, "2026-11-03T10:00:00.000Z", recording=t1)
    b.event("transcript_view", ben, "2026-11-03T11:00:00.000Z", recording=t1)
    b.event("exemplar_view", cy, "2026-11-10T10:00:00.000Z", exercise=COLD)
    b.event("transcript_export", ana, "2026-11-11T10:00:00.000Z", recording=t3)
    b.event("scores_export", kim, "2026-11-11T12:00:00.000Z")
    return dict(ana=ana, ben=ben, cy=cy, dee=dee, kim=kim, zed=zed, t1=t1, t2=t2, t3=t3, t4=t4, t5=t5)


@pytest.fixture
def hand(store):
    return build_hand_store(store)


def _by(table, key="rep"):
    return {r[key]: r for r in table.rows}


def test_take_scores_match_the_rubric_module(store, hand):
    from scoring.rubric import rules_from_rows, weighted_total
    from store.kit import KitRepo
    kit = KitRepo(store)
    rules = {ex: rules_from_rows(kit.criteria(kit.exercise(ex)["rubric_id"])) for ex in (COLD, TEACH)}
    analytics.leaderboard(store)   # builds the facts
    got = dict(store.db.conn.execute("SELECT t.id, s.total FROM f_take_score s "
                                     "JOIN f_takes t ON t.tk = s.tk").fetchall())
    assert weighted_total({Q: 3, R: 3, C: 4}, rules[COLD]) == pytest.approx(3.2)
    expected = {hand["t1"]: 3.2, hand["t2"]: 4.7, hand["t3"]: 3.5, hand["t4"]: 3.0, hand["t5"]: 4.0}
    assert got == pytest.approx(expected)
    # and the same through scoring.rubric from the raw criterion means the store holds
    for rec, total in expected.items():
        crit = dict(store.db.conn.execute("SELECT u.criterion_id, u.mean FROM f_unit u JOIN f_takes t "
                                          "ON t.tk = u.tk WHERE t.id = ?", [rec]))
        ex = COLD if set(crit) <= {Q, R, C} else TEACH
        assert weighted_total(crit, rules[ex]) == pytest.approx(total)


def test_leaderboard_overall_hides_hidden_reps(store, hand):
    board = analytics.leaderboard(store)
    assert [r["rep"] for r in board.rows] == ["Cy", "Ana"]
    cy, ana = board.rows
    assert (cy["rank"], cy["avg_score"], cy["takes"], cy["exercises"], cy["improvement"]) == (1, 4.0, 1, 1, None)
    assert (ana["rank"], ana["avg_score"], ana["takes"], ana["exercises"]) == (2, pytest.approx(3.8), 3, 2)
    assert ana["improvement"] == pytest.approx(1.5)          # cold call: 4.7 - 3.2
    assert ana["certifications"] == 1 and cy["certifications"] == 0   # Cy's latest: needs rework


def test_hidden_rep_sees_themself_and_others_do_not(store, hand):
    as_ben = _by(analytics.leaderboard(store, viewer_id=hand["ben"]))
    assert as_ben["Ben"]["rank"] == 3 and as_ben["Ben"]["avg_score"] == pytest.approx(3.0)
    assert "Ben" not in _by(analytics.leaderboard(store, viewer_id=hand["ana"]))
    PeopleRepo(store).update(hand["ben"], hidden=0)
    assert "Ben" in _by(analytics.leaderboard(store))


def test_leaderboard_filters(store, hand):
    north = analytics.leaderboard(store, Filters(team="North"))
    assert [r["rep"] for r in north.rows] == ["Ana"]
    window = _by(analytics.leaderboard(store, Filters(date_from="2026-11-10", date_to="2026-11-11")))
    assert set(window) == {"Ana"}
    assert window["Ana"]["avg_score"] == pytest.approx(4.1) and window["Ana"]["improvement"] is None
    cold = _by(analytics.leaderboard(store, Filters(exercise="cold-call")))
    assert cold["Ana"]["avg_score"] == pytest.approx(3.95) and cold["Ana"]["exercises"] == 1


def test_certification_as_of_the_end_of_the_range(store, hand):
    from store.analytics.leaderboard import rep_rows
    b = Builder(store)
    b.take(hand["cy"], COLD, "2026-11-04T09:00:00.000Z")
    rows = {r["rep"]: r for r in rep_rows(store, Filters(date_to="2026-11-05"))}
    assert rows["Cy"]["certifications"] == 1      # certified on the 1st, rework only on the 6th
    assert rows["Ana"]["certifications"] == 1     # certified on the 5th (inclusive end day)
    rows = {r["rep"]: r for r in rep_rows(store, Filters(date_to="2026-11-04"))}
    assert rows["Ana"]["certifications"] == 0


def test_team_leaderboard(store, hand):
    teams = _by(analytics.team_leaderboard(store), "team")
    assert teams["South"]["rank"] == 1 and teams["South"]["avg_score"] == pytest.approx(4.0)
    north = teams["North"]
    assert north["rank"] == 2 and north["reps"] == 2 and north["takes"] == 4
    assert north["avg_score"] == pytest.approx(3.6) and north["exercises_per_rep"] == 1.5
    assert north["certifications"] == 1 and north["improvement"] == pytest.approx(1.5)


def test_facts_follow_new_writes_on_the_same_connection(store, hand):
    assert _by(analytics.leaderboard(store))["Cy"]["avg_score"] == 4.0
    Builder(store).card(hand["t5"], hand["kim"], {Q: 2, R: 2, C: 2})   # T5 means now 3, 3, 3
    assert _by(analytics.leaderboard(store))["Cy"]["avg_score"] == pytest.approx(3.0)


def test_current_scorecards_agree_with_the_store_view(store, hand):
    # a second version-1 card by Ana on T5 (e.g. from another station) with a later Lamport clock wins
    Builder(store).card(hand["t5"], hand["ana"], {Q: 2, R: 2, C: 2})
    assert _by(analytics.leaderboard(store))["Cy"]["avg_score"] == pytest.approx(2.0)
    ours = {r[0] for r in store.db.conn.execute("SELECT id FROM f_cards")}
    view = {r[0] for r in store.db.conn.execute(
        "SELECT c.id FROM current_scorecards c JOIN recordings r ON r.id = c.recording_id "
        "WHERE r.status = 'submitted' AND c.scorer_id != r.rep_id")}
    assert ours == view and len(ours) == 8      # T1 2, T2 2 (Ben v2), T3 1, T4 2, T5 1 (the later card)
