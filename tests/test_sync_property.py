"""Property: N stations doing random work offline (people, takes, scorecards and revisions,
sign-offs, comments, edits, deletions), with wall clocks skewed up to ±1 day, and syncing in random
partial ways (push only, pull only part of the batches, cancelled half way) — after a final full round
every station holds exactly the same state, which is, row by row, the latest version any station
made (Lamport clock, station id as tie-break); every record is there once."""
from __future__ import annotations

import contextlib
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store.db
import store.people
import store.recordings
import store.sync.apply
import store.sync.engine
from store.clock import to_iso
from store.people import PeopleRepo
from store.recordings import RecordingRepo
from store.sync import SyncCancelled, Syncer, status
from store.sync.tables import synced_tables
from test_sync_support import (STATION_LOCAL, HubFactory, add_take, logical_state, moto_server,  # noqa: F401
                               new_station, team_key)

N_STATIONS = 3
CLOCK_USERS = (store.db, store.people, store.recordings, store.sync.apply, store.sync.engine)


@contextlib.contextmanager
def skewed(offset_s: int):
    """The station's wall clock is off by ``offset_s`` (every module that stamps times)."""
    def fake_now() -> str:
        return to_iso(datetime.now(timezone.utc) + timedelta(seconds=offset_s))
    saved = [(m, m.now_iso) for m in CLOCK_USERS]
    for module, _ in saved:
        module.now_iso = fake_now
    try:
        yield
    finally:
        for module, original in saved:
            module.now_iso = original


def ids(s, sql: str) -> list[str]:
    return [r[0] for r in s.db.execute(sql).fetchall()]


def pick(items: list[str], n: int) -> str | None:
    return items[n % len(items)] if items else None


def do_local(s, kind: str, n: int) -> None:
    people = ids(s, "SELECT id FROM people WHERE deleted=0 ORDER BY id")
    takes = ids(s, "SELECT id FROM recordings WHERE deleted=0 ORDER BY id")
    cards = ids(s, "SELECT id FROM scorecards ORDER BY id")
    comments = ids(s, "SELECT id FROM comments ORDER BY id")
    repo = PeopleRepo(s)
    if kind == "person":
        with s.transaction() as db:
            f = s.record_fields()
            db["people"].insert({**f, "updated_at": f["created_at"], "name": f"P{n}-{f['id'][:4]}",
                                 "role": ("rep", "coach", "certifier")[n % 3]})
    elif kind == "edit_person" and people:
        pid = pick(people, n)          # names are unique at a station since #14: one per person
        repo.update(pid, team=f"Team {n % 4}", name=f"Renamed {n} {pid[:8]}")
    elif kind == "delete_person" and people:
        with s.transaction() as db:       # a tombstone: the row stays, marked deleted
            db.execute("UPDATE people SET deleted=1 WHERE id=?", [pick(people, n)])
    elif kind == "take":
        add_take(s, pick(people, n), f"take {n} {s.station_id}".encode() * 50)
    elif kind == "submit" and takes:
        rec = RecordingRepo(s).get(pick(takes, n))
        if rec.status in ("take", "recovered"):
            RecordingRepo(s).submit(rec.id)
    elif kind in ("scorecard", "revise") and takes and people:
        crit = s.db.execute("SELECT id, rubric_id FROM criteria ORDER BY id").fetchone()
        old = pick(cards, n) if kind == "revise" else None
        base = s.db.execute("SELECT recording_id, scorer_id, version FROM scorecards WHERE id=?",
                            [old]).fetchone() if old else None
        rec_id, scorer, version = base or (pick(takes, n), pick(people, n + 1), 0)
        with s.transaction() as db:
            f = s.record_fields()
            db["scorecards"].insert({**f, "recording_id": rec_id, "scorer_id": scorer, "rubric_id": crit[1],
                                     "version": version + 1, "supersedes": old,
                                     "submitted_at": f["created_at"]})
            g = s.record_fields()
            db["scores"].insert({**g, "scorecard_id": f["id"], "criterion_id": crit[0], "score": 1 + n % 5})
    elif kind == "signoff" and people:
        program = s.db.execute("SELECT id FROM programs ORDER BY id").fetchone()[0]
        with s.transaction() as db:
            f = s.record_fields()
            db["signoffs"].insert({**f, "rep_id": pick(people, n), "program_id": program,
                                   "certifier_id": pick(people, n + 1), "decided_at": f["created_at"],
                                   "decision": ("certified", "needs_rework")[n % 2]})
    elif kind == "comment":
        takes = takes or [add_take(s, pick(people, n), f"take for comment {n}".encode())]
        with s.transaction() as db:
            f = s.record_fields()
            db["comments"].insert({**f, "updated_at": f["created_at"], "recording_id": pick(takes, n),
                                   "text": f"comment {n}"})
    elif kind == "edit_comment" and comments:
        with s.transaction() as db:       # an edit that forgets to tick: the trigger ticks for it
            db.execute("UPDATE comments SET text=? WHERE id=?", [f"edited {n}", pick(comments, n)])
    elif kind == "delete_comment" and comments:
        with s.transaction() as db:       # a hard delete: it travels as a tombstone
            db.execute("DELETE FROM comments WHERE id=?", [pick(comments, n)])


def note_versions(s, oracle: dict) -> None:
    """Record every version this station has just made (its outbox) with the row as it is."""
    for tbl, rid, clock, op in s.db.execute("SELECT tbl, id, clock, op FROM sync_outbox").fetchall():
        key = (tbl, rid, clock, s.station_id)
        if key in oracle:
            continue
        row = None
        if op == "upsert":
            cur = s.db.execute(f'SELECT * FROM "{tbl}" WHERE id=?', [rid])
            found = cur.fetchone()
            row = dict(zip([d[0] for d in cur.description], found)) if found else None
        oracle[key] = row


def do_sync(s, factory, kind: str, n: int) -> None:
    hub = factory.hub()
    calls = [0]

    def cancel() -> bool:
        calls[0] += 1
        return kind == "cancel" and calls[0] > n % 3

    try:
        syncer = Syncer(s, hub, team_key(), cancel=cancel, max_records=3 + n % 40)
        syncer.run(push=kind != "pull", pull=kind != "push", pull_limit=(n % 4) if kind == "pull" else None)
    except SyncCancelled:
        pass
    finally:
        hub.close()


LOCAL = ["person", "edit_person", "delete_person", "take", "submit", "scorecard", "revise", "signoff",
         "comment", "edit_comment", "delete_comment"]
SYNC = ["sync", "push", "pull", "cancel"]
# edits and syncs are drawn more often, and targets from the first few rows, so that stations often
# change the same rows concurrently
# ("round": every station syncs, starting with this one, so rows spread and then get edited on
# several stations at once)
WEIGHTED = ["person", "take", "comment"] * 2 + ["edit_person", "edit_comment"] * 3 \
    + ["delete_person", "delete_comment", "submit", "scorecard", "revise", "signoff"] + SYNC + ["round"] * 4
steps = st.lists(st.tuples(st.integers(0, N_STATIONS - 1), st.sampled_from(WEIGHTED),
                           st.integers(0, 3)), min_size=20, max_size=40)
skews = st.lists(st.integers(-86_400, 86_400), min_size=N_STATIONS, max_size=N_STATIONS)


def check_scenario(kind: str, endpoint: str | None, plan, offsets) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        factory = HubFactory(kind, Path(tmp), endpoint)
        stations, oracle = [], {}
        for i in range(N_STATIONS):
            with skewed(offsets[i]):
                s = new_station(Path(tmp) / f"s{i}", seed=True)
                status(s)                      # installs change tracking (adopts the kit rows)
                note_versions(s, oracle)
            stations.append(s)
        for who, kind_, n in plan:
            s = stations[who]
            if kind_ == "round":
                for j in [(who + k) % N_STATIONS for k in range(N_STATIONS)]:
                    with skewed(offsets[j]):
                        do_sync(stations[j], factory, "sync", n)
                continue
            with skewed(offsets[who]):
                if kind_ in SYNC:
                    do_sync(s, factory, kind_, n)
                else:
                    do_local(s, kind_, n)
                    note_versions(s, oracle)
        for _ in range(2):                     # the final full round
            for i, s in enumerate(stations):
                with skewed(offsets[i]):
                    report = Syncer(s, factory.hub(), team_key()).run()
                assert report.ok, report.problems
        states = [logical_state(s) for s in stations]
        for other in states[1:]:
            assert other == states[0]
        # the state is exactly the latest version of every row anyone made
        latest: dict[tuple[str, str], tuple] = {}
        for (tbl, rid, clock, station), row in oracle.items():
            if (tbl, rid) not in latest or (clock, station) > latest[(tbl, rid)][0]:
                latest[(tbl, rid)] = ((clock, station), row)
        expected = {t: {} for t in synced_tables(stations[0].db.conn)}
        for (tbl, rid), (_, row) in latest.items():
            if row is not None:
                expected[tbl][rid] = {k: v for k, v in row.items() if k not in STATION_LOCAL}
        assert states[0] == expected
        check_losers_kept(factory, stations, oracle, latest)
        for s in stations:
            assert s.db.execute("SELECT count(*) FROM sync_outbox").fetchone()[0] == 0
            dup = s.db.execute("SELECT batch FROM sync_applied GROUP BY batch HAVING count(*) > 1").fetchall()
            assert dup == []
            s.close()


def check_losers_kept(factory, stations, oracle, latest) -> None:
    """A published version that lost (to a concurrent or later one) is kept in the history of every
    station that received it (it kept it aside, whatever the order of arrival) — except a station that
    edited the row after it, which replaced it by its own later version."""
    from store.sync import batch as batchfmt
    from store.sync.apply import BOOKKEEPING

    def content(row):
        return None if row is None else {k: v for k, v in row.items()
                                          if k not in BOOKKEEPING and k not in STATION_LOCAL}

    for name in batchfmt_names(factory):
        for rec in batchfmt.decode(factory.read(name), team_key()).records:
            if rec.op != "upsert" or rec.table not in ("people", "comments", "recordings"):
                continue
            if latest[(rec.table, rec.id)][0] == rec.version:
                continue
            others = [content(r) for (t, i, c, st_), r in oracle.items()
                      if (t, i) == (rec.table, rec.id) and (c, st_) != rec.version]
            if content(rec.row) in others:
                continue                   # nothing would be lost: same content as another version
            for s in stations:
                if s.station_id == rec.station or any(
                        (t, i, st_) == (rec.table, rec.id, s.station_id) and c > rec.clock
                        for (t, i, c, st_) in oracle):
                    continue               # it made a later version itself: a local edit, not a conflict
                kept = s.db.execute("SELECT 1 FROM sync_history WHERE tbl=? AND id=? AND clock=? AND station=?",
                                    [rec.table, rec.id, rec.clock, rec.station]).fetchone()
                assert kept, (rec.table, rec.id, rec.version)


def batchfmt_names(factory) -> list[str]:
    return [n for n in factory.names("batches/") if n.endswith(".json.gz")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=steps, offsets=skews)
def test_stations_converge_through_a_folder_hub(plan, offsets):
    check_scenario("folder", None, plan, offsets)


@pytest.fixture(scope="module")
def s3_endpoint(moto_server):
    return moto_server


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(plan=steps, offsets=skews)
def test_stations_converge_through_an_s3_hub(s3_endpoint, plan, offsets):
    check_scenario("s3", s3_endpoint, plan, offsets)
