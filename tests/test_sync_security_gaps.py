"""Issue #12, item 5: a batch deleted from the hub (or never copied there) is noticed: the sync reports
which station's batches are missing and what to do, `rolecall sync status` shows it, later batches
still apply, and a resend from that station settles it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from store.people import PeopleRepo
from store.sync import Syncer, status
from store.sync.batch import batch_name
from store.sync.folder_hub import FolderHub
from test_sync_security_support import sync
from test_sync_support import KEY_TEXT, add_person, new_station, team_key

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def hub(tmp_path):
    (tmp_path / "hub").mkdir()
    return FolderHub(tmp_path / "hub")


def _five_batches(a, hub):
    for i in range(5):
        add_person(a, f"Person {i}")
        sync(a, hub)
    return [batch_name(a.station_id, seq) for seq in range(1, 6)]


def test_a_deleted_batch_is_reported_with_station_and_seqs_and_later_ones_still_apply(tmp_path, hub):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    names = _five_batches(a, hub)
    for gone in (names[1], names[2]):
        os.unlink(hub.root / gone)
    report = sync(b, hub)
    assert sorted(p.name for p in PeopleRepo(b).list()) == ["Person 0", "Person 3", "Person 4"]
    gap = [p for p in report.problems if "missing" in p]
    assert len(gap) == 1, report.problems
    assert a.station_id in gap[0] and "2-3" in gap[0] and "rolecall sync --resend" in gap[0]
    st = status(b)
    assert st.gaps and a.station_id in st.gaps[0]
    again = sync(b, hub)                        # still missing: still reported
    assert any("missing" in p for p in again.problems)
    # the publishing station resends; then nothing is missing and nothing is reported
    syncer = Syncer(a, hub, team_key())
    syncer.resend_all()
    syncer.run()
    fixed = sync(b, hub)
    assert fixed.ok, fixed.problems
    assert len(PeopleRepo(b).list()) == 5
    assert not status(b).gaps


def test_a_batch_applied_before_it_vanished_is_no_gap_but_a_newcomer_sees_one(tmp_path, hub):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    names = _five_batches(a, hub)
    sync(b, hub)
    os.unlink(hub.root / names[-1])             # b already applied 5: nothing missing for b
    add_person(a, "Person 5")
    sync(a, hub)
    report = sync(b, hub)
    assert report.ok, report.problems
    c = new_station(tmp_path / "c")             # c never saw 5
    late = sync(c, hub)
    assert any(a.station_id in p and "batch 5 " in p for p in late.problems), late.problems


def test_the_publishing_station_notices_its_own_batches_gone_from_the_hub(tmp_path, hub):
    a = new_station(tmp_path / "a")
    names = _five_batches(a, hub)
    os.unlink(hub.root / names[0])
    report = sync(a, hub)
    assert any("This station's" in p and "--resend" in p for p in report.problems), report.problems
    syncer = Syncer(a, hub, team_key())
    syncer.resend_all()
    assert syncer.run().ok


def test_sync_status_cli_shows_missing_batches(tmp_path, hub):
    a, b = new_station(tmp_path / "a"), new_station(tmp_path / "b")
    names = _five_batches(a, hub)
    os.unlink(hub.root / names[1])
    sync(b, hub)
    b.close()
    (tmp_path / "b" / "sync.key").write_text(KEY_TEXT)
    out = subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(tmp_path / "b"), "sync",
                          "status"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Missing" in out.stdout and a.station_id in out.stdout and "--resend" in out.stdout
