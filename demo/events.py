"""Engagement after the event for `rolecall demo-data` (a generator on demo.EXTRA_GENERATORS).

The core demo writes the kickoff itself (three days of takes, with 'transcript_view' events while peers
score). This adds what the dashboard's engagement figures look for in the weeks after (issue #8):
reps going back to exemplar takes and transcripts, and exports, fading week by week the way
follow-up does, some reps keener than others. Deterministic for the demo seed (the hook gives this
generator its own Random). Kinds are those of store/events.py.
"""
from __future__ import annotations

import json
import random
import uuid
from datetime import timedelta

from store.clock import parse_iso, to_iso
from store.db import Store
from store.events import EXEMPLAR_EXPORT, EXEMPLAR_VIEW, TRANSCRIPT_EXPORT, TRANSCRIPT_VIEW

WEEKS_AFTER = 5
WEEKLY_DECAY = 0.6


def generate_engagement_events(store: Store, rng: random.Random, summary) -> None:
    db = store.db
    exemplars = db.execute("SELECT recording_id, exercise_id FROM exemplars WHERE deleted = 0 "
                           "ORDER BY id").fetchall()
    takes = sorted(summary.takes, key=lambda t: t.id)
    if not summary.reps or not takes:
        summary.extra["engagement_events"] = 0
        return
    own: dict[str, list] = {}
    for take in takes:
        own.setdefault(take.rep_id, []).append(take)
    end = parse_iso(summary.event_end)
    station = summary.stations[0] if summary.stations else store.station_id
    clock = int(store.get_meta("clock") or 0)
    rows = []

    def add(kind, person, when, recording=None, exercise=None, detail=None):
        nonlocal clock
        clock += 1
        rows.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), to_iso(when), station, clock,
                     kind, person, recording, exercise, json.dumps(detail or {})))

    for rep in sorted(summary.reps):
        keenness = rng.betavariate(2, 3)           # most reps follow up a little, a few a lot
        for week in range(WEEKS_AFTER):
            rate = keenness * (WEEKLY_DECAY ** week)
            for _ in range(rng.randint(0, 6)):
                if rng.random() > rate:
                    continue
                when = end + timedelta(days=7 * week + rng.uniform(0, 7))
                roll = rng.random()
                if exemplars and roll < 0.45:
                    rec, ex = rng.choice(exemplars)
                    add(EXEMPLAR_VIEW, rep, when, rec, ex, {"seconds": rng.randint(30, 300)})
                    if rng.random() < 0.1:
                        add(EXEMPLAR_EXPORT, rep, when + timedelta(minutes=5), rec, ex)
                else:
                    take = rng.choice(own.get(rep) or takes)
                    add(TRANSCRIPT_VIEW, rep, when, take.id, take.exercise_id, {"seconds": rng.randint(20, 240)})
                    if rng.random() < 0.2:
                        add(TRANSCRIPT_EXPORT, rep, when + timedelta(minutes=2), take.id, take.exercise_id,
                            {"format": rng.choice(("txt", "srt", "vtt"))})
    with store.transaction() as tx:
        tx.conn.executemany("INSERT INTO events (id, created_at, station_id, clock, kind, person_id, "
                            "recording_id, exercise_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        tx.execute("INSERT OR REPLACE INTO station(key, value) VALUES('clock', ?)", [str(clock)])
    summary.extra["engagement_events"] = len(rows)


def register() -> None:
    """Add the generator to demo-data's hook (once)."""
    import demo

    if generate_engagement_events not in demo.EXTRA_GENERATORS:
        demo.EXTRA_GENERATORS.append(generate_engagement_events)


__all__ = ["generate_engagement_events", "register"]
