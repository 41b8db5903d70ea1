"""A plausible synthetic sales-kickoff event, for trying the UI, the dashboard and benchmarks at scale.

    summary = generate(store, recordings=10_000, seed=7)      # `rolecall demo-data --recordings N`

What it writes (deterministic for a seed; ids, times and clocks included): reps in teams with a coach
each and a few certifiers; submitted takes of the kit's exercises, all pointing at ONE small shared
clip (demo/media.py); a transcript per take with segments, word times and term hits where the rep
used the vocabulary; several peer scorecards per take (about six on average) whose scores follow the
rep's skill plus each scorer's own harshness or leniency plus noise, so peers disagree realistically;
some revisions (version 2 superseding version 1); timestamped comments; coach notes; exemplars; and
'transcript_view' events. Rows go in with ``executemany`` inside one transaction.

Extending it (certification #6, dashboard #8): append your generator to ``EXTRA_GENERATORS``

    import demo
    demo.EXTRA_GENERATORS.append(my_generator)   # my_generator(store, rng, summary) -> None

where the command is wired (cli/demo.py calls each extra module's ``register()``), never on import.

Each runs after the core data is committed, with its own ``random.Random`` seeded from the demo seed
and its name (so adding one never changes another's output), and writes through ``store.transaction()``.
It may add counts to ``summary.extra``.
"""
from __future__ import annotations

import json
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from demo import text as T
from demo.media import ensure_demo_media
from store.clock import to_iso
from store.db import Store

EVENT_START = datetime(2026, 11, 16, 8, 0, tzinfo=timezone.utc)
EVENT_DAYS = 3
DEMO_NS = uuid.UUID("0c8f3f7e-2d1b-4c55-9a57-5d6b0f1e9a21")


@dataclass
class DemoTake:
    id: str
    rep_id: str
    exercise_id: str
    submitted_at: str
    duration_s: float


@dataclass
class DemoSummary:
    seed: int
    stations: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    reps: list[str] = field(default_factory=list)
    coaches: list[str] = field(default_factory=list)
    certifiers: list[str] = field(default_factory=list)
    takes: list[DemoTake] = field(default_factory=list)
    media_path: str = ""
    event_start: str = to_iso(EVENT_START)
    event_end: str = to_iso(EVENT_START + timedelta(days=EVENT_DAYS))
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        parts = [f"{v:,} {k}" for k, v in {**self.counts, **self.extra}.items()]
        return [", ".join(parts), f"shared media: {self.media_path}", f"in {self.seconds:.1f} s"]


# The hook: generators other areas add (sign-offs #6, engagement events #8). See the module docstring.
EXTRA_GENERATORS: list[Callable[[Store, random.Random, DemoSummary], None]] = []


class DemoError(ValueError):
    pass


class _Rows:
    """Collects rows per table with the record fields filled in deterministically."""

    def __init__(self, rng: random.Random, stations: list[str], clock: int):
        self.rng, self.stations, self.clock = rng, stations, clock
        self.tables: dict[str, tuple[tuple[str, ...], list[tuple]]] = {}

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, table: str, at: datetime, station: int, mutable: bool = False, **values) -> str:
        self.clock += 1
        rid = values.pop("id", None) or self.new_id()
        stamp = to_iso(at)
        row = {"id": rid, "created_at": stamp, "station_id": self.stations[station], "clock": self.clock}
        if mutable:
            row["updated_at"] = stamp
        row.update(values)
        cols, rows = self.tables.setdefault(table, (tuple(row), []))
        rows.append(tuple(row[c] for c in cols))
        return rid

    def write(self, db) -> None:
        for table, (cols, rows) in self.tables.items():
            db.conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                rows)


def _moment(rng: random.Random, duration: float) -> float:
    """A moment inside the take, to a tenth of a second (rounded down, never past the end)."""
    return int(rng.uniform(0, duration) * 10) / 10


def _clamp(x: float) -> int:
    return max(1, min(5, int(round(x))))


def generate(store: Store, recordings: int = 200, seed: int = 1, force: bool = False) -> DemoSummary:
    """Fill the store with a synthetic event of ``recordings`` takes. See the module docstring."""
    if recordings < 1:
        raise DemoError("Ask for at least one recording.")
    if store.get_meta("demo_seed") is not None and not force:
        raise DemoError("This station already holds demo data; use a fresh --data-dir.")
    if not force and store.db.execute("SELECT 1 FROM recordings LIMIT 1").fetchone():
        raise DemoError("This station holds real takes; demo data would mix with them (and sync to the hub). "
                        "Use a fresh --data-dir.")
    began = time.perf_counter()
    rng = random.Random(seed)
    summary = DemoSummary(seed=seed)
    summary.media_path = ensure_demo_media(store.data_dir)
    db = store.db
    exercises = db.execute("SELECT e.id, e.rubric_id, COALESCE(r.version, 1) FROM exercises e "
                           "JOIN rubrics r ON r.id = e.rubric_id WHERE e.deleted = 0 ORDER BY e.position").fetchall()
    if not exercises:
        raise DemoError("The station has no exercises; import a kit first.")
    terms = dict(db.execute("SELECT id, term FROM terms WHERE deleted = 0").fetchall())
    criteria = {rub: [(cid, [t for t in json.loads(tj) if t in terms]) for cid, tj in db.execute(
        "SELECT id, terms FROM criteria WHERE rubric_id = ? AND deleted = 0 ORDER BY position", [rub])]
        for _e, rub, _v in exercises}
    taken_names = {r[0].lower() for r in db.execute("SELECT name FROM people")}
    summary.stations = [str(uuid.uuid5(DEMO_NS, f"{seed}:station:{k}")) for k in range(3)]
    start_clock = int(store.get_meta("clock") or 0)
    rows = _Rows(rng, summary.stations, start_clock)

    # -- people -------------------------------------------------------------------------------------------
    n_reps = max(12, recordings // 25)
    n_teams = max(2, min(40, n_reps // 10))
    summary.teams = [T.REGIONS[i % len(T.REGIONS)] + ("" if i < len(T.REGIONS) else f" {i // len(T.REGIONS) + 1}")
                     for i in range(n_teams)]

    def person(role: str, team: str | None) -> str:
        while True:
            name = f"{rng.choice(T.FIRST)} {rng.choice(T.LAST)}"
            if name.lower() in taken_names:
                first, last = name.split(" ", 1)
                name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTVW')}. {last}"
            if name.lower() not in taken_names:
                taken_names.add(name.lower())
                break
        return rows.add("people", EVENT_START - timedelta(days=7), 0, mutable=True, name=name, role=role,
                        team=team, pin_hash=None, hidden=0)

    team_of: dict[str, str] = {}
    skill: dict[str, float] = {}
    harshness: dict[str, float] = {}
    for i in range(n_reps):
        team = summary.teams[i % n_teams]
        pid = person("rep", team)
        summary.reps.append(pid)
        team_of[pid] = team
        skill[pid] = rng.gauss(4.1, 0.3) if rng.random() < 0.15 else rng.gauss(3.1, 0.55)   # a few stars
    for team in summary.teams:
        pid = person("coach", team)
        summary.coaches.append(pid)
        team_of[pid] = team
    for _ in range(max(2, n_teams // 5)):
        summary.certifiers.append(person("certifier", None))
    for pid in summary.reps + summary.coaches:
        style = rng.random()
        harshness[pid] = -0.8 if style < 0.05 else 0.8 if style < 0.10 else rng.gauss(0, 0.2)
    reps_by_team: dict[str, list[str]] = {}
    for pid in summary.reps:
        reps_by_team.setdefault(team_of[pid], []).append(pid)
    coach_of_team = dict(zip(summary.teams, summary.coaches))

    # -- takes, transcripts, scorecards -----------------------------------------------------------------
    difficulty = {e[0]: rng.uniform(-0.3, 0.3) for e in exercises}
    # how hard a criterion is to judge: vague anchors make peers disagree more
    vagueness = {cid: rng.uniform(0.05, 0.8) for rub in criteria.values() for cid, _t in rub}
    best: dict[str, list[tuple[float, str, datetime]]] = {}
    counts = dict.fromkeys(("recordings", "transcripts", "segments", "term_hits", "scorecards", "revisions",
                            "scores", "comments", "coach_notes", "exemplars", "events"), 0)
    for _ in range(recordings):
        ex_id, rubric_id, rubric_version = rng.choice(exercises)
        rep = rng.choice(summary.reps)
        station = rng.randrange(3)
        submitted = EVENT_START + timedelta(days=rng.randrange(EVENT_DAYS), seconds=rng.randrange(10 * 3600))
        crits = criteria[rubric_id]
        truth = {cid: skill[rep] + difficulty[ex_id] + rng.gauss(0, 0.5) for cid, _t in crits}
        used = [terms[t] for cid, ts in crits for t in ts if rng.random() < 1 / (1 + 2.7 ** (2.6 - truth[cid]))]
        segments, hits, duration, metrics = _transcript(rng, used)
        take = rows.new_id()
        started = submitted - timedelta(seconds=duration + rng.randint(20, 200))
        rows.add("recordings", started, station, mutable=True, id=take, rep_id=rep, exercise_id=ex_id,
                 partner_id=None, status="submitted", source="station", started_at=to_iso(started),
                 ended_at=to_iso(started + timedelta(seconds=duration)), submitted_at=to_iso(submitted),
                 duration_s=duration, media_path=summary.media_path, media_sha256=None, media_size=None,
                 has_video=1, has_audio=1, dropped_frames=0, gaps="[]", deleted=0)
        summary.takes.append(DemoTake(take, rep, ex_id, to_iso(submitted), duration))
        counts["recordings"] += 1
        at = submitted + timedelta(seconds=30)
        text = " ".join(s[2].strip() for s in segments)
        tr = rows.add("transcripts", at, station, recording_id=take, model="tiny.en", language="en", text=text,
                      duration_s=duration, complete=1, metrics=json.dumps(metrics))
        counts["transcripts"] += 1
        for idx, (s0, s1, stext, words) in enumerate(segments):
            rows.add("segments", at, station, transcript_id=tr, idx=idx, start_s=s0, end_s=s1, text=stext,
                     words=json.dumps(words, separators=(",", ":")), no_speech_prob=0.01)
        counts["segments"] += len(segments)
        term_times: dict[str, float] = {}
        term_ids = {v: k for k, v in terms.items()}
        for term, h0, h1, htext in hits:
            rows.add("term_hits", at, station, transcript_id=tr, recording_id=take, term_id=term_ids[term],
                     start_s=h0, end_s=h1, text=htext, score=1.0)
            term_times.setdefault(term_ids[term], h0)
        counts["term_hits"] += len(hits)

        r = rng.random()
        n_scorers = rng.randint(5, 8) if r < 0.85 else rng.randint(0, 3)
        peers = reps_by_team[team_of[rep]] if rng.random() < 0.7 else summary.reps
        pool = [p for p in peers if p != rep]
        if len(pool) < n_scorers:
            pool = [p for p in summary.reps if p != rep]
        scorers = rng.sample(pool, n_scorers)
        if n_scorers and rng.random() < 0.15:
            scorers[-1] = coach_of_team[team_of[rep]]
        mean_scores = []
        for scorer in scorers:
            when = submitted + timedelta(minutes=rng.randint(5, 600))
            values = {cid: _clamp(truth[cid] + harshness[scorer] + rng.gauss(0, vagueness[cid])) for cid, _t in crits}
            card = _scorecard(rows, rng, station, take, scorer, rubric_id, rubric_version, 1, None, when,
                              values, crits, term_times, duration, counts)
            if rng.random() < 0.05:                                   # a revision: one score changes
                values = dict(values)
                cid = rng.choice(crits)[0]
                values[cid] = max(1, min(5, values[cid] + rng.choice((-1, 1))))
                _scorecard(rows, rng, station, take, scorer, rubric_id, rubric_version, 2, card,
                           when + timedelta(minutes=rng.randint(2, 90)), values, crits, term_times, duration,
                           counts)
                counts["revisions"] += 1
            if rng.random() < 0.6:
                rows.add("events", when - timedelta(seconds=30), station, kind="transcript_view", person_id=scorer,
                         recording_id=take, exercise_id=ex_id, detail=json.dumps({"seconds": rng.randint(20, 240)}))
                counts["events"] += 1
            mean_scores.append(sum(values.values()) / len(values))
        if scorers and rng.random() < 0.05:
            coach = coach_of_team[team_of[rep]]
            rows.add("comments", submitted + timedelta(hours=rng.randint(1, 20)), station, mutable=True,
                     recording_id=take, author_id=coach, scorecard_id=None, kind="coach_note",
                     at_s=_moment(rng, duration) if rng.random() < 0.5 else None,
                     text=rng.choice(T.COACH_NOTES), deleted=0)
            counts["coach_notes"] += 1
        if len(mean_scores) >= 4:
            best.setdefault(ex_id, []).append((sum(mean_scores) / len(mean_scores), take, submitted))

    # -- exemplars: the top takes of each exercise, promoted by a coach -------------------------------------
    per_exercise = max(1, min(3, recordings // 200))
    slugs = dict(db.execute("SELECT id, slug FROM exercises").fetchall())
    for ex_id, ranked in sorted(best.items()):
        ranked.sort(key=lambda x: (-x[0], x[1]))
        reasons = T.EXEMPLAR_REASONS_BY_EXERCISE.get(slugs.get(ex_id, ""), T.EXEMPLAR_REASONS)
        for rank, (_mean, take, submitted) in enumerate(ranked[:per_exercise]):
            rows.add("exemplars", submitted + timedelta(days=1), 0, mutable=True, recording_id=take,
                     exercise_id=ex_id, promoted_by=rng.choice(summary.coaches),
                     reason=reasons[rank % len(reasons)], deleted=0)
            counts["exemplars"] += 1

    with store.transaction() as tx:
        rows.write(tx)
        tx.execute("INSERT OR REPLACE INTO station(key, value) VALUES('clock', ?)", [str(rows.clock)])
        tx.execute("INSERT OR REPLACE INTO station(key, value) VALUES('demo_seed', ?)", [str(seed)])
    counts["people"] = len(summary.reps) + len(summary.coaches) + len(summary.certifiers)
    summary.counts = counts

    # -- the hook: other areas' generators (see EXTRA_GENERATORS) ------------------------------------------
    for extra in EXTRA_GENERATORS:
        name = f"{getattr(extra, '__module__', '')}.{getattr(extra, '__qualname__', repr(extra))}"
        extra(store, random.Random(f"{seed}:{name}"), summary)
    summary.seconds = time.perf_counter() - began
    return summary


def _scorecard(rows: _Rows, rng: random.Random, station: int, take: str, scorer: str, rubric_id: str,
               rubric_version: int, version: int, supersedes: str | None, when: datetime, values: dict,
               crits: list, term_times: dict, duration: float, counts: dict) -> str:
    card = rows.add("scorecards", when, station, recording_id=take, scorer_id=scorer, rubric_id=rubric_id,
                    rubric_version=rubric_version, version=version, supersedes=supersedes,
                    overall_comment=rng.choice(T.OVERALL), submitted_at=to_iso(when))
    for cid, tids in crits:
        heard = [term_times[t] for t in tids if t in term_times]
        evidence = (round(heard[0], 1) if heard and rng.random() < 0.8 else
                    _moment(rng, duration) if rng.random() < 0.5 else None)
        rows.add("scores", when, station, scorecard_id=card, criterion_id=cid, score=values[cid],
                 evidence_s=evidence, comment=rng.choice(T.CRIT_COMMENTS))
    counts["scorecards"] += 1
    counts["scores"] += len(crits)
    if rng.random() < 0.2:
        rows.add("comments", when, station, mutable=True, recording_id=take, author_id=scorer, scorecard_id=card,
                 kind="comment", at_s=_moment(rng, duration), text=rng.choice(T.TIMED), deleted=0)
        counts["comments"] += 1
    return card


def _transcript(rng: random.Random, used_terms: list[str]):
    """Segments (start, end, text, words), term hits (term, start, end, text), duration, metrics."""
    lines = list(rng.sample(T.FILLER, rng.randint(5, 7)))
    for term in used_terms:
        lines.insert(rng.randrange(len(lines) + 1), ("TERM", term))
    t = round(rng.uniform(0.5, 1.5), 2)
    segments, hits, fillers, n_words, talk = [], [], 0, 0, 0.0
    for line in lines[:9]:
        if isinstance(line, tuple):
            template = rng.choice(T.TERM_LINES)
            before, after = template.split("{t}")
            tokens = [(w, None) for w in before.split()] + [(w, line[1]) for w in line[1].split()] + \
                     [(w, None) for w in after.split()]
        else:
            tokens = [(w, None) for w in line.split()]
        words, seg_start = [], t
        term_start = term_end = None
        for w, term in tokens:
            length = round(rng.uniform(0.22, 0.42), 2)
            words.append({"start": t, "end": round(t + length, 2), "word": " " + w})
            if term is not None:
                term_start = t if term_start is None else term_start
                term_end = round(t + length, 2)
            fillers += w in ("um", "uh")
            t = round(t + length + rng.uniform(0.02, 0.12), 2)
        seg_end = words[-1]["end"]
        words[0]["word"] = " " + words[0]["word"][1:2].upper() + words[0]["word"][2:]
        text = " ".join(w for w, _ in tokens)
        text = " " + text[0].upper() + text[1:] + "."
        words[-1]["word"] += "."
        segments.append((seg_start, seg_end, text, words))
        if term_start is not None:
            hits.append((line[1], term_start, term_end, line[1]))
        n_words += len(words)
        talk += seg_end - seg_start
        t = round(t + rng.uniform(0.5, 1.6), 2)
        if t > 55:
            break
    duration = round(min(59.5, t + rng.uniform(0.5, 2.5)), 2)
    metrics = {"duration": duration, "word_count": n_words, "talk_time": round(talk, 3),
               "silence_time": round(duration - talk, 3), "talk_ratio": round(talk / duration, 3),
               "wpm": round(n_words / (talk / 60), 1), "wpm_overall": round(n_words / (duration / 60), 1),
               "longest_monologue": round(max(s[1] - s[0] for s in segments), 3), "pauses": len(segments) - 1,
               "longest_pause": round(max((b[0] - a[1] for a, b in zip(segments, segments[1:])), default=0.0), 3),
               "filler_count": fillers, "fillers": {"um": fillers} if fillers else {},
               "fillers_per_minute": round(fillers / (talk / 60), 2)}
    return segments, hits, duration, metrics
