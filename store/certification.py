"""Certification in the store: gathering a rep's evidence, readiness, and sign-off decisions.

A decision is an immutable ``signoffs`` row (triggers refuse UPDATE and DELETE, migration v4): who
decided, when, at which station, the program and rubric versions, the recording ids the decision rests
on, the peer scores at that moment, a reason per criterion and, for a certificate, ``valid_until``.
A change of mind is a new decision; the latest one per rep and program is the one in force.
Decisions are written with ``transaction(durable=True)`` (synchronous=FULL).

Only a person with the certifier role can decide, confirming with their PIN (store/pins.py).
Scorecards are read through the ``current_scorecards`` view (each scorer's current version per take);
a rep's own scorecards on their take never count.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Callable

from scoring.certification import (PastDecision, ProgramRule, Readiness, Take, check_decision,
                                   readiness, valid_until)
from scoring.rubric import CriterionRule, rules_from_rows
from store.clock import to_iso
from store.db import Store
from store.kit import KitRepo
from store.people import PeopleRepo, Person
from store.pins import PinRepo


class CertificationError(ValueError):
    """A decision the store refuses, phrased for the certifier."""


class NotCertifier(CertificationError, PermissionError):
    pass


@dataclass(frozen=True)
class Decision:
    id: str
    rep_id: str
    rep: str
    team: str | None
    program_id: str
    program: str
    program_title: str
    certifier_id: str
    certifier: str
    decision: str
    decided_at: str
    valid_until: str | None
    station_id: str
    program_version: int | None
    rubric_version: int | None
    evidence: tuple[str, ...]
    scores: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)


CURRENT_CARDS = """
SELECT c.id, c.recording_id, c.scorer_id, s.criterion_id, s.score
FROM current_scorecards c JOIN recordings r ON r.id = c.recording_id JOIN scores s ON s.scorecard_id = c.id
WHERE {where} AND c.scorer_id IS NOT r.rep_id
"""

DECISION_SQL = """
SELECT s.id, s.rep_id, rp.name, rp.team, s.program_id, p.slug, p.title, s.certifier_id, cp.name,
       s.decision, s.decided_at, s.valid_until, s.station_id, s.program_version, s.rubric_version,
       s.evidence, s.scores, s.reasons
FROM signoffs s LEFT JOIN people rp ON rp.id = s.rep_id LEFT JOIN people cp ON cp.id = s.certifier_id
LEFT JOIN programs p ON p.id = s.program_id
"""


def _decision(row) -> Decision:
    values = list(row)
    values[15] = tuple(json.loads(values[15] or "[]"))
    values[16] = json.loads(values[16] or "{}")
    values[17] = json.loads(values[17] or "{}")
    return Decision(*values)


class CertificationRepo:
    def __init__(self, store: Store, clock: Callable[[], datetime] | None = None):
        self.store = store
        self.kit = KitRepo(store)
        self.people = PeopleRepo(store)
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.pins = PinRepo(store, self.clock)

    # -- the program -----------------------------------------------------------------------------
    def programs(self) -> list[dict]:
        return self.kit.programs()

    def program(self, key: str) -> dict:
        for row in self.kit.programs():
            if key in (row["id"], row["slug"]):
                return row
        raise CertificationError(f"There is no certification program '{key}' in this station's kit. "
                                 "See `rolecall kit list`.")

    def rule(self, key: str) -> ProgramRule:
        return ProgramRule.from_row(self.program(key))

    def criteria(self, program: ProgramRule) -> list[CriterionRule]:
        return rules_from_rows(self.kit.criteria(program.rubric_id))

    def rubric_version(self, rubric_id: str) -> int | None:
        row = self.store.db.execute("SELECT version FROM rubrics WHERE id=?", [rubric_id]).fetchone()
        return int(row[0]) if row else None

    # -- evidence --------------------------------------------------------------------------------
    def takes(self, program: ProgramRule, rep_id: str | None = None) -> dict[str, list[Take]]:
        """Rep id -> submitted takes of the program's exercises, with their current peer scorecards."""
        if not program.exercises:
            return {}
        marks = ", ".join("?" * len(program.exercises))
        where = f"r.exercise_id IN ({marks}) AND r.status='submitted' AND r.deleted=0"
        params: list = list(program.exercises)
        if rep_id is not None:
            where += " AND r.rep_id=?"
            params.append(rep_id)
        recs = self.store.db.execute(
            f"SELECT r.id, r.rep_id, r.exercise_id, COALESCE(r.submitted_at, r.created_at) FROM recordings r "
            f"WHERE {where} AND r.rep_id IS NOT NULL", params).fetchall()
        cards: dict[str, dict[str, dict[str, float]]] = {}
        for card_id, rec_id, _scorer, crit, score in self.store.db.execute(
                CURRENT_CARDS.format(where=where), params).fetchall():
            cards.setdefault(rec_id, {}).setdefault(card_id, {})[crit] = score
        out: dict[str, list[Take]] = {}
        for rec_id, rep, exercise, submitted in recs:
            out.setdefault(rep, []).append(
                Take(rec_id, exercise, submitted, tuple(cards.get(rec_id, {}).values())))
        return out

    def past_decisions(self, program_id: str, rep_id: str | None = None) -> dict[str, list[PastDecision]]:
        sql = "SELECT rep_id, decision, decided_at, valid_until FROM signoffs WHERE program_id=?"
        params = [program_id]
        if rep_id is not None:
            sql += " AND rep_id=?"
            params.append(rep_id)
        out: dict[str, list[PastDecision]] = {}
        for rep, decision, at, until in self.store.db.execute(sql, params).fetchall():
            out.setdefault(rep, []).append(PastDecision(decision, at, until))
        return out

    def today(self) -> date:
        return self.clock().date()

    def readiness(self, rep_id: str, program_key: str, today: date | None = None) -> Readiness:
        program = self.rule(program_key)
        takes = self.takes(program, rep_id).get(rep_id, [])
        decisions = self.past_decisions(program.id, rep_id).get(rep_id, [])
        return readiness(program, self.criteria(program), takes, decisions, today or self.today())

    def all_readiness(self, program_key: str, today: date | None = None) -> dict[str, Readiness]:
        """Readiness of every rep (role 'rep') and anyone else with takes for the program."""
        program = self.rule(program_key)
        criteria = self.criteria(program)
        takes = self.takes(program)
        decisions = self.past_decisions(program.id)
        reps = {p.id for p in self.people.list() if p.role == "rep"} | set(takes)
        day = today or self.today()
        return {rep: readiness(program, criteria, takes.get(rep, []), decisions.get(rep, []), day)
                for rep in reps}

    # -- deciding --------------------------------------------------------------------------------
    def require_certifier(self, certifier_id: str) -> Person:
        person = self.people.get(certifier_id)
        if person is None:
            raise NotCertifier("Only a certifier can sign reps off, and this person is not known here.")
        if person.role != "certifier":
            raise NotCertifier(f"Only a certifier can sign reps off; {person.name} is a {person.role}.")
        return person

    def decide(self, *, certifier_id: str, pin: str, rep_id: str, program_key: str, decision: str,
               reasons: dict[str, str] | None = None) -> Decision:
        """Record a decision after checking the certifier's role and PIN and the evidence.

        Raises NotCertifier, pins.PinError (NoPin / PinLocked / WrongPin) or CertificationError."""
        certifier = self.require_certifier(certifier_id)
        rep = self.people.get(rep_id)
        if rep is None:
            raise CertificationError("There is no such rep at this station.")
        if rep.id == certifier.id:
            raise CertificationError("A certifier cannot sign themselves off.")
        self.pins.verify(certifier.id, pin)
        program = self.rule(program_key)
        criteria = self.criteria(program)
        reasons = {k: v.strip() for k, v in (reasons or {}).items() if v and v.strip()}
        now = self.clock()
        result = self.readiness(rep.id, program.id, now.date())
        try:
            check_decision(decision, result, reasons)
        except ValueError as exc:
            raise CertificationError(str(exc)) from exc
        snapshot = {"criteria": {c.slug: result.scores.get(c.id) for c in criteria},
                    "criterion_ids": {c.slug: c.id for c in criteria},
                    "total": result.total, "scorecards": result.scorecard_count,
                    "requirements": {r.key: r.met for r in result.requirements}}
        until = valid_until(now, program.valid_days).isoformat() if decision == "certified" else None
        with self.store.transaction(durable=True) as db:
            fields = self.store.record_fields()
            db["signoffs"].insert({
                **fields, "rep_id": rep.id, "program_id": program.id, "certifier_id": certifier.id,
                "decision": decision, "reasons": json.dumps(reasons, ensure_ascii=False),
                "program_version": program.version, "rubric_version": self.rubric_version(program.rubric_id),
                "evidence": json.dumps(list(result.evidence)), "scores": json.dumps(snapshot),
                "decided_at": to_iso(now), "valid_until": until})
        found = self.get(fields["id"])
        assert found is not None
        return found

    # -- reading decisions -----------------------------------------------------------------------
    def get(self, signoff_id: str) -> Decision | None:
        row = self.store.db.execute(DECISION_SQL + " WHERE s.id=?", [signoff_id]).fetchone()
        return _decision(row) if row else None

    def history(self, rep_id: str | None = None, program_key: str | None = None) -> list[Decision]:
        """Decisions, newest first (all of them: a change of mind does not hide the earlier one)."""
        where, params = [], []
        if rep_id:
            where.append("s.rep_id=?"), params.append(rep_id)
        if program_key:
            where.append("s.program_id=?"), params.append(self.program(program_key)["id"])
        sql = DECISION_SQL + (" WHERE " + " AND ".join(where) if where else "")
        rows = self.store.db.execute(sql + " ORDER BY s.decided_at DESC, s.clock DESC", params).fetchall()
        return [_decision(r) for r in rows]

    def current(self, rep_id: str, program_key: str) -> Decision | None:
        """The decision in force (the latest), or None."""
        items = self.history(rep_id, program_key)
        return items[0] if items else None
