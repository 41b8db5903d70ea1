"""Issue #12, items 2 and 4: a batch that is huge when unpacked, or carries values no station could
have made (clocks past any real count, rows that are not rows, numbers SQLite cannot hold), is reported
and not applied, and the station keeps working: later batches apply, later writes succeed."""
from __future__ import annotations

import gzip
import hashlib
import json
import tracemalloc
import uuid
import zlib

import pytest

from store.people import PeopleRepo
from store.sync.batch import batch_name
from store.sync.folder_hub import FolderHub
from test_sync_security_support import (canonical, new_station_id, person_row, publish, raw_batch, rec, sync)
from test_sync_support import add_person, new_station, team_key


@pytest.fixture
def hub(tmp_path):
    (tmp_path / "hub").mkdir()
    return FolderHub(tmp_path / "hub")


def _bomb(station: str, unpacked: int) -> bytes:
    """A valid, signed header followed by ``unpacked`` bytes of spaces, streamed into gzip (a few
    hundred kB on the hub)."""
    key = team_key()
    body_hash = hashlib.sha256()
    chunk = b" " * (1 << 20)
    for _ in range(unpacked // len(chunk)):
        body_hash.update(chunk)
    head = {"format": "rolecall-batch/1", "station": station, "seq": 1, "created_at": "x", "records": 0,
            "body_size": unpacked, "body_sha256": body_hash.hexdigest(), "media": [], "key_id": key.key_id}
    head["hmac"] = key.sign(canonical(head))
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [comp.compress(canonical(head) + b"\n")]
    for _ in range(unpacked // len(chunk)):
        out.append(comp.compress(chunk))
    out.append(comp.flush())
    return b"".join(out)


def test_a_gzip_bomb_is_reported_as_too_large_without_unpacking_it_and_other_batches_apply(tmp_path, hub):
    a, victim = new_station(tmp_path / "a"), new_station(tmp_path / "v")
    add_person(a, "Honest Hana")
    sync(a, hub)
    attacker = new_station_id()
    bomb = _bomb(attacker, 512 << 20)
    assert len(bomb) < 1 << 20
    name = batch_name(attacker, 1)
    hub.put_if_absent(name, bomb)
    tracemalloc.start()
    try:
        report = sync(victim, hub)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [p.name for p in PeopleRepo(victim).list()] == ["Honest Hana"]
    assert any(name in p and "too large" in p for p in report.problems), report.problems
    assert peak < 200 << 20, f"peak {peak >> 20} MiB while reading a 512 MiB bomb"
    again = sync(victim, hub)                           # reported each time, never applied
    assert any("too large" in p for p in again.problems)


def test_a_batch_file_too_large_on_the_hub_is_not_read_whole(tmp_path, hub):
    from store.sync import batch as batchfmt

    victim = new_station(tmp_path / "v")
    attacker = new_station_id()
    name = batch_name(attacker, 1)
    size = batchfmt.MAX_BATCH_BYTES + 1024
    (hub.root / name).parent.mkdir(parents=True)
    with open(hub.root / name, "wb") as fh:            # sparse: a huge file that costs no disk
        fh.truncate(size)
    report = sync(victim, hub)
    assert any(name in p and "too large" in p for p in report.problems), report.problems


CLOCK_PROBES = {
    "record clock 2^63-1": lambda pid, s: rec("people", person_row(pid, s, 5), s, clock=2**63 - 1),
    "row clock 2^63-1": lambda pid, s: rec("people", person_row(pid, s, 2**63 - 1), s, clock=5),
    "record clock 2^53": lambda pid, s: rec("people", person_row(pid, s, 5), s, clock=2**53),
    "negative clock": lambda pid, s: rec("people", person_row(pid, s, 5), s, clock=-4),
    "clock as text": lambda pid, s: rec("people", person_row(pid, s, 5), s, clock="12"),
    "clock true": lambda pid, s: rec("people", person_row(pid, s, 5), s, clock=True),
    "int too big for SQLite": lambda pid, s: rec("people", person_row(pid, s, 5, hidden=2**70), s),
    "row is a list": lambda pid, s: {**rec("people", person_row(pid, s, 5), s), "row": [1, 2]},
    "row is missing": lambda pid, s: {**rec("people", person_row(pid, s, 5), s), "row": None},
    "column value is a list": lambda pid, s: rec("people", person_row(pid, s, 5, team=["a"]), s),
    "unknown op": lambda pid, s: {**rec("people", person_row(pid, s, 5), s), "op": "drop"},
    "empty id": lambda pid, s: {**rec("people", person_row(pid, s, 5), s), "id": ""},
    "id is a dict": lambda pid, s: {**rec("people", person_row(pid, s, 5), s), "id": {"x": 1}},
    "bad base64": lambda pid, s: rec("people", person_row(pid, s, 5, team={"$b64": "!!"}), s),
}


@pytest.mark.parametrize("probe", sorted(CLOCK_PROBES))
def test_out_of_range_or_ill_typed_records_are_reported_and_the_station_keeps_working(probe, tmp_path, hub):
    victim = new_station(tmp_path / "v")
    attacker = new_station_id()
    pid = str(uuid.uuid4())
    body = json.dumps({"records": [CLOCK_PROBES[probe](pid, attacker)]}, allow_nan=True,
                      sort_keys=True, separators=(",", ":")).encode()
    name = publish(hub, attacker, 1, [{}], body=body)
    publish(hub, attacker, 2, [rec("people", person_row(str(uuid.uuid4()), attacker, 6, name="Later"),
                                   attacker)])
    report = sync(victim, hub)
    assert any(p.startswith(f"Not applied: {name}") for p in report.problems), report.problems
    assert victim.db.execute("SELECT count(*) FROM people WHERE id=?", [pid]).fetchone()[0] == 0
    assert [p.name for p in PeopleRepo(victim).list()] == ["Later"]      # later batches still apply
    PeopleRepo(victim).add("After the probe", "rep")                      # and writes still work
    clock = int(victim.get_meta("clock"))
    assert 0 < clock < 2**53


@pytest.mark.parametrize("resend", [[2, 1000], [2, 10**12], ["a", 1], [1, 1], [9, 1]])
def test_a_resend_range_beyond_the_batch_cannot_swallow_the_stations_future_batches(resend, tmp_path, hub):
    victim = new_station(tmp_path / "v")
    attacker = new_station_id()
    publish(hub, attacker, 1, [rec("people", person_row(str(uuid.uuid4()), attacker, 3, name="One"), attacker)])
    publish(hub, attacker, 2, [rec("people", person_row(str(uuid.uuid4()), attacker, 4, name="Two"), attacker)],
            header={"resend": resend})
    sync(victim, hub)
    publish(hub, attacker, 3, [rec("people", person_row(str(uuid.uuid4()), attacker, 5, name="Three"),
                                   attacker)])
    report = sync(victim, hub)
    assert "Three" in [p.name for p in PeopleRepo(victim).list()], report.problems
    assert victim.db.execute("SELECT count(*) FROM sync_applied").fetchone()[0] < 10


def test_hub_marker_that_is_not_an_object_is_reported_not_a_crash(tmp_path, hub):
    victim = new_station(tmp_path / "v")
    (hub.root / "rolecall-hub.json").write_text("[1, 2]")
    report = sync(victim, hub)
    assert any("rolecall-hub.json" in w for w in report.warnings)


def test_a_batch_whose_header_is_not_an_object_or_has_bad_fields_is_reported(tmp_path, hub):
    victim = new_station(tmp_path / "v")
    attacker = new_station_id()
    names = []
    for seq, head in enumerate([{"media": ["../x"]}, {"records": "many"}, {"seq": 1.5}], start=1):
        names.append(publish(hub, attacker, seq, [], header=head))
    hub.put_if_absent(batch_name(attacker, 4), gzip.compress(b"[1]\n{}"))
    names.append(batch_name(attacker, 4))
    report = sync(victim, hub)
    for name in names:
        assert any(p.startswith(f"Not applied: {name}") for p in report.problems), (name, report.problems)


def test_a_station_whose_clock_a_batch_already_broke_writes_again_after_its_next_sync(tmp_path, hub):
    """A database that applied a 2^63-1 clock before #12: every write overflowed. The next sync brings
    clocks above 2^53-1 down to it (once, quietly), and writes and edits work again."""
    victim = new_station(tmp_path / "v")
    pid = add_person(victim, "Ana")
    with victim.transaction() as db:
        db.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES('applying', '1')")
        db.execute("UPDATE people SET clock=? WHERE id=?", [2**63 - 1, pid])
        db.execute("UPDATE station SET value=? WHERE key='clock'", [str(2**63 - 1)])
        db.execute("DELETE FROM sync_state WHERE key='applying'")
    with pytest.raises(OverflowError):
        PeopleRepo(victim).add("Before the repair", "rep")
    sync(victim, hub)
    PeopleRepo(victim).add("After the repair", "rep")
    PeopleRepo(victim).update(pid, team="North")
    assert int(victim.get_meta("clock")) < 2**53 + 10
    assert sync(victim, hub).ok
