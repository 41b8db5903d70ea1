"""Spaced reinforcement: what a rep should practise when, and when to re-certify (pure, no store).

After a certification or a low-scoring take, re-practice prompts fall due 1, 7 and 30 days later
(:data:`INTERVALS`, the forgetting curve); a certificate asks for re-certification
:data:`RECERT_LEAD_DAYS` before it expires, and says so plainly once it has expired.

A practice prompt counts as done when the rep submitted a take of its exercise on or after the day it
fell due. :func:`due_on` lists what is due on a given day: for each (exercise, trigger) only the latest
prompt that has fallen due and is not done, so a rep who skipped a week sees one prompt, not three;
and one prompt per exercise, however many triggers ask for it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Mapping, Sequence

INTERVALS = (1, 7, 30)
RECERT_LEAD_DAYS = 30
LOW_SCORE = 3.0        # a take whose weighted total (1-5) is below this asks for re-practice


@dataclass(frozen=True)
class Trigger:
    """Something that starts a series of reminders."""
    kind: str                         # 'certified' | 'low_score'
    on: date
    exercise_ids: tuple[str, ...]     # what to practise
    label: str                        # the program or exercise title, for people
    program_id: str | None = None
    valid_until: date | None = None   # for 'certified'
    ref: str = ""                     # the sign-off or recording id that caused it


@dataclass(frozen=True)
class Reminder:
    kind: str                         # 'practice' | 'recertify' | 'expired'
    due: date
    label: str
    reason: str
    exercise_ids: tuple[str, ...] = ()
    program_id: str | None = None
    step: int = 0                     # days after the trigger (practice), 0 otherwise
    ref: str = ""

    def text(self, today: date) -> str:
        late = (today - self.due).days
        when = "due today" if late == 0 else (f"{late} day(s) overdue" if late > 0 else f"due on {self.due.isoformat()}")
        if self.kind == "practice":
            return f"Practise {self.label} ({self.reason}) — {when}"
        if self.kind == "recertify":
            return f"Re-certify on {self.label}: your certificate expires {self.reason}"
        return f"Your {self.label} certificate expired on {self.reason}: re-certify"


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def schedule(trigger: Trigger, intervals: Sequence[int] = INTERVALS,
             lead_days: int = RECERT_LEAD_DAYS) -> list[Reminder]:
    """Every reminder a trigger causes, in date order."""
    why = "after your certification" if trigger.kind == "certified" else "after a low score"
    out = [Reminder("practice", trigger.on + timedelta(days=d), trigger.label, f"{d} day(s) {why}",
                    trigger.exercise_ids, trigger.program_id, d, trigger.ref) for d in intervals]
    if trigger.kind == "certified" and trigger.valid_until is not None:
        until = trigger.valid_until
        out.append(Reminder("recertify", until - timedelta(days=lead_days), trigger.label,
                            f"on {until.isoformat()}", trigger.exercise_ids, trigger.program_id, 0, trigger.ref))
        out.append(Reminder("expired", until + timedelta(days=1), trigger.label, until.isoformat(),
                            trigger.exercise_ids, trigger.program_id, 0, trigger.ref))
    return sorted(out, key=lambda r: (r.due, r.kind))


def low_score_triggers(takes: Iterable[Mapping], threshold: float = LOW_SCORE) -> list[Trigger]:
    """Triggers for takes whose weighted total is below ``threshold``. Each take is a mapping with
    recording_id, exercise_id, exercise (title), total (1-5 or None) and submitted_at."""
    out = []
    for t in takes:
        total = t.get("total")
        if total is not None and total < threshold:
            out.append(Trigger("low_score", _day(t["submitted_at"]), (t["exercise_id"],),
                               t.get("exercise") or "this exercise", ref=t["recording_id"]))
    return out


def due_on(today: date, triggers: Iterable[Trigger], practiced: Iterable[tuple[str, object]] = (),
           renewed: Iterable[str] = ()) -> list[Reminder]:
    """What is due on ``today``.

    ``practiced``: (exercise id, day) of the rep's submitted takes. ``renewed``: refs of certificates
    superseded by a later decision (their re-certification and expiry reminders no longer apply)."""
    takes: dict[str, list[date]] = {}
    for exercise_id, day in practiced:
        takes.setdefault(exercise_id, []).append(_day(day))
    renewed = set(renewed)
    out: list[Reminder] = []
    for trigger in triggers:
        reminders = [r for r in schedule(trigger) if r.due <= today]
        practice = [r for r in reminders if r.kind == "practice"]
        if practice:
            latest = practice[-1]
            done = any(d >= latest.due for e in latest.exercise_ids for d in takes.get(e, []))
            if not done:
                out.append(latest)
        if trigger.ref in renewed:
            continue
        ends = [r for r in reminders if r.kind in ("recertify", "expired")]
        if ends:
            out.append(ends[-1])   # 'expired' replaces 'recertify' once past the date
    # one practice prompt per exercise: the one that fell due last (several low takes of one exercise,
    # or a certification and a low take, ask for the same practice)
    latest: dict[tuple[str, ...], Reminder] = {}
    for r in out:
        if r.kind == "practice":
            held = latest.get(r.exercise_ids)
            if held is None or (r.due, r.step) > (held.due, held.step):
                latest[r.exercise_ids] = r
    out = [r for r in out if r.kind != "practice" or latest[r.exercise_ids] is r]
    order = {"expired": 0, "recertify": 1, "practice": 2}
    return sorted(out, key=lambda r: (order[r.kind], r.due, r.label))


def upcoming(today: date, triggers: Iterable[Trigger], days: int = 14) -> list[Reminder]:
    """Reminders that fall due within the next ``days`` days (for a 'coming up' line)."""
    end = today + timedelta(days=days)
    return sorted((r for t in triggers for r in schedule(t) if today < r.due <= end and r.kind != "expired"),
                  key=lambda r: r.due)
