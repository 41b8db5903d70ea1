"""Issue #12, item 3: certifier PIN hashes are station-local. Sync never sends ``people.pin_hash``
(even if a row still holds one) and never writes one that arrives from an older station — not into
``people``, not into ``sync_history``."""
from __future__ import annotations

import uuid

import pytest

from store.sync import batch as batchfmt
from store.sync.folder_hub import FolderHub
from test_sync_security_support import new_station_id, person_row, publish, rec, sync
from test_sync_support import add_person, new_station, team_key

HASH = "scrypt$16384$8$1$c2FsdA==$aGFzaGhhc2hoYXNo"


@pytest.fixture
def hub(tmp_path):
    (tmp_path / "hub").mkdir()
    return FolderHub(tmp_path / "hub")


def _force_pin_hash(store, pid: str) -> None:
    """A row that still holds a hash (a database from before PINs moved, a trigger that is missing)."""
    with store.transaction() as db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND sql LIKE '%pin_hash%'"
                                  ).fetchall():
            db.execute(f'DROP TRIGGER "{name}"')
        db.execute("UPDATE people SET pin_hash=?, clock=clock+1 WHERE id=?", [HASH, pid])


def test_a_pin_hash_is_never_sent_even_if_a_row_still_holds_one(tmp_path, hub):
    a = new_station(tmp_path / "a")
    pid = add_person(a, "Eve Martin", role="certifier")
    _force_pin_hash(a, pid)
    assert a.db.execute("SELECT pin_hash FROM people WHERE id=?", [pid]).fetchone()[0] == HASH
    report = sync(a, hub)
    assert report.sent_by_table.get("people") == 1
    for name in hub.list("batches/"):
        raw = hub.get(name)
        assert b"pin_hash" not in batchfmt.read_header(raw)[1]
        batch = batchfmt.decode(raw, team_key())
        assert all("pin_hash" not in (r.row or {}) for r in batch.records)
    # and a resend does not send it either
    from store.sync import Syncer

    syncer = Syncer(a, hub, team_key())
    syncer.resend_all()
    syncer.run()
    assert all(b"pin_hash" not in batchfmt.read_header(hub.get(n))[1] for n in hub.list("batches/"))


@pytest.mark.parametrize("newer", [True, False])
def test_a_pin_hash_from_an_older_station_is_never_written(newer, tmp_path, hub):
    victim = new_station(tmp_path / "v")
    pid = add_person(victim, "Eve Martin", role="certifier")
    held = victim.db.execute("SELECT clock FROM people WHERE id=?", [pid]).fetchone()[0]
    old_station = new_station_id()
    clock = held + 10 if newer else max(held - 1, 0)
    row = person_row(pid, victim.station_id, clock, name="Eve Martin", role="certifier", pin_hash=HASH)
    new_pid = str(uuid.uuid4())
    publish(hub, old_station, 1, [rec("people", row, old_station),
                                  rec("people", person_row(new_pid, old_station, clock, pin_hash=HASH),
                                      old_station)])
    report = sync(victim, hub)
    assert report.ok, report.problems
    dump = victim.db.execute("SELECT group_concat(COALESCE(pin_hash, ''), '') FROM people").fetchone()[0]
    assert HASH not in (dump or "")
    history = victim.db.execute("SELECT group_concat(COALESCE(row, ''), '') FROM sync_history").fetchone()[0]
    assert HASH not in (history or "")
    assert victim.db.execute("SELECT count(*) FROM people WHERE id=?", [new_pid]).fetchone()[0] == 1
