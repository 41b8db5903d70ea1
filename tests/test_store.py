"""The station store: opening, migrations, transactions, damaged files and bad data dirs."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import threading

import pytest

from store import schema
from store.db import (CorruptDatabaseError, DataDirError, NewerDatabaseError, move_aside, open_store)
from store.people import PeopleError, PeopleRepo
from store.station import open_station


def test_fresh_store_is_wal_and_current(data_dir):
    store = open_store(data_dir)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.user_version() == len(schema.MIGRATIONS)
    station = store.station_id
    store.close()
    again = open_store(data_dir)
    assert again.station_id == station and len(station) == 36
    again.close()


def test_migrates_an_older_database_and_keeps_its_rows(data_dir):
    conn = sqlite3.connect(data_dir / "rolecall.db", isolation_level=None)
    conn.execute("BEGIN")
    schema.migrate(conn, target=1)
    conn.execute("INSERT INTO station(key, value) VALUES('station_id', 'old-station')")
    conn.execute("INSERT INTO people(id, created_at, station_id, name, role) "
                 "VALUES('p1', '2026-01-01T00:00:00Z', 'old-station', 'Old Timer', 'coach')")
    conn.execute("COMMIT")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()

    store = open_store(data_dir)
    assert store.user_version() == len(schema.MIGRATIONS) > 1
    assert store.station_id == "old-station"
    assert PeopleRepo(store).find("old timer").role == "coach"
    assert "recordings" in store.db.table_names()
    store.close()


def test_a_failing_migration_changes_nothing(data_dir, monkeypatch):
    open_store(data_dir).close()

    def broken(conn):
        conn.executescript("CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    with pytest.raises(CorruptDatabaseError):
        open_store(data_dir)
    monkeypatch.undo()
    store = open_store(data_dir)
    assert store.user_version() == len(schema.MIGRATIONS)
    assert "half_done" not in store.db.table_names()
    store.close()


def test_transaction_is_all_or_nothing(store):
    people = PeopleRepo(store)
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            db["people"].insert({**store.record_fields(), "name": "Ghost", "role": "rep"})
            raise RuntimeError("boom")
    with pytest.raises(PeopleError):
        people.find("Ghost")


def test_nested_transactions_roll_back_together(store):
    with pytest.raises(ValueError):
        with store.transaction():
            PeopleRepo(store).add("Inner", "rep")
            raise ValueError
    assert [p.name for p in PeopleRepo(store).list()] == []


def test_reads_from_another_thread_while_writing(store):
    PeopleRepo(store).add("Ana", "rep")
    seen = []
    with store.transaction() as db:
        db["people"].insert({**store.record_fields(), "name": "Uncommitted", "role": "rep"})
        worker = threading.Thread(target=lambda: seen.extend(p.name for p in PeopleRepo(store).list()))
        worker.start()
        worker.join(10)
    assert seen == ["Ana"]  # the other thread read the last committed state, without blocking


def test_corrupt_database_is_reported_and_not_overwritten(data_dir):
    path = data_dir / "rolecall.db"
    garbage = b"this is not sqlite at all" * 200
    path.write_bytes(garbage)
    with pytest.raises(CorruptDatabaseError) as caught:
        open_store(data_dir)
    assert "Move it aside" in str(caught.value)
    assert path.read_bytes() == garbage
    kept = move_aside(path)
    assert kept.read_bytes() == garbage and not path.exists()
    fresh = open_station(data_dir)
    assert fresh.user_version() == len(schema.MIGRATIONS)
    fresh.close()


def test_database_from_a_newer_version_is_refused(data_dir):
    """The refusal names both versions (the newer one records its own on every open) and changes nothing."""
    from store.db import app_version
    open_store(data_dir).close()
    conn = sqlite3.connect(data_dir / "rolecall.db")
    conn.execute("UPDATE station SET value='0.9.0' WHERE key='app_version'")
    conn.commit()
    conn.execute(f"PRAGMA user_version={len(schema.MIGRATIONS) + 5}")
    conn.close()
    before = (data_dir / "rolecall.db").read_bytes()
    with pytest.raises(NewerDatabaseError) as caught:
        open_store(data_dir)
    text = str(caught.value)
    assert f"written by Rolecall 0.9.0 (schema {len(schema.MIGRATIONS) + 5})" in text
    assert f"this is Rolecall {app_version()}, which knows schema {len(schema.MIGRATIONS)} at most" in text
    assert "Install Rolecall 0.9.0 or newer" in text and (data_dir / "rolecall.db").read_bytes() == before


def test_database_from_a_newer_version_that_did_not_record_its_version(data_dir):
    open_store(data_dir).close()
    conn = sqlite3.connect(data_dir / "rolecall.db")
    conn.execute("DELETE FROM station WHERE key='app_version'")
    conn.commit()
    conn.execute(f"PRAGMA user_version={len(schema.MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(NewerDatabaseError, match=r"written by a newer Rolecall \(schema"):
        open_store(data_dir)


def test_the_app_shows_why_it_cannot_open_a_newer_database(data_dir):
    """The window's start: a dialog with the refusal, then the app ends (no traceback, nothing changed)."""
    from ui.app import _open_with_dialogs
    open_store(data_dir).close()
    conn = sqlite3.connect(data_dir / "rolecall.db")
    conn.execute(f"PRAGMA user_version={len(schema.MIGRATIONS) + 1}")
    conn.close()
    shown = []

    class Box:
        @staticmethod
        def critical(_parent, title, text):
            shown.append((title, text))
    assert _open_with_dialogs(data_dir, Box) is None
    (title, text), = shown
    assert title == "Rolecall cannot start" and "was written by Rolecall" in text


def test_data_dir_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(DataDirError, match="Cannot create the data folder"):
        open_store(blocker / "station")


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder nobody may write to: chmod for a normal user; a read-only tmpfs for root."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


def test_read_only_data_dir(read_only_dir):
    with pytest.raises(DataDirError, match="read-only"):
        open_store(read_only_dir)


def test_lamport_clock_moves_forward_and_past_remote(store):
    with store.transaction():
        first = store.tick()
        second = store.tick()
        store.observe_clock(1000)
        third = store.tick()
    assert first < second < 1000 < third


def test_people_rules(store):
    people = PeopleRepo(store)
    ana = people.add("  Ana   Lopez ", "rep", "North")
    assert ana.name == "Ana Lopez"
    with pytest.raises(PeopleError, match="already someone"):
        people.add("ana lopez", "coach")
    with pytest.raises(PeopleError, match="not a role"):
        people.add("Bo", "manager")
    with pytest.raises(PeopleError, match="needs a name"):
        people.add("   ", "rep")
    assert people.find(ana.id) == people.find("ANA LOPEZ") == ana
    assert people.teams() == ["North"]


def test_one_connection_per_thread_and_finished_threads_let_go(store):
    store.db.execute("SELECT 1")
    base = store.connection_count()
    for _ in range(12):   # twelve short-lived worker threads, one after another
        worker = threading.Thread(target=lambda: PeopleRepo(store).list())
        worker.start()
        worker.join(10)
    assert store.connection_count() <= base + 4
    same = []
    for _ in range(3):
        same.append(store.db)
    assert same[0] is same[1] is same[2]
