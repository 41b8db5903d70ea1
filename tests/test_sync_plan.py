"""Pure parts of sync (planning, the batch format) and the change-tracking triggers, without a hub."""
from __future__ import annotations

import errno
import gzip

import pytest

from store.people import PeopleRepo
from store.sync import batch as batchfmt
from store.sync import status
from store.sync.batch import Batch, BadBatch, Record
from store.sync.errors import DiskFull, HubUnreachable, os_error
from store.sync.keys import TeamKey
from store.sync.plan import Pending, plan_pull, plan_push
from store.sync.tables import ensure_tracking, synced_tables
from test_sync_support import add_person, new_station, team_key

ME, OTHER = "a" * 8 + "-0000-4000-8000-000000000001", "b" * 8 + "-0000-4000-8000-000000000002"


def pending(tid, clock=5, op="upsert", version=None, media=None, size=None):
    row = None if op == "delete" else {"id": tid, "clock": clock, "media_sha256": media}
    return Pending("recordings", tid, clock, op, version or (clock, ME), row, media, size)


def test_plan_push_sends_current_versions_in_sequenced_batches():
    items = [pending(f"r{i}", clock=i + 1) for i in range(7)]
    plan = plan_push(items, ME, 4, local_media={}, hub_media={}, max_records=3)
    assert [b.seq for b in plan.batches] == [4, 5, 6]
    assert [len(b.records) for b in plan.batches] == [3, 3, 1]
    assert [r.id for b in plan.batches for r in b.records] == [f"r{i}" for i in range(7)]
    assert all(r.station == ME for b in plan.batches for r in b.records)


def test_plan_push_drops_superseded_entries_and_defers_records_without_media():
    superseded = pending("old", clock=3, version=(9, OTHER))       # a newer remote version won
    no_media = pending("nomedia", media="f" * 64, size=10)
    on_hub = pending("onhub", media="e" * 64, size=10)
    local = pending("local", media="d" * 64, size=10)
    tomb = pending("gone", op="delete")
    plan = plan_push([superseded, no_media, on_hub, local, tomb], ME, 1,
                     local_media={"d" * 64: ("/x/d.mp4", 10)}, hub_media={"e" * 64: 10, "f" * 64: None})
    assert plan.drop == [superseded]
    assert [p.id for p, _ in plan.deferred] == ["nomedia"]
    assert [u.sha256 for u in plan.uploads] == ["d" * 64]
    sent = {r.id: r for r in plan.batches[0].records}
    assert set(sent) == {"onhub", "local", "gone"} and sent["gone"].row is None
    assert plan.batches[0].media == ["d" * 64, "e" * 64]


def test_plan_push_reuploads_a_damaged_hub_copy():
    item = pending("r", media="d" * 64, size=10)
    plan = plan_push([item], ME, 1, local_media={"d" * 64: ("/x", 10)}, hub_media={"d" * 64: 4})
    assert [u.sha256 for u in plan.uploads] == ["d" * 64]


def test_plan_pull_orders_skips_applied_and_lists_strays():
    names = [batchfmt.batch_name(OTHER, 2), batchfmt.batch_name(ME, 1), batchfmt.batch_name(OTHER, 1),
             f"batches/{OTHER}/0000000001 (1).json.gz", "batches/.DS_Store", "rolecall-hub.json",
             "media/ab/" + "ab" * 32]
    plan = plan_pull(names, {batchfmt.batch_name(OTHER, 1)})
    assert [(r.station, r.seq) for r in plan.to_apply] == [(ME, 1), (OTHER, 2)]
    assert plan.strays == [f"batches/{OTHER}/0000000001 (1).json.gz", "batches/.DS_Store"]
    assert len(plan_pull(names, set(), limit=1).to_apply) == 1


def test_batch_round_trip_and_every_kind_of_damage():
    key = team_key()
    batch = Batch(ME, 3, [Record("people", "p", 4, ME, "upsert", {"id": "p", "name": "Zoë", "pin": b"\x00\x01"}),
                          Record("people", "q", 5, ME, "delete")], ["c" * 64])
    data = batchfmt.encode(batch, key)
    back = batchfmt.decode(data, key, expect=(ME, 3))
    assert back.records == batch.records and back.media == ["c" * 64]
    with pytest.raises(BadBatch) as err:
        batchfmt.decode(data[:-9], key)
    assert err.value.kind == "damaged"
    with pytest.raises(BadBatch) as err:
        batchfmt.decode(data, TeamKey.from_text("another team's key"))
    assert err.value.kind == "key"
    with pytest.raises(BadBatch) as err:
        batchfmt.decode(data, key, expect=(ME, 4))                  # renamed to another sequence
    assert err.value.kind == "forged"
    raw = gzip.decompress(data).replace("Zoë".encode(), b"Eve")
    with pytest.raises(BadBatch) as err:
        batchfmt.decode(gzip.compress(raw), key)
    assert err.value.kind == "damaged"


def test_triggers_tick_forgotten_clocks_and_queue_every_change(tmp_path):
    store = new_station(tmp_path / "s")
    status(store)
    pid = add_person(store, "Ana")
    clock = store.db.execute("SELECT clock FROM people WHERE id=?", [pid]).fetchone()[0]
    with store.transaction() as db:                       # an update that forgets to tick
        db.execute("UPDATE people SET team='East' WHERE id=?", [pid])
    after = store.db.execute("SELECT clock FROM people WHERE id=?", [pid]).fetchone()[0]
    assert after > clock
    assert store.db.execute("SELECT clock, op FROM sync_outbox WHERE id=?", [pid]).fetchone() == (after, "upsert")
    assert store.db.execute("SELECT station FROM sync_versions WHERE id=?", [pid]).fetchone()[0] == store.station_id
    PeopleRepo(store).update(pid, name="Ana S.")          # ticks itself: kept as it is
    with store.transaction() as db:
        db.execute("DELETE FROM people WHERE id=?", [pid])
    assert store.db.execute("SELECT op FROM sync_outbox WHERE id=?", [pid]).fetchone()[0] == "delete"
    assert store.db.execute("SELECT reason FROM sync_history WHERE id=?", [pid]).fetchone()[0] == "deleted here"


def test_a_table_added_by_a_later_migration_syncs_without_sync_knowing(tmp_path):
    from store.sync import Syncer
    from test_sync_support import HubFactory

    factory = HubFactory("folder", tmp_path)
    stations = [new_station(tmp_path / n) for n in "ab"]
    for s in stations:                                    # e.g. a feature's new table in migration vN
        with s.transaction() as db:
            db.execute("CREATE TABLE badges (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, "
                       "station_id TEXT NOT NULL, clock INTEGER NOT NULL DEFAULT 0, title TEXT)")
    a, b = stations
    with a.transaction() as db:
        f = a.record_fields()
        db["badges"].insert({**f, "title": "Closer"})
    assert "badges" in synced_tables(a.db.conn)
    Syncer(a, factory.hub(), team_key()).run()
    Syncer(b, factory.hub(), team_key()).run()
    assert b.db.execute("SELECT title FROM badges").fetchall() == [("Closer",)]


def test_local_tables_never_sync(tmp_path):
    store = new_station(tmp_path / "s")
    with store.transaction() as db:
        ensure_tracking(db.conn)
    tables = synced_tables(store.db.conn)
    assert "station" not in tables and "transcription_jobs" not in tables
    assert not [t for t in tables if t.startswith("sync_")]
    assert {"people", "recordings", "scorecards", "scores", "signoffs", "comments", "events"} <= set(tables)


def test_plain_errors_for_os_failures():
    assert isinstance(os_error(OSError(errno.ENOSPC, "No space left"), "x"), DiskFull)
    assert "disk is full" in str(os_error(OSError(errno.ENOSPC, "No space left"), "x"))
    assert isinstance(os_error(OSError(errno.EHOSTDOWN, "Host is down"), "x"), HubUnreachable)


def test_team_key_file_is_private_and_never_in_the_database(tmp_path):
    import os
    import stat

    from store.sync import load_key, save_key

    store = new_station(tmp_path / "s")
    key = save_key(store.data_dir, "  the team key  ")
    mode = stat.S_IMODE(os.stat(store.data_dir / "sync.key").st_mode)
    assert mode == 0o600
    assert load_key(store.data_dir).key_id == key.key_id == TeamKey.from_text("the team key").key_id
    dump = "\n".join(store.db.conn.iterdump())
    assert "the team key" not in dump
    with pytest.raises(Exception, match="at least 8"):
        save_key(store.data_dir, "short")


def test_s3_hub_that_cannot_be_reached_says_so(tmp_path, monkeypatch):
    from store.sync import HubUnreachable, Syncer, open_hub

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    store = new_station(tmp_path / "s")
    hub = open_hub("s3://rolecall-hub/kickoff", "http://127.0.0.1:9")    # nothing listens there
    with pytest.raises(HubUnreachable, match="not reachable"):
        Syncer(store, hub, team_key()).run()


def test_rows_written_before_sync_existed_are_all_sent_whatever_their_station_id(tmp_path):
    """Demo data and imports write rows with other stations' ids before this station ever synced."""
    from store.sync import Syncer
    from test_sync_support import HubFactory

    factory = HubFactory("folder", tmp_path)
    a = new_station(tmp_path / "a")
    with a.transaction() as db:
        for name in ("Imported One", "Imported Two"):
            f = a.record_fields()
            db["people"].insert({**f, "station_id": "imported-elsewhere", "updated_at": f["created_at"],
                                 "name": name, "role": "rep"})
    report = Syncer(a, factory.hub(), team_key()).run()      # first sync: tracking adopts the table
    assert report.sent_by_table.get("people") == 2
    b = new_station(tmp_path / "b")
    Syncer(b, factory.hub(), team_key()).run()
    assert sorted(p.name for p in PeopleRepo(b).list()) == ["Imported One", "Imported Two"]


def test_tracking_does_not_stop_a_later_migration_from_dropping_a_column(tmp_path):
    store = new_station(tmp_path / "s")
    status(store)                                        # triggers installed on every synced table
    pid = add_person(store, "Gil")
    with store.transaction() as db:
        db.execute("ALTER TABLE people DROP COLUMN hidden")
        ensure_tracking(db.conn)                         # triggers refreshed for the new columns
        db.execute("DELETE FROM people WHERE id=?", [pid])
    assert store.db.execute("SELECT op FROM sync_outbox WHERE id=?", [pid]).fetchone()[0] == "delete"
