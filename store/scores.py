"""Scorecards, coaching notes and exemplars: the writes of peer review (issue #5).  No Qt.

* ``submit`` writes a whole scorecard (every criterion's score with its evidence moment and comment,
  the timestamped comments, the overall comment) in ONE transaction. A second submit by the same scorer
  for the same take is a revision: a new row with ``version + 1`` and ``supersedes`` = the previous id;
  the old rows stay (they are immutable, see migration v5, and sync in #7 relies on that).
* The rules live here, not in the page: only submitted takes can be scored, nobody scores their own
  take, every criterion of the exercise's rubric gets a score from 1 to 5, evidence lies inside the take.
* Coaching notes are ``comments`` with kind 'coach_note'; exemplars are rows in ``exemplars`` (retiring
  one sets its ``deleted`` flag). Both need a coach or certifier.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from store.clock import now_iso
from store.db import Store

COACH_ROLES = ("coach", "certifier")


class ScoringError(ValueError):
    """A request the rules refuse, phrased for the person at the station."""


@dataclass(frozen=True)
class CriterionScore:
    criterion_id: str
    score: int
    evidence_s: float | None = None
    comment: str = ""


@dataclass(frozen=True)
class TimedComment:
    text: str
    at_s: float | None = None


@dataclass
class ScorecardDraft:
    recording_id: str
    scorer_id: str
    scores: list[CriterionScore]
    comments: list[TimedComment] = field(default_factory=list)
    overall_comment: str = ""


@dataclass
class Scorecard:
    id: str
    recording_id: str
    scorer_id: str
    scorer_name: str
    version: int
    supersedes: str | None
    overall_comment: str
    submitted_at: str
    scores: dict[str, CriterionScore] = field(default_factory=dict)
    comments: list[TimedComment] = field(default_factory=list)


CARD_COLUMNS = ("s.id, s.recording_id, s.scorer_id, COALESCE(p.name, '?'), s.version, s.supersedes, "
                "s.overall_comment, s.submitted_at")


class ScoreRepo:
    def __init__(self, store: Store):
        self.store = store

    # -- scorecards --------------------------------------------------------------------------------
    def submit(self, draft: ScorecardDraft) -> Scorecard:
        """Validate and write a scorecard (or a revision of the scorer's current one) atomically."""
        overall = (draft.overall_comment or "").strip()
        with self.store.transaction() as db:
            take = db.execute(
                "SELECT r.rep_id, r.status, r.duration_s, e.rubric_id, COALESCE(rb.version, 1) "
                "FROM recordings r LEFT JOIN exercises e ON e.id = r.exercise_id "
                "LEFT JOIN rubrics rb ON rb.id = e.rubric_id WHERE r.id = ? AND r.deleted = 0",
                [draft.recording_id]).fetchone()
            if take is None:
                raise ScoringError("That take no longer exists at this station.")
            rep_id, status, duration, rubric_id, rubric_version = take
            if status != "submitted":
                raise ScoringError("Only submitted takes can be scored; this one has not been submitted.")
            scorer = db.execute("SELECT id FROM people WHERE id = ? AND deleted = 0",
                                [draft.scorer_id]).fetchone()
            if scorer is None:
                raise ScoringError("Choose who is scoring before submitting a scorecard.")
            if draft.scorer_id == rep_id:
                raise ScoringError("You cannot score your own take; ask a peer to score it.")
            if rubric_id is None:
                raise ScoringError("This take's exercise has no rubric to score against.")
            self._check_scores(db, draft, rubric_id, duration)
            previous = db.execute(
                "SELECT id, version FROM current_scorecards WHERE recording_id = ? AND scorer_id = ?",
                [draft.recording_id, draft.scorer_id]).fetchone()
            card = self.store.record_fields()
            submitted_at = card["created_at"]
            db["scorecards"].insert({
                **card, "recording_id": draft.recording_id, "scorer_id": draft.scorer_id,
                "rubric_id": rubric_id, "rubric_version": rubric_version,
                "version": previous[1] + 1 if previous else 1,
                "supersedes": previous[0] if previous else None,
                "overall_comment": overall, "submitted_at": submitted_at})
            for s in draft.scores:
                db["scores"].insert({**self.store.record_fields(), "scorecard_id": card["id"],
                                     "criterion_id": s.criterion_id, "score": int(s.score),
                                     "evidence_s": None if s.evidence_s is None else round(float(s.evidence_s), 3),
                                     "comment": (s.comment or "").strip()})
            for c in draft.comments:
                if not (c.text or "").strip():
                    continue
                fields = self.store.record_fields()
                db["comments"].insert({**fields, "updated_at": fields["created_at"],
                                       "recording_id": draft.recording_id, "author_id": draft.scorer_id,
                                       "scorecard_id": card["id"], "kind": "comment",
                                       "at_s": None if c.at_s is None else round(float(c.at_s), 3),
                                       "text": c.text.strip()})
        result = self.get(card["id"])
        assert result is not None
        return result

    @staticmethod
    def _check_scores(db, draft: ScorecardDraft, rubric_id: str, duration: float | None) -> None:
        criteria = {row[0]: row[1] for row in db.execute(
            "SELECT id, title FROM criteria WHERE rubric_id = ? AND deleted = 0", [rubric_id])}
        seen: set[str] = set()
        for s in draft.scores:
            if s.criterion_id not in criteria:
                raise ScoringError("A score is for a criterion that is not in this exercise's rubric.")
            if s.criterion_id in seen:
                raise ScoringError(f"'{criteria[s.criterion_id]}' is scored twice.")
            seen.add(s.criterion_id)
            if not isinstance(s.score, int) or not 1 <= s.score <= 5:
                raise ScoringError(f"'{criteria[s.criterion_id]}' needs a score from 1 to 5.")
            if s.evidence_s is not None:
                limit = float(duration) + 0.5 if duration else None
                if s.evidence_s < 0 or (limit is not None and s.evidence_s > limit):
                    raise ScoringError(f"The evidence for '{criteria[s.criterion_id]}' is outside the take.")
        missing = [title for cid, title in criteria.items() if cid not in seen]
        if missing:
            raise ScoringError("Score every criterion before submitting; missing: " + ", ".join(missing) + ".")

    def _cards(self, where: str, params: list) -> list[Scorecard]:
        db = self.store.db
        cards = [Scorecard(*row) for row in db.execute(
            f"SELECT {CARD_COLUMNS} FROM scorecards s LEFT JOIN people p ON p.id = s.scorer_id "
            f"WHERE {where} ORDER BY s.submitted_at, s.version", params)]
        if not cards:
            return cards
        by_id = {c.id: c for c in cards}
        marks = ",".join("?" * len(by_id))
        for card_id, crit, score, ev, comment in db.execute(
                f"SELECT scorecard_id, criterion_id, score, evidence_s, comment FROM scores "
                f"WHERE scorecard_id IN ({marks})", list(by_id)):
            by_id[card_id].scores[crit] = CriterionScore(crit, score, ev, comment)
        for card_id, text, at_s in db.execute(
                f"SELECT scorecard_id, text, at_s FROM comments WHERE scorecard_id IN ({marks}) "
                f"AND deleted = 0 ORDER BY COALESCE(at_s, 1e9), created_at", list(by_id)):
            by_id[card_id].comments.append(TimedComment(text, at_s))
        return cards

    def get(self, scorecard_id: str) -> Scorecard | None:
        cards = self._cards("s.id = ?", [scorecard_id])
        return cards[0] if cards else None

    def current(self, recording_id: str, scorer_id: str) -> Scorecard | None:
        """The scorer's latest version for this take (None: not scored yet)."""
        cards = self._cards("s.id IN (SELECT id FROM current_scorecards WHERE recording_id = ? "
                            "AND scorer_id = ?)", [recording_id, scorer_id])
        return cards[0] if cards else None

    def history(self, recording_id: str, scorer_id: str) -> list[Scorecard]:
        """Every version the scorer submitted for this take, oldest first."""
        return self._cards("s.recording_id = ? AND s.scorer_id = ?", [recording_id, scorer_id])

    def current_cards(self, recording_id: str) -> list[Scorecard]:
        """Each scorer's current scorecard for this take."""
        return self._cards("s.id IN (SELECT id FROM current_scorecards WHERE recording_id = ?)",
                           [recording_id])

    # -- coaching notes ------------------------------------------------------------------------------
    def _require_coach(self, db, person_id: str, what: str) -> None:
        row = db.execute("SELECT role FROM people WHERE id = ? AND deleted = 0", [person_id]).fetchone()
        if row is None or row[0] not in COACH_ROLES:
            raise ScoringError(f"Only a coach or certifier can {what}.")

    def add_coach_note(self, recording_id: str, author_id: str, text: str, at_s: float | None = None) -> str:
        text = (text or "").strip()
        if not text:
            raise ScoringError("Write the note first.")
        with self.store.transaction() as db:
            self._require_coach(db, author_id, "add coaching notes")
            if db.execute("SELECT 1 FROM recordings WHERE id = ?", [recording_id]).fetchone() is None:
                raise ScoringError("That take no longer exists at this station.")
            fields = self.store.record_fields()
            db["comments"].insert({**fields, "updated_at": fields["created_at"], "recording_id": recording_id,
                                   "author_id": author_id, "scorecard_id": None, "kind": "coach_note",
                                   "at_s": at_s, "text": text})
        return fields["id"]

    def coach_notes(self, recording_id: str) -> list[dict]:
        rows = self.store.db.execute(
            "SELECT c.id, c.created_at, c.at_s, c.text, COALESCE(p.name, '?') FROM comments c "
            "LEFT JOIN people p ON p.id = c.author_id WHERE c.recording_id = ? AND c.kind = 'coach_note' "
            "AND c.deleted = 0 ORDER BY c.created_at", [recording_id]).fetchall()
        return [dict(zip(("id", "created_at", "at_s", "text", "author"), r)) for r in rows]

    # -- exemplars ------------------------------------------------------------------------------------
    def promote_exemplar(self, recording_id: str, promoted_by: str, reason: str) -> str:
        """Make a take an exemplar of its exercise ("how the best of us do it")."""
        reason = (reason or "").strip()
        if not reason:
            raise ScoringError("Say why this take is an exemplar; reps read the reason on the Record page.")
        with self.store.transaction() as db:
            self._require_coach(db, promoted_by, "promote exemplars")
            take = db.execute("SELECT exercise_id, status FROM recordings WHERE id = ? AND deleted = 0",
                              [recording_id]).fetchone()
            if take is None or take[1] != "submitted":
                raise ScoringError("Only submitted takes can become exemplars.")
            if db.execute("SELECT 1 FROM exemplars WHERE recording_id = ? AND deleted = 0",
                          [recording_id]).fetchone():
                raise ScoringError("This take is already an exemplar.")
            fields = self.store.record_fields()
            db["exemplars"].insert({**fields, "updated_at": fields["created_at"], "recording_id": recording_id,
                                    "exercise_id": take[0], "promoted_by": promoted_by, "reason": reason})
        return fields["id"]

    def retire_exemplar(self, exemplar_id: str, by: str) -> None:
        with self.store.transaction() as db:
            self._require_coach(db, by, "retire exemplars")
            db.execute("UPDATE exemplars SET deleted = 1, updated_at = ?, clock = ? WHERE id = ?",
                       [now_iso(), self.store.tick(), exemplar_id])

    def exemplars(self, exercise_id: str | None = None) -> list[dict]:
        """Exemplars (newest first), for one exercise or all, with the rep and who promoted it."""
        where, params = ("AND x.exercise_id = ?", [exercise_id]) if exercise_id else ("", [])
        rows = self.store.db.execute(
            "SELECT x.id, x.recording_id, x.exercise_id, x.reason, x.created_at, COALESCE(rp.name, '?'), "
            "rp.team, COALESCE(cp.name, '?'), r.duration_s, r.media_path, e.title FROM exemplars x "
            "JOIN recordings r ON r.id = x.recording_id LEFT JOIN people rp ON rp.id = r.rep_id "
            "LEFT JOIN people cp ON cp.id = x.promoted_by LEFT JOIN exercises e ON e.id = x.exercise_id "
            f"WHERE x.deleted = 0 {where} ORDER BY x.created_at DESC, x.id", params).fetchall()
        keys = ("id", "recording_id", "exercise_id", "reason", "created_at", "rep", "team", "promoted_by",
                "duration_s", "media_path", "exercise")
        return [dict(zip(keys, r)) for r in rows]

    def log_event(self, kind: str, person_id: str | None, recording_id: str | None = None,
                  exercise_id: str | None = None, detail: dict | None = None) -> None:
        """An engagement event (e.g. 'transcript_view', 'exemplar_view') for the dashboard (#8)."""
        with self.store.transaction() as db:
            db["events"].insert({**self.store.record_fields(), "kind": kind, "person_id": person_id,
                                 "recording_id": recording_id, "exercise_id": exercise_id,
                                 "detail": json.dumps(detail or {})})
