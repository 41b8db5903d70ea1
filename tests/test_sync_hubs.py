"""Sync end to end against both hubs (a temp folder; S3 over real HTTP on moto's server): media and
records arrive once, re-running changes nothing, and damaged, forged, wrongly-keyed and stray files
are reported and never applied."""
from __future__ import annotations

import gzip
import hashlib

import pytest

from store.people import PeopleRepo
from store.recordings import RecordingRepo
from store.sync import KeyMismatch, Syncer, SyncError, TeamKey, ensure_media
from store.sync.hub import media_name
from test_sync_support import (add_person, add_take, batch_names, dump, hubs, logical_state,  # noqa: F401
                               moto_server, new_station, team_key)


def sync(store, factory, **kw):
    hub = factory.hub()
    try:
        return Syncer(store, hub, kw.pop("key", None) or team_key(), **kw).run()
    finally:
        hub.close()


def test_round_trip_with_media_and_reruns_change_nothing(hubs, tmp_path):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    rep = add_person(a, "Ana Silva")
    take = add_take(a, rep, b"video bytes" * 500)
    first = sync(a, hubs)
    assert first.ok and first.sent_media == 1 and first.sent_records >= 2
    assert hubs.hub().media_size(hashlib.sha256(b"video bytes" * 500).hexdigest()) == 5500
    got = sync(b, hubs)
    assert got.ok and got.received_records >= 2
    assert PeopleRepo(b).get(rep).name == "Ana Silva"
    rec = RecordingRepo(b).get(take)
    assert rec.status == "take" and rec.media_sha256
    # media on demand: not there until the player asks, then fetched and verified
    assert not RecordingRepo(b).media_file(take).exists()
    path = ensure_media(b, take, hubs.hub())
    assert path.read_bytes() == b"video bytes" * 500
    # re-running anything changes nothing and sends nothing
    names = batch_names(hubs)
    for station in (a, b, a, b):
        again = sync(station, hubs)
        assert again.sent_records == 0 and again.received_records == 0 and again.ok
    assert batch_names(hubs) == names
    assert dump(logical_state(a)) == dump(logical_state(b))


def test_concurrent_edits_resolve_the_same_way_everywhere_and_the_loser_is_kept(hubs, tmp_path):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    pid = add_person(a, "Ben Okafor")
    sync(a, hubs), sync(b, hubs)
    PeopleRepo(a).update(pid, team="North")
    PeopleRepo(b).update(pid, team="South")
    PeopleRepo(b).update(pid, name="Ben O.")        # b's clock is further ahead
    for station in (a, b, a):
        sync(station, hubs)
    assert PeopleRepo(a).get(pid) == PeopleRepo(b).get(pid)
    assert PeopleRepo(a).get(pid).team == "South"
    lost = a.db.execute("SELECT row FROM sync_history WHERE tbl='people' AND id=?", [pid]).fetchall()
    assert any('"North"' in r[0] for r in lost)
    assert dump(logical_state(a)) == dump(logical_state(b))


def test_a_deletion_is_a_tombstone_an_older_version_cannot_undo(hubs, tmp_path):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    pid = add_person(a, "Cleo")
    sync(a, hubs), sync(b, hubs)
    PeopleRepo(b).update(pid, team="East")           # older than the delete below
    with a.transaction() as db:
        a.observe_clock(1000)
        db.execute("DELETE FROM people WHERE id=?", [pid])
    sync(a, hubs), sync(b, hubs), sync(a, hubs)
    assert PeopleRepo(a).get(pid) is None and PeopleRepo(b).get(pid) is None
    assert dump(logical_state(a)) == dump(logical_state(b))


def test_tampered_batch_is_refused_and_reported(hubs, tmp_path):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    add_person(a, "Dee")
    sync(a, hubs)
    name = batch_names(hubs)[0]
    raw = gzip.decompress(hubs.read(name))
    forged = raw.replace(b'"Dee"', b'"Eve"')
    hubs.overwrite(name, gzip.compress(forged))      # someone with write access edits a batch
    report = sync(b, hubs)
    assert not report.ok and any("signature" in p or "hash" in p for p in report.problems)
    assert PeopleRepo(b).list() == []
    # refused batches are not remembered as applied: fixed on the hub, they apply next time
    hubs.overwrite(name, gzip.compress(raw))
    assert sync(b, hubs).ok and [p.name for p in PeopleRepo(b).list()] == ["Dee"]


def test_forged_batch_with_recomputed_hash_fails_the_hmac(hubs, tmp_path):
    import json

    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    add_person(a, "Fay")
    sync(a, hubs)
    name = batch_names(hubs)[0]
    head, _, body = gzip.decompress(hubs.read(name)).partition(b"\n")
    header = json.loads(head)
    body = body.replace(b'"Fay"', b'"Mallory"')
    header["body_sha256"], header["body_size"] = hashlib.sha256(body).hexdigest(), len(body)
    hubs.overwrite(name, gzip.compress(json.dumps(header).encode() + b"\n" + body))
    report = sync(b, hubs)
    assert any("signature" in p for p in report.problems)
    assert PeopleRepo(b).list() == []


def test_truncated_batch_and_truncated_media_are_detected(hubs, tmp_path):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    rep = add_person(a, "Gus")
    payload = bytes(range(256)) * 40
    take = add_take(a, rep, payload)
    sync(a, hubs)
    sha = hashlib.sha256(payload).hexdigest()
    hubs.overwrite(media_name(sha), payload[:1000])          # a cut-off upload by another tool
    name = batch_names(hubs)[0]
    good = hubs.read(name)
    hubs.overwrite(name, good[: len(good) // 2])
    report = sync(b, hubs, fetch_all_media=True)
    assert any("damaged or truncated" in p for p in report.problems)
    assert RecordingRepo(b).get(take) is None
    hubs.overwrite(name, good)
    report = sync(b, hubs, fetch_all_media=True)
    assert any("damaged or truncated" in p for p in report.problems)     # the media, now
    assert not RecordingRepo(b).media_file(take).exists()
    with pytest.raises(SyncError, match="damaged"):
        ensure_media(b, take, hubs.hub())
    # the recording station repairs the damaged copy when it next pushes that media
    RecordingRepo(a).submit(take)
    sync(a, hubs)
    assert ensure_media(b, take, hubs.hub()).read_bytes() == payload


def test_wrong_key_is_refused_before_anything_moves(hubs, tmp_path):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    add_person(a, "Hal")
    sync(a, hubs)
    before = batch_names(hubs)
    add_person(b, "Ivy")
    with pytest.raises(KeyMismatch, match="Key mismatch"):
        sync(b, hubs, key=TeamKey.from_text("not the team key at all"))
    assert batch_names(hubs) == before
    assert [p.name for p in PeopleRepo(b).list()] == ["Ivy"]


def test_batch_signed_with_another_key_is_reported_as_such(hubs, tmp_path):
    from store.sync import batch as batchfmt
    from store.sync.batch import Batch, Record

    b = new_station(tmp_path / "b")
    sync(b, hubs)
    other = TeamKey.from_text("someone else's key")
    station = "00000000-0000-4000-8000-000000000001"
    rogue = Batch(station, 1, [Record("people", "p1", 5, station, "upsert",
                                      {"id": "p1", "created_at": "x", "station_id": station,
                                       "clock": 5, "name": "Rogue", "role": "certifier"})])
    hubs.hub().put_if_absent(rogue.name, batchfmt.encode(rogue, other))
    report = sync(b, hubs)
    assert any("different team key" in p for p in report.problems)
    assert PeopleRepo(b).list() == []


def test_conflict_copies_and_stray_files_are_ignored_with_a_warning(hubs, tmp_path):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    add_person(a, "Jo")
    sync(a, hubs)
    name = batch_names(hubs)[0]
    data = hubs.read(name)
    stem = name[: -len(".json.gz")]
    for stray in (f"{stem} (1).json.gz", f"{stem}.sync-conflict-20261123-104200.json.gz",
                  "batches/.DS_Store", f"{stem} (conflicted copy).json.gz"):
        hubs.overwrite(stray, data)
    report = sync(b, hubs)
    assert report.ok and len(report.warnings) == 4
    assert all("stray" in w for w in report.warnings)
    assert [p.name for p in PeopleRepo(b).list()] == ["Jo"]
    assert b.db.execute("SELECT count(*) FROM sync_applied WHERE station<>?", [b.station_id]).fetchone()[0] == 1


def test_publishing_never_overwrites(hubs):
    hub = hubs.hub()
    assert hub.put_if_absent("batches/x/one", b"first") is True
    assert hub.put_if_absent("batches/x/one", b"second") is False
    assert hub.get("batches/x/one") == b"first"


def test_a_take_still_recording_elsewhere_is_not_recovered_by_the_station_that_received_it(tmp_path):
    """recover_interrupted (#3) must only touch this station's takes: a bogus 'recovered' version of
    another station's take in progress could win everywhere."""
    from test_sync_support import HubFactory

    factory = HubFactory("folder", tmp_path)
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    rec = RecordingRepo(a).begin(None, None)                  # a is recording; an auto-sync runs
    sync(a, factory), sync(b, factory)
    b.close()
    b = new_station(tmp_path / "b", seed=True)                # b opens again: recover_interrupted runs
    assert RecordingRepo(b).get(rec.id).status == "recording"


def test_folder_hub_sweeps_temp_files_a_killed_sync_left_behind(tmp_path):
    import os
    import time

    from store.sync.folder_hub import FolderHub

    root = tmp_path / "hub"
    (root / ".tmp").mkdir(parents=True)
    old, fresh = root / ".tmp" / "old.part", root / ".tmp" / "fresh.part"
    old.write_bytes(b"half a batch"), fresh.write_bytes(b"someone writing now")
    day_ago = time.time() - 2 * 86400
    os.utime(old, (day_ago, day_ago))
    hub = FolderHub(root)
    assert hub.put_if_absent("batches/x/1", b"data")
    assert not old.exists() and fresh.exists()
    assert hub.list("batches/") == ["batches/x/1"]
