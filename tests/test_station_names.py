"""A station's name row (the synced ``stations`` table) exists however the station is driven: opening it
publishes the name, the command line included, and an open with nothing new writes nothing."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from store.station import open_station
from store.stations import META_NAME, station_label
from store.sync import Syncer, open_hub, save_key
from test_sync_support import KEY_TEXT, team_key

from conftest import REPO


def rolecall(data_dir, *args: str) -> str:
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(data_dir), *args],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def read_only(data_dir) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{data_dir / 'rolecall.db'}?mode=ro", uri=True)


def test_a_station_driven_only_from_the_command_line_is_named_on_other_stations(tmp_path):
    booth, hub, key = tmp_path / "booth-cli", tmp_path / "hub", tmp_path / "team.key"
    hub.mkdir()
    key.write_text(KEY_TEXT)
    rolecall(booth, "kit", "list")                            # any command opens the station
    with read_only(booth) as db:
        station_id = db.execute("SELECT value FROM station WHERE key='station_id'").fetchone()[0]
        assert db.execute("SELECT name, station_id, deleted FROM stations WHERE id=?",
                          [station_id]).fetchall() == [("Station", station_id, 0)]
    rolecall(booth, "sync", "set-key", "--from-file", str(key))
    rolecall(booth, "sync", "--hub", str(hub))

    here = open_station(tmp_path / "here")
    try:
        save_key(here.data_dir, KEY_TEXT)
        report = Syncer(here, open_hub(str(hub)), team_key()).run()
        assert report.received_by_table.get("stations") == 1
        assert station_label(here, station_id) == "Station"       # not "another station (1a2b3c4d)"
    finally:
        here.close()


def test_opening_again_writes_nothing_when_the_name_is_current(tmp_path):
    open_station(tmp_path / "st").close()
    with read_only(tmp_path / "st") as db:
        before = db.execute("SELECT * FROM stations").fetchall()
        clock = db.execute("SELECT value FROM station WHERE key='clock'").fetchone()
    store = open_station(tmp_path / "st")
    try:
        assert store.db.conn.total_changes == 0                # not even the row rewritten as it was
        assert store.db.execute("SELECT * FROM stations").fetchall() == before
        assert store.db.execute("SELECT value FROM station WHERE key='clock'").fetchone() == clock
    finally:
        store.close()


def test_a_name_that_changed_without_being_published_is_published_at_the_next_open(tmp_path):
    store = open_station(tmp_path / "st")
    store.set_meta(META_NAME, "Booth 7, Porto")               # as a version before names travelled did
    old_clock = store.db.execute("SELECT clock FROM stations").fetchone()[0]
    store.close()
    store = open_station(tmp_path / "st")
    try:
        name, clock = store.db.execute("SELECT name, clock FROM stations WHERE id=?",
                                       [store.station_id]).fetchone()
        assert name == "Booth 7, Porto" and clock > old_clock   # a newer version: it wins at the hub
    finally:
        store.close()


def test_a_name_that_cannot_be_written_does_not_stop_the_station_opening(tmp_path, monkeypatch):
    import store.stations as stations

    def full_disk(_store):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(stations, "publish_name", full_disk)
    store = open_station(tmp_path / "st")                      # e.g. `rolecall report` on a full disk
    try:
        assert store.db.execute("SELECT count(*) FROM stations").fetchone() == (0,)
        assert store.station_name == "Station"
    finally:
        store.close()
    monkeypatch.undo()
    store = open_station(tmp_path / "st")                      # the next open tries again
    try:
        assert store.db.execute("SELECT name FROM stations").fetchall() == [("Station",)]
    finally:
        store.close()
