"""Certification readiness: is a rep ready to be signed off on a program, and if not, what is missing.

Pure functions over plain values (no store, no Qt). The store gathers a rep's takes, the peer
scorecards on them and earlier decisions; :func:`readiness` says which requirements are met:

* ``exercises``  every exercise of the program has a submitted take (the latest submitted one counts);
* ``scorecards`` each of those takes has at least ``min_scorecards`` peer scorecards (not the rep's own);
* ``threshold``  the weighted total (scoring.rubric.weighted_total over the mean peer score of each
  criterion, all evidence takes together) is at least the program's ``pass_threshold`` (1-5 scale);
* ``criterion:<id>`` each required criterion's mean is at least its minimum (the program's
  ``required_criteria``, or the criterion's own ``min_score`` when it is marked required);
* ``not_certified`` the rep holds no certificate still valid beyond the renewal window
  (:data:`RENEWAL_WINDOW_DAYS` before expiry a rep may be re-certified).

A rep is *ready* when all are met, and *close* when at least one take is in and at most
:data:`CLOSE_MAX_MISSING` requirements are missing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import mean
from typing import Iterable, Mapping, Sequence

from scoring.rubric import CriterionRule, weighted_total

RENEWAL_WINDOW_DAYS = 30
CLOSE_MAX_MISSING = 2
DECISIONS = ("certified", "needs_rework")


@dataclass(frozen=True)
class ProgramRule:
    id: str
    slug: str
    title: str
    rubric_id: str
    exercises: tuple[str, ...]                 # exercise ids
    pass_threshold: float = 3.5                # weighted total, 1-5
    required_criteria: Mapping[str, int] = field(default_factory=dict)  # criterion id -> minimum
    min_scorecards: int = 2
    valid_days: int = 365
    version: int = 1

    @classmethod
    def from_row(cls, row: Mapping) -> "ProgramRule":
        """A program row as KitRepo.programs() returns it."""
        return cls(row["id"], row.get("slug", row["id"]), row.get("title", ""), row.get("rubric_id", ""),
                   tuple(row.get("exercises") or ()), float(row.get("pass_threshold", 3.5)),
                   dict(row.get("required_criteria") or {}), int(row.get("min_scorecards", 2)),
                   int(row.get("valid_days", 365)), int(row.get("version", 1) or 1))


@dataclass(frozen=True)
class Take:
    """A rep's submitted take with the current peer scorecards on it (criterion id -> score each)."""
    recording_id: str
    exercise_id: str
    submitted_at: str                          # ISO; the latest submitted take per exercise counts
    scorecards: tuple[Mapping[str, float], ...] = ()


@dataclass(frozen=True)
class PastDecision:
    decision: str                              # 'certified' | 'needs_rework'
    decided_at: str                            # ISO
    valid_until: str | None = None             # ISO date, for 'certified'


@dataclass(frozen=True)
class Requirement:
    key: str                                   # 'exercises', 'scorecards', 'threshold', 'criterion:<id>', ...
    label: str
    met: bool
    detail: str = ""
    short: str = ""                            # a few words, for a list column


@dataclass(frozen=True)
class Readiness:
    program_id: str
    requirements: tuple[Requirement, ...]
    evidence: tuple[str, ...]                  # recording ids of the takes that count
    scores: Mapping[str, float]                # criterion id -> mean peer score over the evidence
    total: float | None                        # weighted total of those means (1-5)
    scorecard_count: int
    certified_until: str | None = None         # a current certificate's expiry, if any

    @property
    def missing(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if not r.met)

    @property
    def met(self) -> bool:
        return not self.missing

    @property
    def has_takes(self) -> bool:
        return bool(self.evidence)

    @property
    def blocked_by_certificate(self) -> bool:
        return any(r.key == "not_certified" for r in self.missing)

    @property
    def close(self) -> bool:
        return (not self.met and self.has_takes and not self.blocked_by_certificate
                and len(self.missing) <= CLOSE_MAX_MISSING)

    @property
    def status(self) -> str:
        if self.met:
            return "ready"
        if self.blocked_by_certificate:
            return "certified"
        if self.close:
            return "close"
        return "in_progress" if self.has_takes else "not_started"

    def missing_text(self) -> str:
        return "; ".join(r.detail or r.label for r in self.missing)

    def missing_short(self) -> str:
        return ", ".join(r.short or r.detail or r.label for r in self.missing)


def _day(value: str | date | datetime) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _short_name(name: str) -> str:
    """'Used the new-messaging pillars' -> 'pillars': the last word, for a list column."""
    words = name.split()
    return words[-1] if words else name


def current_certificate(decisions: Iterable[PastDecision], today: date) -> PastDecision | None:
    """The latest decision if it is a certificate still valid on ``today``; a later 'needs rework'
    withdraws an earlier certificate (a change of mind is a new decision)."""
    ordered = sorted(decisions, key=lambda d: d.decided_at)
    if not ordered:
        return None
    last = ordered[-1]
    if last.decision != "certified":
        return None
    if last.valid_until and _day(last.valid_until) < today:
        return None
    return last


def valid_until(decided_on: date | datetime | str, valid_days: int) -> date:
    return _day(decided_on) + timedelta(days=int(valid_days))


def latest_per_exercise(takes: Iterable[Take], exercise_ids: Sequence[str]) -> dict[str, Take]:
    """The latest submitted take for each of the program's exercises."""
    out: dict[str, Take] = {}
    for take in takes:
        if take.exercise_id not in exercise_ids:
            continue
        held = out.get(take.exercise_id)
        if held is None or (take.submitted_at, take.recording_id) > (held.submitted_at, held.recording_id):
            out[take.exercise_id] = take
    return out


def mean_scores(takes: Iterable[Take]) -> dict[str, float]:
    """Criterion id -> mean over every peer scorecard of the takes (unscored criteria left out)."""
    values: dict[str, list[float]] = {}
    for take in takes:
        for card in take.scorecards:
            for criterion_id, score in card.items():
                if score is not None:
                    values.setdefault(criterion_id, []).append(float(score))
    return {cid: mean(v) for cid, v in values.items()}


def criterion_minimums(program: ProgramRule, criteria: Sequence[CriterionRule]) -> dict[str, int]:
    """Required criterion id -> minimum: the program's list, plus rubric criteria marked required
    with their own minimum (the program's minimum wins where both give one)."""
    minimums = {c.id: int(c.min_score) for c in criteria if c.required and c.min_score is not None}
    minimums.update({cid: int(m) for cid, m in program.required_criteria.items()})
    return minimums


def readiness(program: ProgramRule, criteria: Sequence[CriterionRule], takes: Iterable[Take],
              decisions: Iterable[PastDecision] = (), today: date | None = None) -> Readiness:
    """Which of the program's requirements the rep meets on ``today``, and with what evidence."""
    today = today or date.today()
    names = {c.id: c.title or c.slug for c in criteria}
    chosen = latest_per_exercise(takes, program.exercises)
    evidence = [chosen[e] for e in program.exercises if e in chosen]
    reqs: list[Requirement] = []

    absent = [e for e in program.exercises if e not in chosen]
    reqs.append(Requirement("exercises", "Required exercises submitted", not absent,
                            "" if not absent else f"{len(absent)} of {len(program.exercises)} required "
                            "exercise(s) not submitted yet", f"{len(absent)} exercise(s) to submit"))

    short = [(t, program.min_scorecards - len(t.scorecards)) for t in evidence
             if len(t.scorecards) < program.min_scorecards]
    count = sum(len(t.scorecards) for t in evidence)
    need = sum(n for _, n in short) + program.min_scorecards * len(absent)
    reqs.append(Requirement("scorecards", f"At least {program.min_scorecards} peer scorecard(s) per take",
                            not short and not absent and bool(evidence),
                            "" if not need else f"needs {need} more peer scorecard(s)",
                            f"{need} more scorecard(s)"))

    scores = mean_scores(evidence)
    total = weighted_total(scores, criteria)
    ok = total is not None and total >= program.pass_threshold - 1e-9
    reqs.append(Requirement("threshold", f"Weighted total at least {program.pass_threshold:.1f}", ok,
                            "" if ok else ("no peer scores yet" if total is None else
                                           f"weighted total {total:.2f} of {program.pass_threshold:.1f} needed"),
                            "no scores" if total is None else f"total {total:.2f} < {program.pass_threshold:.1f}"))

    for cid, minimum in criterion_minimums(program, criteria).items():
        value = scores.get(cid)
        ok = value is not None and value >= minimum - 1e-9
        name = names.get(cid, cid)
        reqs.append(Requirement(f"criterion:{cid}", f"{name} at least {minimum}", ok,
                                "" if ok else (f"{name}: not scored yet" if value is None else
                                               f"{name}: {value:.2f} of {minimum} needed"),
                                f"{_short_name(name)} {'unscored' if value is None else f'{value:.2f}'} < {minimum}"))

    cert = current_certificate(decisions, today)
    renewable = cert is not None and cert.valid_until is not None and \
        _day(cert.valid_until) - today <= timedelta(days=RENEWAL_WINDOW_DAYS)
    blocked = cert is not None and not renewable
    reqs.append(Requirement("not_certified", "Not already certified", not blocked,
                            "" if not blocked else f"already certified until {cert.valid_until}"))
    return Readiness(program.id, tuple(reqs), tuple(t.recording_id for t in evidence), scores, total,
                     count, cert.valid_until if cert else None)


def candidates(readiness_by_rep: Mapping[str, Readiness]) -> tuple[list[str], list[str]]:
    """(ready, close) rep ids: ready sorted by weighted total (best first), close by fewest missing."""
    ready = [r for r, x in readiness_by_rep.items() if x.met]
    close = [r for r, x in readiness_by_rep.items() if x.close]
    ready.sort(key=lambda r: -(readiness_by_rep[r].total or 0))
    close.sort(key=lambda r: (len(readiness_by_rep[r].missing), -(readiness_by_rep[r].total or 0)))
    return ready, close


def suggested_reasons(program: ProgramRule, criteria: Sequence[CriterionRule],
                      result: Readiness) -> dict[str, str]:
    """Criterion id -> a one-line reason drawn from the peer scores, for the certifier to edit."""
    minimums = criterion_minimums(program, criteria)
    out = {}
    for c in criteria:
        value = result.scores.get(c.id)
        if value is None:
            out[c.id] = "Not scored by peers."
            continue
        bar = minimums.get(c.id)
        verdict = "" if bar is None else (f" (minimum {bar}: met)" if value >= bar else f" (minimum {bar}: NOT met)")
        out[c.id] = f"Peer mean {value:.1f}/5{verdict}."
    return out


def check_decision(decision: str, result: Readiness, reasons: Mapping[str, str]) -> None:
    """Raise ValueError when a decision cannot rest on this evidence."""
    if decision not in DECISIONS:
        raise ValueError(f"'{decision}' is not a decision; use one of: {', '.join(DECISIONS)}.")
    if not result.evidence:
        raise ValueError("There is no submitted take to decide on.")
    if decision == "certified" and not result.met:
        raise ValueError("Not every requirement is met: " + result.missing_text() + ".")
    if decision == "needs_rework" and not any((v or "").strip() for v in reasons.values()):
        raise ValueError("Say what needs rework: give a reason for at least one criterion.")
