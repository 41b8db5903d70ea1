"""Certifier PINs: a slow salted hash kept on this station only, checked with a lockout.

Hash: ``hashlib.scrypt`` with a random 16-byte salt; the stored string carries its parameters
(``scrypt$n$r$p$salt$hash``, base64), so they can be raised later and old hashes still verify.

Station-local (issue #12): the hash lives in ``pin_hashes`` (no ``station_id``/``clock``, so sync never
sends it). A certifier sets a PIN on each station where they sign off. Hashes from before (kept in
``people.pin_hash``, which travelled in every sync batch) were moved there with ``origin='synced'``;
they still verify, and :meth:`PinRepo.advice` asks their owners to choose a new PIN.

Policy: a new PIN has at least :data:`MIN_PIN_LENGTH` characters (digits or anything else), not one
repeated character, not a straight run such as 123456. Older, shorter PINs still verify.

Lockout: wrong PINs are counted per person in ``pin_attempts`` (local too). After
:data:`FREE_ATTEMPTS` failures each further failure locks the PIN for ``BASE_LOCK_S * 2**k`` seconds
(30 s, 60 s, 2 min ... capped at :data:`MAX_LOCK_S`); while locked, even the right PIN is refused.
Every attempt is counted as a failure *before* the hash is checked, in the same ``BEGIN IMMEDIATE``
transaction that checks the lock, and a right PIN then clears the count: parallel attempts (threads or
processes) cannot get more than :data:`FREE_ATTEMPTS` checks in before the lock.

Who may set a PIN (:meth:`PinRepo.change_pin`) and who may make someone a certifier
(:meth:`PinRepo.authorize_certifier_change`) is decided here too; see store/pin_auth.py (on a station
where no certifier has a PIN yet, the team sync key vouches: :meth:`PinRepo.check_team_key`). The
hashes, the policy and the errors are in store/pin_hash.py, below both.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from store.clock import now_iso, parse_iso, to_iso
from store.db import Store
from store.pin_auth import authorize_certifier_change, change_pin, check_team_key, who_confirms
from store.pin_hash import (BASE_LOCK_S, FREE_ATTEMPTS, MAX_LOCK_S, MAX_PIN_LENGTH, MIN_PIN_LENGTH,
                            SCRYPT_N, SCRYPT_P, SCRYPT_R, WHERE_PINS_LIVE, NoPin, PinError, PinLocked,
                            WrongPin, check_new_pin, hash_pin, lock_seconds, verify_hash)

__all__ = ["BASE_LOCK_S", "FREE_ATTEMPTS", "MAX_LOCK_S", "MAX_PIN_LENGTH", "MIN_PIN_LENGTH", "SCRYPT_N",
           "SCRYPT_P", "SCRYPT_R", "WHERE_PINS_LIVE", "NoPin", "PinError", "PinLocked", "WrongPin",
           "check_new_pin", "hash_pin", "lock_seconds", "verify_hash", "AttemptState", "PinRepo"]


@dataclass(frozen=True)
class AttemptState:
    failures: int
    locked_until: datetime | None


class PinRepo:
    def __init__(self, store: Store, clock: Callable[[], datetime] | None = None):
        self.store = store
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    # -- reading ---------------------------------------------------------------------------------
    def _hash_of(self, db, person_id: str) -> str | None:
        row = db.execute("SELECT h.pin_hash FROM pin_hashes h JOIN people p ON p.id = h.person_id "
                         "WHERE h.person_id=? AND p.deleted=0", [person_id]).fetchone()
        return row[0] if row and row[0] else None

    def has_pin(self, person_id: str) -> bool:
        return self._hash_of(self.store.db, person_id) is not None

    def certifiers_with_pin(self, except_id: str | None = None) -> list[tuple[str, str]]:
        """(id, name) of the certifiers who have a PIN on this station."""
        rows = self.store.db.execute(
            "SELECT p.id, p.name FROM people p JOIN pin_hashes h ON h.person_id = p.id "
            "WHERE p.role='certifier' AND p.deleted=0 AND p.id IS NOT ? ORDER BY p.name COLLATE NOCASE",
            [except_id]).fetchall()
        return [(r[0], r[1]) for r in rows]

    def advice(self, person_id: str) -> str | None:
        """A nudge to choose a new PIN, or None: PINs set before they became station-local travelled
        in sync batches (and may be shorter than the minimum now)."""
        row = self.store.db.execute("SELECT origin FROM pin_hashes WHERE person_id=?", [person_id]).fetchone()
        if row and row[0] == "synced":
            return ("This PIN was set before PINs stayed on their station (it was copied to other "
                    "stations and the hub): choose a new one with the Set PIN button.")
        return None

    # -- writing (no checks of who asks: callers authenticate first, see store/pin_auth.py) -------
    def set_pin(self, person_id: str, pin: str) -> None:
        """Store the hash of a new PIN and clear the person's wrong-attempt count.

        This does not ask who is setting it: the app and the command line go through
        :meth:`change_pin`, which does (and asks for the team key on a bootstrap station). Tests use
        it directly."""
        pin = check_new_pin(pin)
        hashed = hash_pin(pin)
        with self.store.transaction(durable=True) as db:
            self._store_hash(db, person_id, hashed)

    def _store_hash(self, db, person_id: str, hashed: str) -> None:
        if db.execute("SELECT 1 FROM people WHERE id=? AND deleted=0", [person_id]).fetchone() is None:
            raise PinError("There is no such person at this station.")
        db.execute("INSERT OR REPLACE INTO pin_hashes(person_id, pin_hash, set_at, origin) "
                   "VALUES(?, ?, ?, 'local')", [person_id, hashed, now_iso()])
        db.execute("DELETE FROM pin_attempts WHERE person_id=?", [person_id])

    # -- who confirms (store/pin_auth.py) -----------------------------------------------------------
    def who_confirms(self, person_id: str) -> str | None:
        return who_confirms(self, person_id)

    def change_pin(self, person_id: str, new_pin: str, confirm_by: str | None = None,
                   confirm_pin: str = "", team_key: str | None = None) -> str:
        return change_pin(self, person_id, new_pin, confirm_by, confirm_pin, team_key)

    def check_team_key(self, text: str) -> None:
        """On a station where no certifier has a PIN yet, the team sync key vouches (pin_auth)."""
        check_team_key(self, text)

    def authorize_certifier_change(self, confirm_by: str | None, confirm_pin: str) -> str:
        return authorize_certifier_change(self, confirm_by, confirm_pin)

    # -- the lockout -------------------------------------------------------------------------------
    def state(self, person_id: str) -> AttemptState:
        row = self.store.db.execute("SELECT failures, locked_until FROM pin_attempts WHERE person_id=?",
                                    [person_id]).fetchone()
        if not row:
            return AttemptState(0, None)
        return AttemptState(int(row[0]), parse_iso(row[1]) if row[1] else None)

    def _wait(self, until: str | None) -> int:
        if not until:
            return 0
        left = (parse_iso(until) - self.clock()).total_seconds()
        return max(0, int(left + 0.999))

    def locked_for(self, person_id: str) -> int:
        """Seconds until this person may try a PIN again (0: now)."""
        row = self.store.db.execute("SELECT locked_until FROM pin_attempts WHERE person_id=?",
                                    [person_id]).fetchone()
        return self._wait(row[0] if row else None)

    def count_attempt(self, db, attempt_id: str, what: str = "PINs") -> tuple[int, int]:
        """Inside a transaction: count one attempt as a failure before it is checked; return
        (failures, seconds locked if it is wrong). Raises PinLocked while locked (nothing written).
        ``attempt_id`` is a person's id, or a name of its own such as pin_auth's team-key counter."""
        now = self.clock()
        row = db.execute("SELECT failures, locked_until FROM pin_attempts WHERE person_id=?",
                         [attempt_id]).fetchone()
        wait = self._wait(row[1] if row else None)
        if wait:
            raise PinLocked(wait, what)
        failures = (int(row[0]) if row else 0) + 1
        lock = lock_seconds(failures)
        until = to_iso(now + timedelta(seconds=lock)) if lock else None
        db.execute("INSERT OR REPLACE INTO pin_attempts(person_id, failures, locked_until, "
                   "last_failure_at) VALUES(?, ?, ?, ?)", [attempt_id, failures, until, to_iso(now)])
        return failures, lock

    def clear_attempts(self, attempt_id: str) -> None:
        with self.store.transaction() as db:
            db.execute("DELETE FROM pin_attempts WHERE person_id=?", [attempt_id])

    def verify(self, person_id: str, pin: str) -> None:
        """Return quietly if ``pin`` is this person's PIN; raise NoPin, PinLocked or WrongPin.

        The attempt is counted as a failure before the (slow) hash check, in the transaction that
        checks the lock; a right PIN then clears the count. Call it outside any transaction, so the
        count is committed even when the caller goes on to fail."""
        if self.store.db.conn.in_transaction:
            raise RuntimeError("PinRepo.verify must run outside a transaction (the count must stick)")
        with self.store.transaction() as db:
            stored = self._hash_of(db, person_id)
            if stored is None:
                name = db.execute("SELECT name FROM people WHERE id=?", [person_id]).fetchone()
                raise NoPin(f"{name[0] if name else 'This person'} has no PIN on this station yet. "
                            f"{WHERE_PINS_LIVE} Use Set PIN… on the Certify page or "
                            "`rolecall people set-pin NAME`.")
            failures, lock = self.count_attempt(db, person_id)
        if verify_hash((pin or "")[:MAX_PIN_LENGTH + 1], stored):    # longer can never match; bounds the work
            self.clear_attempts(person_id)
            return
        raise WrongPin(failures, lock)
