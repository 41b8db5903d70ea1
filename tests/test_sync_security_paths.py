"""Issue #12, item 1: a batch signed with the team key must never choose where a file is written on a
station. A received take's file goes to media/sync/<sha256><suffix> (suffix from a short list), and
that is what the received row's media_path becomes here; the station's own takes keep their paths."""
from __future__ import annotations

import uuid

import pytest

from store.recordings import RecordingRepo
from store.sync import ensure_media
from store.sync.folder_hub import FolderHub
from test_sync_security_support import new_station_id, publish, put_media, rec, sync, take_row
from test_sync_support import add_take, new_station

PAYLOAD = b"attacker bytes " * 64


@pytest.fixture
def hub(tmp_path):
    (tmp_path / "hub").mkdir()
    return FolderHub(tmp_path / "hub")


def _hostile_take(store, hub, tmp_path, media_path, forge_station=True, seq=1):
    sha = put_media(hub, tmp_path, PAYLOAD)
    attacker = new_station_id()
    rid = str(uuid.uuid4())
    row = take_row(rid, store.station_id if forge_station else attacker, 7, media_path=media_path,
                   media_sha256=sha, media_size=len(PAYLOAD))
    publish(hub, attacker, seq, [rec("recordings", row, attacker)])
    return rid, sha


@pytest.mark.parametrize("target", ["sync.key", "rolecall.db", "absolute", "media/../sync.key"])
def test_a_synced_media_path_never_chooses_where_a_file_is_written(target, tmp_path, hub):
    victim = new_station(tmp_path / "v")
    (victim.data_dir / "sync.key").write_text("the team key\n")
    outside = tmp_path / "outside.txt"
    outside.write_text("a file of the person's")
    media_path = str(outside) if target == "absolute" else target
    db_before = (victim.data_dir / "rolecall.db").stat().st_size
    rid, sha = _hostile_take(victim, hub, tmp_path, media_path)
    report = sync(victim, hub, fetch_all_media=True)
    path = ensure_media(victim, rid, hub)
    assert (victim.data_dir / "sync.key").read_text() == "the team key\n"
    assert outside.read_text() == "a file of the person's"
    assert (victim.data_dir / "rolecall.db").stat().st_size >= db_before
    assert victim.db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    # the file went where this station decides, and the row says so
    assert path == victim.media_dir / "sync" / f"{sha}.mp4" and path.read_bytes() == PAYLOAD
    stored = victim.db.execute("SELECT media_path FROM recordings WHERE id=?", [rid]).fetchone()[0]
    assert stored == f"media/sync/{sha}.mp4"
    assert report.received_by_table.get("recordings") == 1


def test_a_forged_take_in_progress_does_not_make_the_station_upload_its_own_database(tmp_path, hub):
    """A row claiming this station's id, 'recording', pointing at rolecall.db: crash recovery used to
    hash the database, mark the take recovered and upload the database to the hub."""
    victim = new_station(tmp_path / "v")
    attacker = new_station_id()
    rid = str(uuid.uuid4())
    row = take_row(rid, victim.station_id, 3, status="recording", media_path="rolecall.db")
    publish(hub, attacker, 1, [rec("recordings", row, attacker)])
    sync(victim, hub)
    RecordingRepo(victim).recover_interrupted(probe=lambda *a, **k: (_ for _ in ()).throw(ValueError()))
    sync(victim, hub)
    db_bytes = (victim.data_dir / "rolecall.db").read_bytes()[:4096]
    for name in hub.list("media/"):
        assert hub.get(name)[:4096] != db_bytes


def test_the_stations_own_takes_keep_their_paths_when_edited_elsewhere(tmp_path, hub):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    take = add_take(a, None, b"own take" * 300)
    own_path = a.db.execute("SELECT media_path FROM recordings WHERE id=?", [take]).fetchone()[0]
    sync(a, hub), sync(b, hub)
    with b.transaction() as db:                         # b edits a's take (e.g. discards it)
        db.execute("UPDATE recordings SET status='discarded' WHERE id=?", [take])
    sync(b, hub), sync(a, hub)
    status, path = a.db.execute("SELECT status, media_path FROM recordings WHERE id=?", [take]).fetchone()
    assert status == "discarded" and path == own_path
    assert ensure_media(a, take, hub) == a.data_dir / own_path
    b_path = b.db.execute("SELECT media_path FROM recordings WHERE id=?", [take]).fetchone()[0]
    assert b_path.startswith("media/sync/") and b_path.endswith(".mp4")


@pytest.mark.parametrize("bad", ["../../rolecall", "ZZ" * 32, "ab" * 31, 12345])
def test_a_media_hash_that_is_not_a_sha256_is_refused(bad, tmp_path, hub):
    victim = new_station(tmp_path / "v")
    attacker = new_station_id()
    row = take_row(str(uuid.uuid4()), attacker, 3, media_path="x.db", media_sha256=bad, media_size=10)
    name = publish(hub, attacker, 1, [rec("recordings", row, attacker)])
    report = sync(victim, hub)
    assert any(name in p and "media hash" in p for p in report.problems), report.problems
    assert victim.db.execute("SELECT count(*) FROM recordings").fetchone()[0] == 0


def test_rows_received_before_this_fix_get_local_paths(tmp_path, hub):
    """A database that applied a hostile row with the old code: the next sync rewrites the row's path
    to the station's own choice (without sending anything)."""
    victim = new_station(tmp_path / "v")
    other = new_station_id()
    sha = "ab" * 32
    with victim.transaction() as db:
        db.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES('applying', '1')")
        db.execute("INSERT INTO recordings(id, created_at, station_id, clock, status, media_path, "
                   "media_sha256, media_size) VALUES('r1', 'x', ?, 5, 'take', 'sync.key', ?, 3)", [other, sha])
        db.execute("INSERT INTO sync_versions(tbl, id, clock, station) VALUES('recordings', 'r1', 5, ?)", [other])
        db.execute("DELETE FROM sync_state WHERE key='applying'")
    report = sync(victim, hub)
    assert report.sent_records == 0
    path = victim.db.execute("SELECT media_path FROM recordings WHERE id='r1'").fetchone()[0]
    assert path == f"media/sync/{sha}.mp4"
