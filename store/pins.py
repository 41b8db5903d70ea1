"""Certifier PINs: stored only as a slow salted hash, checked with a lockout after wrong attempts.

Hash: ``hashlib.scrypt`` with a random 16-byte salt; the stored string carries its parameters
(``scrypt$n$r$p$salt$hash``, base64), so they can be raised later and old hashes still verify.
The hash lives in ``people.pin_hash`` (it travels with the person when stations sync).

Lockout: wrong PINs are counted per person in ``pin_attempts``, a local table that never leaves the
station (a thief cannot reset it by syncing, and one station's typos do not lock another's). After
:data:`FREE_ATTEMPTS` failures each further failure locks the PIN for ``BASE_LOCK_S * 2**k`` seconds
(30 s, 60 s, 2 min ... capped at :data:`MAX_LOCK_S`); while locked, even the right PIN is refused.
A correct PIN clears the count. The counter is in the database, so restarting the app does not reset it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from store.clock import now_iso, parse_iso, to_iso
from store.db import Store

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1     # ~16 MiB and tens of ms per check
FREE_ATTEMPTS = 3
BASE_LOCK_S = 30
MAX_LOCK_S = 3600
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 64


class PinError(Exception):
    """A PIN could not be set or was refused; the message is for the person at the station."""


class WrongPin(PinError):
    def __init__(self, failures: int, locked_for_s: int):
        self.failures = failures
        self.locked_for_s = locked_for_s
        extra = f" Too many wrong PINs: try again in {_human(locked_for_s)}." if locked_for_s else \
            f" {FREE_ATTEMPTS - failures} attempt(s) left before the PIN is locked." \
            if failures < FREE_ATTEMPTS else ""
        super().__init__("Wrong PIN." + extra)


class PinLocked(PinError):
    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(f"Too many wrong PINs: try again in {_human(seconds)}.")


class NoPin(PinError):
    pass


def _human(seconds: int) -> str:
    seconds = max(1, int(seconds))
    return f"{seconds} s" if seconds < 90 else f"{round(seconds / 60)} min"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P,
             salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=0, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_hash(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(pin.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), maxmem=0, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def check_new_pin(pin: str) -> str:
    pin = pin or ""
    if pin != pin.strip():
        raise PinError("A PIN cannot start or end with spaces.")
    if len(pin) < MIN_PIN_LENGTH:
        raise PinError(f"A PIN needs at least {MIN_PIN_LENGTH} characters.")
    if len(pin) > MAX_PIN_LENGTH:
        raise PinError(f"A PIN can have at most {MAX_PIN_LENGTH} characters.")
    if len(set(pin)) == 1:
        raise PinError("A PIN of one repeated character is too easy to guess.")
    return pin


def lock_seconds(failures: int) -> int:
    """How long the PIN is locked after ``failures`` wrong attempts in a row (0: not locked)."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_LOCK_S, BASE_LOCK_S * 2 ** (failures - FREE_ATTEMPTS))


@dataclass(frozen=True)
class AttemptState:
    failures: int
    locked_until: datetime | None


class PinRepo:
    def __init__(self, store: Store, clock: Callable[[], datetime] | None = None):
        self.store = store
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    def has_pin(self, person_id: str) -> bool:
        row = self.store.db.execute("SELECT pin_hash FROM people WHERE id=?", [person_id]).fetchone()
        return bool(row and row[0])

    def set_pin(self, person_id: str, pin: str) -> None:
        """Store the hash of a new PIN (and clear the person's wrong-attempt count)."""
        pin = check_new_pin(pin)
        hashed = hash_pin(pin)
        with self.store.transaction(durable=True) as db:
            if db.execute("SELECT 1 FROM people WHERE id=? AND deleted=0", [person_id]).fetchone() is None:
                raise PinError("There is no such person at this station.")
            db.execute("UPDATE people SET pin_hash=?, updated_at=?, clock=? WHERE id=?",
                       [hashed, now_iso(), self.store.tick(), person_id])
            db.execute("DELETE FROM pin_attempts WHERE person_id=?", [person_id])

    def certifiers_with_pin(self, except_id: str | None = None) -> list[tuple[str, str]]:
        """(id, name) of the certifiers who have a PIN."""
        rows = self.store.db.execute(
            "SELECT id, name FROM people WHERE role='certifier' AND deleted=0 AND pin_hash IS NOT NULL "
            "AND id IS NOT ? ORDER BY name COLLATE NOCASE", [except_id]).fetchall()
        return [(r[0], r[1]) for r in rows]

    def who_confirms(self, person_id: str) -> str | None:
        """Who must confirm a new PIN set at the station (the UI): 'self' (the current PIN) when one is
        set; else 'certifier' (another certifier's PIN) when any certifier has one; else None (the
        station's first PIN). The command line (`people set-pin`) is the administrator's reset."""
        if self.has_pin(person_id):
            return "self"
        return "certifier" if self.certifiers_with_pin(person_id) else None

    def change_pin(self, person_id: str, new_pin: str, confirm_by: str | None = None,
                   confirm_pin: str = "") -> None:
        """Set a PIN with the confirmation :meth:`who_confirms` asks for (wrong PINs count as usual)."""
        need = self.who_confirms(person_id)
        check_new_pin(new_pin)
        if need == "self":
            self.verify(person_id, confirm_pin)
        elif need == "certifier":
            if confirm_by not in {pid for pid, _ in self.certifiers_with_pin(person_id)}:
                raise PinError("Another certifier must confirm a first PIN with their own PIN.")
            self.verify(confirm_by, confirm_pin)
        self.set_pin(person_id, new_pin)

    def state(self, person_id: str) -> AttemptState:
        row = self.store.db.execute("SELECT failures, locked_until FROM pin_attempts WHERE person_id=?",
                                    [person_id]).fetchone()
        if not row:
            return AttemptState(0, None)
        return AttemptState(int(row[0]), parse_iso(row[1]) if row[1] else None)

    def locked_for(self, person_id: str) -> int:
        """Seconds until this person may try a PIN again (0: now)."""
        until = self.state(person_id).locked_until
        if until is None:
            return 0
        left = (until - self.clock()).total_seconds()
        return max(0, int(left + 0.999))

    def verify(self, person_id: str, pin: str) -> None:
        """Return quietly if ``pin`` is this person's PIN; raise NoPin, PinLocked or WrongPin."""
        row = self.store.db.execute("SELECT pin_hash FROM people WHERE id=? AND deleted=0",
                                    [person_id]).fetchone()
        if not row or not row[0]:
            raise NoPin("No PIN is set for this person yet. Set one in Settings or with "
                        "`rolecall people set-pin NAME`.")
        wait = self.locked_for(person_id)
        if wait:
            raise PinLocked(wait)
        if verify_hash(pin or "", row[0]):
            with self.store.transaction() as db:
                db.execute("DELETE FROM pin_attempts WHERE person_id=?", [person_id])
            return
        now = self.clock()
        with self.store.transaction() as db:
            found = db.execute("SELECT failures FROM pin_attempts WHERE person_id=?", [person_id]).fetchone()
            failures = (int(found[0]) if found else 0) + 1
            lock = lock_seconds(failures)
            until = to_iso(now + timedelta(seconds=lock)) if lock else None
            db.execute("INSERT OR REPLACE INTO pin_attempts(person_id, failures, locked_until, last_failure_at) "
                       "VALUES(?, ?, ?, ?)", [person_id, failures, until, to_iso(now)])
        raise WrongPin(failures, lock)
