"""What a rep has due on a given day (re-practice prompts, re-certification), from the store.

Triggers: every 'certified' sign-off (its program's exercises; a later decision on the same program
supersedes its re-certification/expiry reminders) and every submitted take whose peer weighted total
is below scoring.reinforcement.LOW_SCORE. A submitted take of the exercise on or after a prompt's due
day counts as the practice. The dates themselves are computed in scoring/reinforcement.py.
"""
from __future__ import annotations

import json
from datetime import date
from statistics import mean

from scoring.reinforcement import LOW_SCORE, Reminder, Trigger, due_on, low_score_triggers
from scoring.rubric import rules_from_rows, weighted_total
from store.db import Store
from store.kit import KitRepo


def _certificate_triggers(store: Store, rep_id: str) -> tuple[list[Trigger], set[str]]:
    rows = store.db.execute(
        "SELECT s.id, s.program_id, s.decision, s.decided_at, s.valid_until, p.title, p.exercises "
        "FROM signoffs s JOIN programs p ON p.id = s.program_id WHERE s.rep_id=? "
        "ORDER BY s.decided_at, s.clock", [rep_id]).fetchall()
    triggers, renewed, last_cert = [], set(), {}
    for sid, program_id, decision, at, until, title, exercises in rows:
        if program_id in last_cert:
            renewed.add(last_cert.pop(program_id))
        if decision == "certified":
            last_cert[program_id] = sid
            triggers.append(Trigger("certified", date.fromisoformat(at[:10]), tuple(json.loads(exercises or "[]")),
                                    title, program_id, date.fromisoformat(until[:10]) if until else None, sid))
    return triggers, renewed


def _take_totals(store: Store, rep_id: str) -> list[dict]:
    """The rep's submitted takes with their peer weighted total (None if not scored yet)."""
    takes = [dict(zip(("recording_id", "exercise_id", "exercise", "rubric_id", "submitted_at"), r))
             for r in store.db.execute(
                 "SELECT r.id, r.exercise_id, e.title, e.rubric_id, COALESCE(r.submitted_at, r.created_at) "
                 "FROM recordings r JOIN exercises e ON e.id = r.exercise_id "
                 "WHERE r.rep_id=? AND r.status='submitted' AND r.deleted=0", [rep_id])]
    if not takes:
        return []
    scores: dict[str, dict[str, list[float]]] = {}
    for rec, crit, score in store.db.execute(
            "SELECT c.recording_id, s.criterion_id, s.score FROM current_scorecards c "
            "JOIN recordings r ON r.id = c.recording_id JOIN scores s ON s.scorecard_id = c.id "
            "WHERE r.rep_id=? AND c.scorer_id IS NOT r.rep_id", [rep_id]):
        scores.setdefault(rec, {}).setdefault(crit, []).append(float(score))
    kit = KitRepo(store)
    rules: dict[str, list] = {}
    for take in takes:
        rid = take["rubric_id"]
        if rid not in rules:
            rules[rid] = rules_from_rows(kit.criteria(rid)) if rid else []
        means = {c: mean(v) for c, v in scores.get(take["recording_id"], {}).items()}
        take["total"] = weighted_total(means, rules[rid]) if means else None
    return takes


def due_for(store: Store, rep_id: str, today: date, low_score: float = LOW_SCORE) -> list[Reminder]:
    triggers, renewed = _certificate_triggers(store, rep_id)
    takes = _take_totals(store, rep_id)
    triggers += low_score_triggers(takes, low_score)
    practiced = [(t["exercise_id"], t["submitted_at"]) for t in takes]
    return due_on(today, triggers, practiced, renewed)
