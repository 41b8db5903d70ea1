"""Issue #12, station side: PIN hashes stay on the station, new PINs are stronger, parallel wrong PINs
are counted before they are checked (threads and real processes)."""
from __future__ import annotations

import multiprocessing
import sqlite3
import threading

import pytest

from store import schema
from store.db import open_store
from store.people import PeopleRepo
from store.pins import FREE_ATTEMPTS, PinError, PinLocked, PinRepo, WrongPin, hash_pin, verify_hash
from store.sync.tables import synced_tables

PIN = "583920"


def _certifiers(store, *names):
    people = PeopleRepo(store)
    return [people.add(n, "certifier") for n in names]


def _synced_text(store) -> str:
    """Every value in every table that sync sends, as one string."""
    out = []
    for table, columns in synced_tables(store.db.conn).items():
        for row in store.db.execute(f'SELECT * FROM "{table}"'):
            out.extend(str(v) for v in row)
    return "\n".join(out)


def test_a_pin_hash_is_in_no_synced_table(store):
    eve, = _certifiers(store, "Eve")
    PinRepo(store).set_pin(eve.id, PIN)
    assert store.db.execute("SELECT pin_hash FROM people WHERE id=?", [eve.id]).fetchone()[0] is None
    assert "scrypt$" not in _synced_text(store)
    assert "pin_hashes" not in synced_tables(store.db.conn) and "pin_attempts" not in synced_tables(store.db.conn)
    PinRepo(store).verify(eve.id, PIN)


def test_migration_moves_existing_hashes_and_they_still_verify(data_dir):
    conn = sqlite3.connect(data_dir / "rolecall.db", isolation_level=None)
    conn.execute("BEGIN")
    schema.migrate(conn, target=7)
    conn.execute("INSERT INTO station(key, value) VALUES('station_id', 'old')")
    old = hash_pin("7391", n=2 ** 10)                        # a 4-digit PIN from before: still verifies
    conn.execute("INSERT INTO people(id, created_at, updated_at, station_id, clock, name, role, pin_hash) "
                 "VALUES('eve', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 'old', 4, 'Eve', 'certifier', ?)",
                 [old])
    conn.execute("COMMIT")
    conn.close()
    store = open_store(data_dir)
    try:
        assert store.db.execute("SELECT pin_hash FROM people").fetchone()[0] is None
        assert store.db.execute("SELECT pin_hash, origin FROM pin_hashes WHERE person_id='eve'").fetchone() \
            == (old, "synced")
        pins = PinRepo(store)
        pins.verify("eve", "7391")
        assert "choose a new one" in pins.advice("eve")
        pins.change_pin("eve", PIN, None, "7391")
        assert pins.advice("eve") is None
    finally:
        store.close()


def test_a_hash_synced_in_by_an_older_station_is_dropped(store):
    eve, = _certifiers(store, "Eve")
    with store.transaction() as db:        # what applying an old station's batch does to the row
        db.execute("UPDATE people SET pin_hash=? WHERE id=?", [hash_pin("7391", n=2 ** 10), eve.id])
        f = store.record_fields()
        db["people"].insert({**f, "name": "Zed", "role": "certifier", "pin_hash": "scrypt$1$1$1$x$y"})
    assert [r[0] for r in store.db.execute("SELECT pin_hash FROM people")] == [None, None]
    assert not PinRepo(store).has_pin(eve.id)


def test_new_pins_need_six_characters_not_a_run(store):
    eve, = _certifiers(store, "Eve")
    pins = PinRepo(store)
    for weak in ("7391", "73915", "123456", "987654", "abcdef", "444444", " 583920"):
        with pytest.raises(PinError):
            pins.set_pin(eve.id, weak)
    pins.set_pin(eve.id, "correct horse")
    pins.verify(eve.id, "correct horse")


# -- parallel wrong PINs ----------------------------------------------------------------------------
def test_parallel_wrong_pins_in_threads_get_only_the_free_attempts(store, monkeypatch):
    """Every thread's hash check waits until all threads have either reached their check or been
    refused; counted-before-checked, only FREE_ATTEMPTS checks happen. (Checked-then-counted, all
    threads would reach the check.)"""
    eve, = _certifiers(store, "Eve")
    PinRepo(store).set_pin(eve.id, PIN)
    threads = 8
    lock, release = threading.Lock(), threading.Event()
    seen = {"checks": 0, "done": 0}
    outcomes: list[str] = []

    def settle():
        if seen["checks"] + seen["done"] == threads:
            release.set()

    import store.pins as pins_module
    real = pins_module.verify_hash

    def slow_check(pin, stored):
        with lock:
            seen["checks"] += 1
            settle()
        release.wait(60)
        return real(pin, stored)

    monkeypatch.setattr(pins_module, "verify_hash", slow_check)
    start = threading.Barrier(threads)

    def guess(n):
        start.wait()
        try:
            PinRepo(store).verify(eve.id, f"00000{n}")
            outcome = "accepted"
        except WrongPin:
            outcome = "wrong"
        except PinLocked:
            outcome = "locked"
            with lock:
                seen["done"] += 1
                settle()
        with lock:
            outcomes.append(outcome)

    workers = [threading.Thread(target=guess, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert seen["checks"] == FREE_ATTEMPTS
    assert sorted(outcomes) == ["locked"] * (threads - FREE_ATTEMPTS) + ["wrong"] * FREE_ATTEMPTS
    assert PinRepo(store).state(eve.id).failures == FREE_ATTEMPTS
    with pytest.raises(PinLocked):
        PinRepo(store).verify(eve.id, PIN)


def _guess_in_a_process(data_dir: str, person_id: str, pin: str, start, results) -> None:
    store = open_store(data_dir)
    try:
        start.wait()
        try:
            PinRepo(store).verify(person_id, pin)
            results.put("accepted")
        except WrongPin:
            results.put("wrong")
        except PinLocked:
            results.put("locked")
    finally:
        store.close()


def test_parallel_wrong_pins_in_processes_get_only_the_free_attempts(store):
    eve, = _certifiers(store, "Eve")
    PinRepo(store).set_pin(eve.id, PIN)
    ctx = multiprocessing.get_context("spawn")
    count = 6
    start, results = ctx.Barrier(count), ctx.Queue()
    procs = [ctx.Process(target=_guess_in_a_process, args=(str(store.data_dir), eve.id, f"11111{n}", start, results))
             for n in range(count)]
    for p in procs:
        p.start()
    outcomes = sorted(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(60)
    assert outcomes == ["locked"] * (count - FREE_ATTEMPTS) + ["wrong"] * FREE_ATTEMPTS
    assert PinRepo(store).state(eve.id).failures == FREE_ATTEMPTS


def test_verify_inside_a_transaction_is_refused(store):
    eve, = _certifiers(store, "Eve")
    PinRepo(store).set_pin(eve.id, PIN)
    with pytest.raises(RuntimeError, match="outside a transaction"):
        with store.transaction():
            PinRepo(store).verify(eve.id, "000000")
    assert verify_hash(PIN, store.db.execute("SELECT pin_hash FROM pin_hashes").fetchone()[0])
