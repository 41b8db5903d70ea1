"""The evidence behind a certification decision, for the certifier to read (no Qt).

For a rep and a program: the takes that count (the latest submitted take of each of the program's
exercises), the peer scores per criterion over them (scoring.aggregate), how far the peers agree
(Krippendorff's alpha, ordinal, over each take x criterion; scoring.agreement), and the coach notes
and peers' overall comments on those takes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from scoring.aggregate import CriterionAggregate, criterion_aggregate
from scoring.agreement import Agreement, krippendorff_alpha
from scoring.certification import Readiness, criterion_minimums
from store.certification import CertificationRepo


@dataclass(frozen=True)
class CriterionRow:
    id: str
    title: str
    weight: float
    minimum: int | None
    aggregate: CriterionAggregate


@dataclass
class Evidence:
    readiness: Readiness
    takes: list[dict] = field(default_factory=list)        # recording_id, exercise, submitted_at, duration_s, ...
    criteria: list[CriterionRow] = field(default_factory=list)
    agreement: Agreement | None = None
    notes: list[dict] = field(default_factory=list)        # kind, author, text, at_s, created_at, recording_id


def _rows(store, sql: str, params) -> list[dict]:
    cur = store.db.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def gather(repo: CertificationRepo, rep_id: str, program_key: str) -> Evidence:
    store = repo.store
    program = repo.rule(program_key)
    criteria = repo.criteria(program)
    result = repo.readiness(rep_id, program.id)
    evidence = Evidence(result)
    ids = list(result.evidence)
    if not ids:
        return evidence
    marks = ", ".join("?" * len(ids))
    evidence.takes = _rows(store, f"""
        SELECT r.id AS recording_id, e.title AS exercise, COALESCE(r.submitted_at, r.created_at) AS submitted_at,
               r.duration_s, r.media_path,
               (SELECT count(*) FROM current_scorecards c WHERE c.recording_id = r.id
                AND c.scorer_id IS NOT r.rep_id) AS scorecards
        FROM recordings r LEFT JOIN exercises e ON e.id = r.exercise_id WHERE r.id IN ({marks})
        ORDER BY e.position, r.submitted_at""", ids)
    per_take: dict[tuple[str, str], list[float]] = {}
    for rec, crit, score in store.db.execute(f"""
            SELECT c.recording_id, s.criterion_id, s.score FROM current_scorecards c
            JOIN recordings r ON r.id = c.recording_id JOIN scores s ON s.scorecard_id = c.id
            WHERE c.recording_id IN ({marks}) AND c.scorer_id IS NOT r.rep_id""", ids):
        per_take.setdefault((rec, crit), []).append(float(score))
    minimums = criterion_minimums(program, criteria)
    for c in criteria:
        values = [v for (rec, crit), vs in per_take.items() if crit == c.id for v in vs]
        evidence.criteria.append(CriterionRow(c.id, c.title or c.slug, c.weight, minimums.get(c.id),
                                              criterion_aggregate(c.id, values)))
    evidence.agreement = krippendorff_alpha(per_take.values())
    evidence.notes = _rows(store, f"""
        SELECT 'coach note' AS kind, p.name AS author, m.text, m.at_s, m.created_at, m.recording_id
        FROM comments m LEFT JOIN people p ON p.id = m.author_id
        WHERE m.recording_id IN ({marks}) AND m.kind = 'coach_note' AND m.deleted = 0
        UNION ALL
        SELECT 'peer comment', p.name, c.overall_comment, NULL, c.submitted_at, c.recording_id
        FROM current_scorecards c JOIN recordings r ON r.id = c.recording_id LEFT JOIN people p ON p.id = c.scorer_id
        WHERE c.recording_id IN ({marks}) AND c.overall_comment != '' AND c.scorer_id IS NOT r.rep_id
        ORDER BY 1, 5""", ids + ids)
    return evidence
