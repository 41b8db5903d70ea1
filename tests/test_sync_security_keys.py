"""Issue #12, item 8: batches are bound to the station that publishes them. Each station signs its
batches with its own Ed25519 key (kept in its database, never sent); other stations pin the first key
they see for a station id and refuse batches for that id signed by another key or, once it signs, not
signed at all. Someone holding only the team key can no longer publish as an existing station."""
from __future__ import annotations

import uuid

import pytest

from store.people import PeopleRepo
from store.sync import batch as batchfmt
from store.sync.batch import batch_name
from store.sync.folder_hub import FolderHub
from test_sync_security_support import ed25519, new_station_id, person_row, publish, rec, sync
from test_sync_support import add_person, new_station, team_key


@pytest.fixture
def hub(tmp_path):
    (tmp_path / "hub").mkdir()
    return FolderHub(tmp_path / "hub")


def _names(store) -> list[str]:
    return sorted(p.name for p in PeopleRepo(store).list())


def _next_seq(store) -> int:
    return int(store.db.execute("SELECT value FROM sync_state WHERE key='next_seq'").fetchone()[0])


def test_batches_carry_the_stations_public_key_and_a_valid_signature(tmp_path, hub):
    a = new_station(tmp_path / "a")
    add_person(a, "Ana")
    sync(a, hub)
    (name,) = hub.list("batches/")
    header, _ = batchfmt.read_header(hub.get(name))
    assert len(header["station_key"]) == 64 and len(header["station_sig"]) == 128
    private = a.get_meta("sync.signing_key")
    assert private and private not in hub.get(name).hex() and private.encode() not in hub.get(name)


def test_someone_with_only_the_team_key_cannot_publish_as_an_existing_station(tmp_path, hub):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    add_person(a, "Ana")
    sync(a, hub), sync(b, hub)
    seq = _next_seq(a)
    forged = publish(hub, a.station_id, seq, [rec("people", person_row(str(uuid.uuid4()), a.station_id, 99,
                                                                        name="Mallory", role="certifier"),
                                                  a.station_id)], signer=ed25519())
    unsigned = publish(hub, a.station_id, seq + 1,
                       [rec("people", person_row(str(uuid.uuid4()), a.station_id, 100, name="Mallory 2"),
                            a.station_id)])
    report = sync(b, hub)
    assert _names(b) == ["Ana"]
    assert any(forged in p and "different station key" in p for p in report.problems), report.problems
    assert any(unsigned in p and "not signed" in p for p in report.problems), report.problems


def test_a_forged_batch_under_the_stations_own_id_is_not_adopted_and_cannot_poison_its_sequence(
        tmp_path, hub):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    add_person(a, "Ana")
    sync(a, hub)
    for seq in (9_999_999_999, _next_seq(a)):           # far ahead, and the very next name
        publish(hub, a.station_id, seq, [rec("people", person_row(str(uuid.uuid4()), a.station_id, 50,
                                                                   name=f"Mallory {seq}"), a.station_id)],
                signer=ed25519())
    report = sync(a, hub)
    assert _names(a) == ["Ana"]
    assert any("publishing as this station" in p for p in report.problems), report.problems
    add_person(a, "Ben")
    sync(a, hub)                                        # a still publishes, past the taken name
    assert all(batchfmt.parse_name(n) for n in hub.list("batches/"))
    sync(b, hub)
    assert _names(b) == ["Ana", "Ben"]


def test_an_older_station_without_a_key_still_syncs_until_it_signs(tmp_path, hub):
    """Compatibility: a batch without a station signature (Rolecall before #12) is applied while
    its station has never signed; once it signs, the key is pinned and unsigned batches numbered after
    its first signed one are refused (earlier ones arriving late are still accepted)."""
    b = new_station(tmp_path / "b")
    old = new_station_id()
    key = ed25519()

    def person(name, clock):
        return [rec("people", person_row(str(uuid.uuid4()), old, clock, name=name), old)]

    publish(hub, old, 1, person("Old 1", 1))
    publish(hub, old, 3, person("Signed 3", 3), signer=key)
    report = sync(b, hub)
    assert _names(b) == ["Old 1", "Signed 3"], report.problems
    publish(hub, old, 2, person("Old 2 late", 2))               # a file-sync tool copied it late
    publish(hub, old, 4, person("Unsigned 4", 4))
    publish(hub, old, 5, person("Other key 5", 5), signer=ed25519())
    publish(hub, old, 6, person("Signed 6", 6), signer=key)
    report = sync(b, hub)
    assert _names(b) == ["Old 1", "Old 2 late", "Signed 3", "Signed 6"]
    assert sum(1 for p in report.problems if batch_name(old, 4) in p or batch_name(old, 5) in p) == 2


def test_a_batch_whose_station_signature_does_not_match_is_refused(tmp_path, hub):
    b = new_station(tmp_path / "b")
    other = new_station_id()
    key = ed25519()
    name = publish(hub, other, 1, [rec("people", person_row(str(uuid.uuid4()), other, 1), other)],
                   signer=key, header={})
    # re-sign the HMAC over a header whose station signature belongs to other content
    data = bytearray(hub.get(name))
    header, body = batchfmt.read_header(bytes(data))
    header.pop("hmac")
    header["created_at"] = "changed after signing"
    from test_sync_security_support import canonical
    header["hmac"] = team_key().sign(canonical(header))
    import gzip
    (hub.root / name).write_bytes(gzip.compress(canonical(header) + b"\n" + body))
    report = sync(b, hub)
    assert _names(b) == [] and any(name in p and "station signature" in p for p in report.problems)


def test_a_station_before_this_change_still_reads_the_new_signed_batches(tmp_path, hub):
    """Compatibility the other way: the decode of Rolecall before #12 (7157184, restated here) accepts
    a signed batch — the new header fields are covered by the team-key HMAC like any other — and a
    people row arrives without pin_hash, so an older station keeps its own hash."""
    import gzip
    import hashlib
    import json

    from test_sync_security_support import canonical

    a = new_station(tmp_path / "a")
    add_person(a, "Eve", role="certifier")
    sync(a, hub)
    (name,) = hub.list("batches/")
    raw = gzip.decompress(hub.get(name))
    head, _, body = raw.partition(b"\n")
    header = json.loads(head)
    assert header["format"] == "rolecall-batch/1" and "station_sig" in header
    assert len(body) == header["body_size"] and hashlib.sha256(body).hexdigest() == header["body_sha256"]
    signature = header.pop("hmac")
    assert header["key_id"] == team_key().key_id and team_key().verify(canonical(header), signature)
    records = json.loads(body)["records"]
    assert all(r["s"] == header["station"] for r in records)
    people = [r["row"] for r in records if r["t"] == "people"]
    assert people and all("pin_hash" not in row for row in people)


def test_a_station_that_lost_its_key_is_refused_until_forgotten_on_the_cli(tmp_path, hub):
    import subprocess
    import sys
    from pathlib import Path

    from test_sync_support import KEY_TEXT

    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    add_person(a, "Ana")
    sync(a, hub), sync(b, hub)
    with a.transaction() as db:                      # a's key is gone (a database restored from before)
        db.execute("DELETE FROM station WHERE key='sync.signing_key'")
    add_person(a, "Ben")
    sync(a, hub)
    report = sync(b, hub)
    assert _names(b) == ["Ana"] and any("forget-station-key" in p for p in report.problems)
    b.close()
    (tmp_path / "b" / "sync.key").write_text(KEY_TEXT)
    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(repo / "main.py"), "--data-dir", str(tmp_path / "b"), "sync",
                          "forget-station-key", a.station_id], capture_output=True, text=True, cwd=repo,
                         timeout=120)
    assert out.returncode == 0 and "Forgot" in out.stdout, out.stderr
    b = new_station(tmp_path / "b")
    assert sync(b, hub).ok and _names(b) == ["Ana", "Ben"]
