"""Certifier PINs: slow salted hash, never plain; wrong PINs refused and locked out exponentially."""
from datetime import datetime, timedelta, timezone

import pytest

from store.people import PeopleRepo
from store.sync.keys import save_key
from store.pins import (FREE_ATTEMPTS, NoPin, PinError, PinLocked, PinRepo, WrongPin, hash_pin,
                        lock_seconds, verify_hash)


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


def test_hash_is_salted_scrypt_with_parameters():
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a != b and a.startswith("scrypt$16384$8$1$")
    assert "2468" not in a
    assert verify_hash("2468", a) and not verify_hash("2469", a)
    cheap = hash_pin("2468", n=2 ** 10)            # parameters travel in the string
    assert verify_hash("2468", cheap)
    assert not verify_hash("2468", "garbage") and not verify_hash("2468", "md5$x$y$z$a$b")


def test_pin_stored_only_as_hash(store):
    eve = PeopleRepo(store).add("Eve", "certifier")
    PinRepo(store).set_pin(eve.id, "739184")
    stored = store.db.execute("SELECT pin_hash FROM pin_hashes WHERE person_id=?", [eve.id]).fetchone()[0]
    assert stored.startswith("scrypt$") and "739184" not in stored
    dump = "\n".join(store.db.conn.iterdump())
    assert "739184" not in dump


def test_weak_pins_refused(store):
    eve = PeopleRepo(store).add("Eve", "certifier")
    for bad in ("12", "1111", "7391", "111111", "234567", " 1234567"):
        with pytest.raises(PinError):
            PinRepo(store).set_pin(eve.id, bad)
    with pytest.raises(NoPin):
        PinRepo(store).verify(eve.id, "1234")


def test_lock_schedule():
    assert [lock_seconds(n) for n in range(1, 7)] == [0, 0, 30, 60, 120, 240]
    assert lock_seconds(100) == 3600


def test_wrong_pins_lock_out_then_right_pin_clears(store):
    clock = Clock()
    eve = PeopleRepo(store).add("Eve", "certifier")
    pins = PinRepo(store, clock)
    pins.set_pin(eve.id, "739184")
    pins.verify(eve.id, "739184")
    for n in range(1, FREE_ATTEMPTS):
        with pytest.raises(WrongPin) as err:
            pins.verify(eve.id, "0000")
        assert err.value.failures == n and err.value.locked_for_s == 0
    with pytest.raises(WrongPin) as err:
        pins.verify(eve.id, "0000")
    assert err.value.locked_for_s == 30 and "try again in 30 s" in str(err.value)
    # while locked even the right PIN is refused, and the counter is in the database (survives restart)
    with pytest.raises(PinLocked):
        PinRepo(store, clock).verify(eve.id, "739184")
    clock.advance(29)
    with pytest.raises(PinLocked):
        pins.verify(eve.id, "739184")
    clock.advance(2)
    with pytest.raises(WrongPin) as err:
        pins.verify(eve.id, "1111")
    assert err.value.locked_for_s == 60               # doubles
    clock.advance(61)
    pins.verify(eve.id, "739184")
    assert pins.state(eve.id).failures == 0


def test_lockout_is_per_person(store):
    clock = Clock()
    people = PeopleRepo(store)
    eve, zed = people.add("Eve", "certifier"), people.add("Zed", "certifier")
    pins = PinRepo(store, clock)
    pins.set_pin(eve.id, "739184")
    pins.set_pin(zed.id, "840263")
    for _ in range(FREE_ATTEMPTS):
        with pytest.raises(WrongPin):
            pins.verify(eve.id, "0000")
    with pytest.raises(PinLocked):
        pins.verify(eve.id, "739184")
    pins.verify(zed.id, "840263")


def test_attempt_counter_and_pin_hashes_stay_on_the_station(store):
    from store.sync.tables import synced_tables

    tables = synced_tables(store.db.conn)
    assert "pin_attempts" not in tables and "pin_hashes" not in tables
    assert "signoffs" in tables


def test_who_confirms_a_new_pin(store):
    people = PeopleRepo(store)
    eve, zed = people.add("Eve", "certifier"), people.add("Zed", "certifier")
    pins = PinRepo(store)
    save_key(store.data_dir, "the organiser's team key")
    assert pins.who_confirms(eve.id) is None                 # the station's first PIN: the team key confirms
    with pytest.raises(PinError, match="team sync key confirms"):
        pins.change_pin(eve.id, "739184")
    with pytest.raises(PinError, match="not this station's team sync key"):
        pins.change_pin(eve.id, "739184", team_key="a rep's guess")
    assert pins.change_pin(eve.id, "739184", team_key="the organiser's team key") == "bootstrap"
    assert pins.who_confirms(eve.id) == "self" and pins.who_confirms(zed.id) == "certifier"
    with pytest.raises(PinError, match="another certifier with a PIN here confirms"):
        pins.change_pin(zed.id, "840263")                      # no one vouches
    with pytest.raises(WrongPin):
        pins.change_pin(zed.id, "840263", eve.id, "0000")
    pins.change_pin(zed.id, "840263", eve.id, "739184")
    with pytest.raises(WrongPin):
        pins.change_pin(eve.id, "135792", None, "0000")        # changing needs the current PIN
    assert pins.change_pin(eve.id, "135792", None, "739184") == "own"
    pins.verify(eve.id, "135792")
    assert pins.change_pin(eve.id, "246813", zed.id, "840263") == "certifier"   # the reset
    pins.verify(eve.id, "246813")
