"""Sign-off decisions for `rolecall demo-data` (a generator on demo.EXTRA_GENERATORS).

At the end of the demo event every certification program's readiness is computed from the demo's
takes and peer scores (the real rules, scoring/certification.py); then, deterministically for a seed:
most reps who are ready are certified by one of the demo certifiers, some of them after an earlier
"needs rework" (so histories have more than one decision), and some reps who are close are sent
back with reasons drawn from what is missing. Demo decisions are written directly (no PIN: the demo
certifiers have none until someone sets one), with the same fields a real decision has.
"""
from __future__ import annotations

import json
import random
import uuid
from datetime import timedelta

from scoring.certification import suggested_reasons, valid_until
from store.certification import CertificationRepo
from store.clock import parse_iso, to_iso
from store.db import Store


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate_signoffs(store: Store, rng: random.Random, summary) -> None:
    if not summary.certifiers:
        summary.extra["signoffs"] = 0
        return
    end = parse_iso(summary.event_end)
    repo = CertificationRepo(store, clock=lambda: end)
    rows = []
    for program in repo.programs():
        rule = repo.rule(program["id"])
        criteria = repo.criteria(rule)
        version = repo.rubric_version(rule.rubric_id)
        everyone = repo.all_readiness(rule.id, end.date())
        for rep in sorted(everyone):
            result = everyone[rep]
            if not result.evidence:
                continue
            snapshot = {"criteria": {c.slug: result.scores.get(c.id) for c in criteria},
                        "criterion_ids": {c.slug: c.id for c in criteria}, "total": result.total,
                        "scorecards": result.scorecard_count,
                        "requirements": {r.key: r.met for r in result.requirements}}
            plan: list[str] = []
            if result.met and rng.random() < 0.8:
                plan = (["needs_rework"] if rng.random() < 0.2 else []) + ["certified"]
            elif result.close and rng.random() < 0.4:
                plan = ["needs_rework"]
            when = end - timedelta(hours=rng.uniform(2, 20))
            for decision in plan:
                certifier = rng.choice(summary.certifiers)
                if decision == "certified":
                    reasons = suggested_reasons(rule, criteria, result)
                else:
                    weak = [m for m in result.missing if m.key.startswith("criterion:")] or list(result.missing)
                    reasons = ({m.key.split(":", 1)[1]: m.detail for m in weak if m.key.startswith("criterion:")}
                               or {criteria[0].id: "Work on the pillars: " + "; ".join(m.detail for m in weak)})
                    if result.met:
                        reasons = {criteria[0].id: "Pillars stated, but not tied to the buyer's problem yet."}
                rows.append({"id": _id(rng), "created_at": to_iso(when),
                             "station_id": rng.choice(summary.stations) if summary.stations else store.station_id,
                             "rep_id": rep, "program_id": rule.id, "certifier_id": certifier, "decision": decision,
                             "reasons": json.dumps(reasons), "program_version": rule.version,
                             "rubric_version": version, "evidence": json.dumps(list(result.evidence)),
                             "scores": json.dumps(snapshot), "decided_at": to_iso(when),
                             "valid_until": valid_until(when, rule.valid_days).isoformat()
                             if decision == "certified" else None})
                when += timedelta(hours=rng.uniform(0.5, 2))
    with store.transaction(durable=True) as db:
        for row in rows:
            db["signoffs"].insert({**row, "clock": store.tick()})
    summary.extra["signoffs"] = len(rows)


def register() -> None:
    """Add the generator to demo-data's hook (once)."""
    import demo

    if generate_signoffs not in demo.EXTRA_GENERATORS:
        demo.EXTRA_GENERATORS.append(generate_signoffs)


__all__ = ["generate_signoffs", "register"]
