"""The station-local statement queue (store/xapi/queue.py, migration v10): off until an LRS is set up,
backfilled then, filled by triggers as records are made, never synced, and marking records that
arrive by sync as made elsewhere."""
from __future__ import annotations

import json

from store.scores import ScoreRepo
from store.sync import Syncer
from store.sync.folder_hub import FolderHub
from store.sync.tables import synced_tables
from store.xapi import queue
from test_sync_support import team_key
from xapi_support import add_person, first_exercise, score, submitted_take


def rows(store):
    return store.db.execute("SELECT kind, record_id, origin, state FROM xapi_queue ORDER BY seq").fetchall()


def test_nothing_is_queued_until_an_lrs_is_set_up_then_history_is_backfilled(store):
    rep, peer = add_person(store, "Ana Lopez"), add_person(store, "Bo Chen")
    exercise, rubric = first_exercise(store)
    take = submitted_take(store, rep, exercise)
    score(store, take, peer, rubric)
    assert rows(store) == []
    assert queue.enable(store) == 3                       # attempted, completed, scored
    assert queue.enable(store) == 0                       # idempotent
    assert [(k, o, s) for k, _r, o, s in rows(store)] == [("attempted", "here", "queued"),
                                                          ("completed", "here", "queued"),
                                                          ("scored", "here", "queued")]


def test_records_queue_their_statements_as_they_are_made(store):
    queue.enable(store)
    rep, peer, coach = add_person(store, "Ana Lopez"), add_person(store, "Bo Chen"), add_person(store, "Cy Coach", "coach")
    exercise, rubric = first_exercise(store)
    take = submitted_take(store, rep, exercise)
    first = score(store, take, peer, rubric, 3)
    revised = score(store, take, peer, rubric, 4)          # a revision supersedes the first
    ScoreRepo(store).promote_exemplar(take, coach, "clear opener")
    program = store.db.execute("SELECT id FROM programs LIMIT 1").fetchone()[0]
    with store.transaction(durable=True) as db:
        f = store.record_fields()
        db["signoffs"].insert({**f, "rep_id": rep, "program_id": program, "certifier_id": coach,
                               "decision": "needs_rework", "decided_at": f["created_at"], "evidence": json.dumps([take])})
    kinds = [(k, r) for k, r, _o, _s in rows(store)]
    assert kinds[:3] == [("attempted", take), ("completed", take), ("scored", first.id)]
    assert ("scored", revised.id) in kinds and ("voided", revised.id) in kinds
    assert ("exemplar", store.db.execute("SELECT id FROM exemplars").fetchone()[0]) in kinds
    assert ("decision", f["id"]) in kinds
    counts = queue.counts(store, "own")
    assert counts.queued == len(kinds) == 7 and counts.queued_by_kind["scored"] == 2


def test_the_queue_never_syncs(store):
    assert "xapi_queue" not in synced_tables(store.db.conn)
    cols = [r[1] for r in store.db.execute("PRAGMA table_info(xapi_queue)")]
    assert not {"station_id", "clock"} & set(cols)


def test_records_received_by_sync_are_marked_made_elsewhere(tmp_path):
    from store.station import open_station

    key = team_key()
    (tmp_path / "hub").mkdir()
    hub = FolderHub(tmp_path / "hub")
    a, b = open_station(tmp_path / "a"), open_station(tmp_path / "b")
    queue.enable(a), queue.enable(b)
    rep, peer = add_person(a, "Ana Lopez"), add_person(a, "Bo Chen")
    exercise, rubric = first_exercise(a)
    take = submitted_take(a, rep, exercise)
    score(a, take, peer, rubric)
    Syncer(a, hub, key).run()
    Syncer(b, hub, key).run()
    got = rows(b)
    assert {(k, o) for k, _r, o, _s in got} == {("attempted", "received"), ("completed", "received"),
                                                ("scored", "received")}
    own, every = queue.counts(b, "own"), queue.counts(b, "all")
    assert own.queued == 0 and own.elsewhere == 3 and every.queued == 3
    assert queue.next_batch(b, "own", 10) == [] and len(queue.next_batch(b, "all", 10)) == 3
    assert {o for _k, _r, o, _s in rows(a)} == {"here"}
    a.close(), b.close()


def test_enable_since_a_date_and_requeue_for_a_new_lrs(store):
    rep = add_person(store, "Ana Lopez")
    exercise, _rubric = first_exercise(store)
    old = submitted_take(store, rep, exercise)
    with store.transaction() as db:
        db.execute("UPDATE recordings SET started_at='2020-01-01T10:00:00.000Z', submitted_at='2020-01-01T10:05:00.000Z' "
                   "WHERE id=?", [old])
    new = submitted_take(store, rep, exercise)
    assert queue.enable(store, since="2021-01-01T00:00:00.000Z") == 2
    assert {r for _k, r, _o, _s in rows(store)} == {new}
    seqs = [q.seq for q in queue.next_batch(store, "own", 10)]
    queue.mark(store, sent=seqs[:1], held={seqs[1]: "HTTP 400: bad"})
    assert queue.held(store) == [("completed", new, "HTTP 400: bad")]
    assert queue.retry_held(store) == 1
    assert queue.requeue_all(store) == 1
    assert queue.counts(store, "own").queued == 2
