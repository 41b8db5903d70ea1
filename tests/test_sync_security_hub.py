"""Issue #12: hostile things on the hub itself (not only inside batches) — a FIFO where a batch or the
hub's marker should be, a batch nested thousands of levels deep, a batch bigger than any station
writes on S3 — and a station's own rows too big for one batch: reported, bounded, never a hang."""
from __future__ import annotations

import gzip
import os
import uuid

import pytest

from store.people import PeopleRepo
from store.sync import HubError, Syncer
from store.sync.batch import batch_name
from store.sync.folder_hub import FolderHub
from store.sync.hub import BlobTooLarge
from store.sync.plan import Pending, plan_push
from test_sync_security_support import new_station_id, person_row, publish, rec, sync
from test_sync_support import add_person, moto_server, new_station, team_key  # noqa: F401


@pytest.fixture
def hub(tmp_path):
    (tmp_path / "hub").mkdir()
    return FolderHub(tmp_path / "hub")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_in_place_of_a_batch_or_the_marker_never_blocks_a_sync(tmp_path, hub):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    add_person(a, "Ana")
    sync(a, hub)
    fifo = hub.root / batch_name(new_station_id(), 1)
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    report = sync(b, hub)                                 # the FIFO is not listed, so never opened
    assert report.ok and [p.name for p in PeopleRepo(b).list()] == ["Ana"]
    (hub.root / "rolecall-hub.json").unlink()
    os.mkfifo(hub.root / "rolecall-hub.json")
    with pytest.raises(HubError, match="not a regular file"):
        sync(b, hub)


@pytest.mark.parametrize("where", ["header", "body"])
def test_json_nested_deeper_than_python_can_parse_is_reported(where, tmp_path, hub):
    victim = new_station(tmp_path / "v")
    attacker = new_station_id()
    deep = b"[" * 200_000 + b"]" * 200_000
    if where == "body":
        name = publish(hub, attacker, 1, [{}], body=deep)
    else:
        name = batch_name(attacker, 1)
        hub.put_if_absent(name, gzip.compress(deep + b"\n{}"))
    publish(hub, attacker, 2, [rec("people", person_row(str(uuid.uuid4()), attacker, 3, name="Later"), attacker)])
    report = sync(victim, hub)
    assert any(name in p for p in report.problems), report.problems
    assert [p.name for p in PeopleRepo(victim).list()] == ["Later"]


def test_s3_hub_reads_a_blob_only_up_to_the_limit(moto_server, tmp_path):
    from test_sync_support import HubFactory

    factory = HubFactory("s3", tmp_path, moto_server)
    s3 = factory.hub()
    assert s3.put_if_absent("batches/x/big", b"x" * 5000)
    with pytest.raises(BlobTooLarge):
        s3.get("batches/x/big", max_bytes=4999)
    assert s3.get("batches/x/big", max_bytes=5000) == b"x" * 5000


def test_a_station_splits_big_rows_into_batches_receivers_accept_and_refuses_a_giant_one():
    me = str(uuid.uuid4())
    rows = [Pending("transcripts", f"t{i}", i + 1, "upsert", (i + 1, me),
                    {"id": f"t{i}", "clock": i + 1, "text": "w" * 1_000_000}) for i in range(40)]
    giant = Pending("transcripts", "huge", 99, "upsert", (99, me), {"id": "huge", "text": "w" * 30_000_000})
    plan = plan_push(rows + [giant], me, 1, local_media={}, hub_media={})
    assert sum(len(b.records) for b in plan.batches) == 40 and len(plan.batches) >= 3
    assert [p.id for p, why in plan.deferred] == ["huge"]
    from store.sync import batch as batchfmt

    for b in plan.batches:                                 # every batch unpacks within the limit
        assert len(gzip.decompress(batchfmt.encode(b, team_key()))) < batchfmt.MAX_BATCH_BYTES // 2


def test_a_giant_row_of_the_station_is_reported_not_sent(tmp_path, hub):
    a = new_station(tmp_path / "a")
    pid = add_person(a, "Ana")
    with a.transaction() as db:
        db.execute("UPDATE people SET team=? WHERE id=?", ["t" * 30_000_000, pid])
    report = Syncer(a, hub, team_key()).run()
    assert any("too large" in p and pid in p for p in report.problems), report.problems
