"""Kill the real `rolecall sync` process (SIGKILL, via ROLECALL_SYNC_KILL_AT) at each stage, re-run it,
and check nothing is lost, nothing duplicated and no batch is half-visible — on both hubs."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from store.sync import batch as batchfmt
from test_sync_support import (KEY_TEXT, add_person, add_take, batch_names, dump, hubs,  # noqa: F401
                               logical_state, moto_server, new_station, team_key)

def new_station_seeded(path):
    return new_station(path, seed=True)


REPO = Path(__file__).resolve().parent.parent


def run_sync(data_dir: Path, factory, key_file: Path, kill_at: str | None = None):
    env = {k: v for k, v in os.environ.items() if k != "ROLECALL_SYNC_KILL_AT"}
    if kill_at:
        env["ROLECALL_SYNC_KILL_AT"] = kill_at
    return subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(data_dir), "sync",
                           *factory.cli_args(), "--key-file", str(key_file)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def published_versions(factory) -> Counter:
    versions = Counter()
    for name in batch_names(factory):
        batch = batchfmt.decode(factory.read(name), team_key())       # every batch whole and valid
        versions.update((r.table, r.id, r.clock, r.station) for r in batch.records)
    return versions


def make_station(path: Path) -> tuple[Path, int]:
    store = new_station_seeded(path)
    reps = [add_person(store, f"Rep {i}") for i in range(3)]
    for i, rep in enumerate(reps):
        add_take(store, rep, os.urandom(30_000 + i))
    rows = sum(len(t) for t in logical_state(store).values())
    store.close()
    return path, rows


@pytest.mark.parametrize("stage", ["after_media_upload", "after_batch_publish"])
def test_killed_while_pushing_then_rerun(hubs, tmp_path, stage):
    key_file = tmp_path / "team.key"
    key_file.write_text(KEY_TEXT)
    a_dir, rows = make_station(tmp_path / "a")
    killed = run_sync(a_dir, hubs, key_file, kill_at=stage)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if stage == "after_media_upload":
        assert len(hubs.names("media/")) == 3 and batch_names(hubs) == []
    else:
        assert len(batch_names(hubs)) == 1
    again = run_sync(a_dir, hubs, key_file)
    assert again.returncode == 0, again.stdout + again.stderr
    versions = published_versions(hubs)
    assert max(versions.values()) == 1                 # nothing published twice
    assert len(versions) == rows                       # nothing lost
    # a third run has nothing left to send
    third = run_sync(a_dir, hubs, key_file)
    assert "Sent 0 change(s)" in third.stdout
    # another station receives exactly the same state
    b = new_station_seeded(tmp_path / "b")
    b.close()
    assert run_sync(tmp_path / "b", hubs, key_file).returncode == 0
    assert run_sync(a_dir, hubs, key_file).returncode == 0      # a receives b's own kit versions
    a, b = new_station_seeded(a_dir), new_station_seeded(tmp_path / "b")
    assert dump(logical_state(a)) == dump(logical_state(b))
    a.close(), b.close()


def test_killed_before_recording_what_was_applied_then_rerun(hubs, tmp_path):
    key_file = tmp_path / "team.key"
    key_file.write_text(KEY_TEXT)
    a_dir, _ = make_station(tmp_path / "a")
    assert run_sync(a_dir, hubs, key_file).returncode == 0
    b = new_station_seeded(tmp_path / "b")
    b.close()
    killed = run_sync(tmp_path / "b", hubs, key_file, kill_at="before_mark_applied")
    assert killed.returncode == -signal.SIGKILL
    b = new_station_seeded(tmp_path / "b")
    # the batch being applied is all-or-nothing: none of a's rows are visible, nothing is recorded
    assert b.db.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    assert b.db.execute("SELECT count(*) FROM sync_applied WHERE station<>?", [b.station_id]).fetchone()[0] == 0
    assert b.db.execute("SELECT value FROM sync_state WHERE key='applying'").fetchone() is None
    b.close()
    again = run_sync(tmp_path / "b", hubs, key_file)
    assert again.returncode == 0, again.stderr
    assert run_sync(a_dir, hubs, key_file).returncode == 0
    a, b = new_station_seeded(a_dir), new_station_seeded(tmp_path / "b")
    assert dump(logical_state(a)) == dump(logical_state(b))
    applied = b.db.execute("SELECT batch, count(*) FROM sync_applied GROUP BY batch").fetchall()
    assert applied and all(n == 1 for _, n in applied)
    assert b.db.execute("SELECT count(*) FROM people").fetchone()[0] == 3
    a.close(), b.close()


def test_cli_reports_plain_errors_with_a_non_zero_exit(tmp_path):
    key_file = tmp_path / "team.key"
    key_file.write_text(KEY_TEXT)
    from test_sync_support import HubFactory

    missing = HubFactory("folder", tmp_path)
    missing.location = str(tmp_path / "no-such-drive")
    out = run_sync(tmp_path / "a", missing, key_file)
    assert out.returncode == 1 and "not there" in out.stderr
    good = HubFactory("folder", tmp_path / "h2") if (tmp_path / "h2").mkdir() is None else None
    assert run_sync(tmp_path / "a", good, key_file).returncode == 0
    wrong = tmp_path / "wrong.key"
    wrong.write_text("a different team key")
    out = run_sync(tmp_path / "b", good, wrong)
    assert out.returncode == 1 and "Key mismatch" in out.stderr


def test_a_batch_damaged_on_the_hub_is_repaired_by_resending(tmp_path):
    from test_sync_support import HubFactory

    key_file = tmp_path / "team.key"
    key_file.write_text(KEY_TEXT)
    factory = HubFactory("folder", tmp_path)
    a_dir, _ = make_station(tmp_path / "a")
    assert run_sync(a_dir, factory, key_file).returncode == 0
    for name in batch_names(factory):                       # a file-sync tool mangles a's batches
        factory.overwrite(name, factory.read(name)[:100])
    b_dir = tmp_path / "b"
    out = run_sync(b_dir, factory, key_file)
    assert out.returncode == 1 and "damaged or truncated" in out.stdout
    resend = subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(a_dir), "sync",
                             *factory.cli_args(), "--key-file", str(key_file), "--resend"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert resend.returncode == 0 and "again" in resend.stdout
    again = run_sync(b_dir, factory, key_file)
    assert again.returncode == 0, again.stdout             # the resend covers the damaged batches
    assert run_sync(a_dir, factory, key_file).returncode == 0
    a, b = new_station_seeded(a_dir), new_station_seeded(b_dir)
    assert dump(logical_state(a)) == dump(logical_state(b))  # nothing is missing any more
    a.close(), b.close()
