"""Who may set a PIN, and who may make someone a certifier (issue #12). No Qt.

PINs are station-local (store/pins.py), so each rule is about the certifiers *with a PIN on this
station*:

* a certifier's PIN is set or changed with their current PIN, or with the PIN of another certifier
  who has one here (the administrator's reset when a PIN is forgotten or locked: that certifier
  vouches, and the new PIN clears the lockout). Only certifiers have PINs.
* adding a certifier, or changing anyone's role to or from certifier, needs a certifier's PIN.
* **bootstrap**: on a station where no certifier has a PIN yet, nobody here can vouch with a PIN, so
  the first PIN is confirmed with the **team sync key** instead (:func:`check_team_key`): the secret
  the organiser hands to whoever sets stations up, which reps at a station are not told. Without it,
  a rep at her own station could give a certifier a PIN of her choosing and sign herself off in their
  name, and the decision would sync to every station (issue #12). :func:`change_pin` asks for it
  itself; for a new certifier or a role change the callers (cli/people.py, the Add person dialog)
  call :func:`check_team_key` before ``PeopleRepo.add``/``update`` (a certifier without a PIN signs
  nothing off: the first PIN is the gate). ``how == 'bootstrap'`` and the callers say so.

Wrong PINs given as confirmation count towards the confirmer's lockout like any other; wrong team
keys count towards a lockout of their own (``pin_attempts`` row :data:`TEAM_KEY_ATTEMPTS`). The checks that
decide "bootstrap" are repeated inside the writing transaction, so two stations' worth of processes
cannot both bootstrap.
"""
from __future__ import annotations

import hmac
from pathlib import Path
from typing import Protocol

from store.db import Store
from store.pin_hash import FREE_ATTEMPTS, PinError, check_new_pin, hash_pin, human_wait


class PinChecks(Protocol):
    """What these rules need of store.pins.PinRepo (which calls them: the types sit below both)."""
    store: Store

    def has_pin(self, person_id: str) -> bool: ...
    def certifiers_with_pin(self, except_id: str | None = None) -> list[tuple[str, str]]: ...
    def verify(self, person_id: str, pin: str) -> None: ...
    def count_attempt(self, db, key: str, what: str) -> tuple[int, int]: ...
    def clear_attempts(self, key: str) -> None: ...
    def _store_hash(self, db, person_id: str, hashed: str) -> None: ...

OWN, CERTIFIER, BOOTSTRAP = "own", "certifier", "bootstrap"
TEAM_KEY_ATTEMPTS = "(team key)"        # the pin_attempts row that counts wrong team keys (not a person id)
MAX_TEAM_KEY_CHARS = 1024               # longer can never be a key we made; bounds the stretching work
# Safe to refuse rather than let a station make up a key: a station with a key of its own signs its
# batches with it, and every other station refuses them — the hub's marker holds the team key's id
# (store/sync/engine.py _check_hub: KeyMismatch, nothing sent or received) and each batch carries
# key_id and an HMAC that store/sync/batch.py decode() checks (BadBatch 'key'/'forged': reported by
# store/sync/receive.py, never applied). So a PIN bootstrapped with a made-up key, and decisions
# signed with it, stay on that one station.
NO_TEAM_KEY = ("Set the team key first: Settings → Sync or `rolecall sync set-key` (a station with a key "
               "of its own cannot send decisions to the team's hub).")
WHAT_THE_KEY_IS = ("No certifier has a PIN on this station yet, so the team sync key confirms this: the "
                   "key the organiser gives to whoever sets up the stations (not to reps).")


class WrongTeamKey(PinError):
    def __init__(self, failures: int, locked_for_s: int):
        self.failures = failures
        self.locked_for_s = locked_for_s
        extra = f" Too many wrong team keys: try again in {human_wait(locked_for_s)}." if locked_for_s else \
            f" {FREE_ATTEMPTS - failures} attempt(s) left before it is locked." if failures < FREE_ATTEMPTS else ""
        super().__init__("That is not this station's team sync key." + extra)


def team_key_set(data_dir: Path) -> bool:
    from store.sync.keys import has_key     # store.sync pulls in the hubs: only when asked
    return has_key(Path(data_dir))


def check_team_key(pins: PinChecks, text: str) -> None:
    """Return quietly if ``text`` is this station's team sync key; else raise PinError (no key set
    here: :data:`NO_TEAM_KEY`), PinLocked or WrongTeamKey. Both keys are stretched as sync does
    (store/sync/keys.py) and compared with hmac.compare_digest. Every try counts towards a lockout
    before it is checked, as PINs do; the right key clears the count. Call it outside a transaction."""
    from store.sync.errors import SyncError
    from store.sync.keys import TeamKey, load_key
    store = pins.store
    if store.db.conn.in_transaction:
        raise RuntimeError("check_team_key must run outside a transaction (the count must stick)")
    if not team_key_set(store.data_dir):
        raise PinError(NO_TEAM_KEY)
    try:
        station = load_key(store.data_dir)
    except SyncError as exc:
        raise PinError(f"This station's team key cannot be read: {exc}") from exc
    if not (text or "").strip():            # nothing typed: not a guess, not counted
        raise PinError("No certifier has a PIN on this station yet, so the team sync key confirms this: "
                       "it is needed here.")
    with store.transaction() as db:
        failures, lock = pins.count_attempt(db, TEAM_KEY_ATTEMPTS, "team keys")
    try:
        given = TeamKey.from_text((text or "")[:MAX_TEAM_KEY_CHARS]).secret
    except SyncError:                        # shorter than any key: cannot match
        given = bytes(len(station.secret))
    if hmac.compare_digest(given, station.secret):
        pins.clear_attempts(TEAM_KEY_ATTEMPTS)
        return
    raise WrongTeamKey(failures, lock)


def who_confirms(pins: PinChecks, person_id: str) -> str | None:
    """What a new PIN for this person needs: 'self' (their current PIN; another certifier's PIN also
    does), 'certifier' (another certifier's PIN) or None (the station's first certifier PIN)."""
    if pins.has_pin(person_id):
        return "self"
    return "certifier" if pins.certifiers_with_pin(person_id) else None


def _names(holders: list[tuple[str, str]]) -> str:
    return ", ".join(name for _, name in holders)


def any_certifier_pin(db, except_id: str | None = None) -> bool:
    return db.execute("SELECT 1 FROM people p JOIN pin_hashes h ON h.person_id = p.id "
                      "WHERE p.role='certifier' AND p.deleted=0 AND p.id IS NOT ? LIMIT 1",
                      [except_id]).fetchone() is not None


def _is_certifier_with_pin(db, person_id: str) -> bool:
    return db.execute("SELECT 1 FROM people p JOIN pin_hashes h ON h.person_id = p.id "
                      "WHERE p.id=? AND p.role='certifier' AND p.deleted=0", [person_id]).fetchone() is not None


def change_pin(pins: PinChecks, person_id: str, new_pin: str, confirm_by: str | None = None,
               confirm_pin: str = "", team_key: str | None = None) -> str:
    """Set a certifier's PIN once someone has vouched; return how: 'own' (their current PIN),
    'certifier' (another certifier's PIN) or 'bootstrap' (no certifier had a PIN here: ``team_key``,
    the station's team sync key, vouches instead)."""
    row = pins.store.db.execute("SELECT name, role FROM people WHERE id=? AND deleted=0", [person_id]).fetchone()
    if row is None:
        raise PinError("There is no such person at this station.")
    name, role = row
    if role != "certifier":
        raise PinError(f"{name} is a {role}: only certifiers have a PIN (they confirm sign-offs with it).")
    check_new_pin(new_pin)
    if confirm_by not in (None, person_id):
        holders = pins.certifiers_with_pin(person_id)
        if confirm_by not in {pid for pid, _ in holders}:
            raise PinError("Only a certifier with a PIN on this station can confirm"
                           + (f" ({_names(holders)})." if holders else "; no other certifier has one here."))
        pins.verify(confirm_by, confirm_pin)
        how = CERTIFIER
    elif pins.has_pin(person_id):
        pins.verify(person_id, confirm_pin)
        how = OWN
    elif any_certifier_pin(pins.store.db):
        holders = pins.certifiers_with_pin(person_id)
        raise PinError(f"{name} has no PIN on this station yet, so another certifier with a PIN here "
                       f"confirms the first one: {_names(holders)}.")
    else:
        check_team_key(pins, team_key or "")
        how = BOOTSTRAP
    hashed = hash_pin(new_pin)
    with pins.store.transaction(durable=True) as db:
        if how == BOOTSTRAP and any_certifier_pin(db):
            holders = pins.certifiers_with_pin(person_id)
            raise PinError(f"{name} has no PIN on this station yet, so another certifier with a PIN here "
                           f"confirms the first one: {_names(holders)}.")
        if how == CERTIFIER and not _is_certifier_with_pin(db, confirm_by):
            raise PinError("The confirming certifier no longer has a PIN on this station.")
        pins._store_hash(db, person_id, hashed)
    return how


def authorize_certifier_change(pins: PinChecks, confirm_by: str | None, confirm_pin: str) -> str:
    """Check that a certifier vouches for adding a certifier or changing a role to or from certifier.
    Returns 'certifier', or 'bootstrap' when no certifier has a PIN on this station (then the caller
    has asked for the team key with :func:`check_team_key`). Call it before the writing transaction,
    and :func:`still_authorized` inside it."""
    holders = pins.certifiers_with_pin()
    if not holders:
        return BOOTSTRAP
    if confirm_by not in {pid for pid, _ in holders}:
        raise PinError("Only a certifier, with their PIN, can make someone a certifier or change a "
                       f"certifier's role. Certifiers with a PIN on this station: {_names(holders)}.")
    pins.verify(confirm_by, confirm_pin)
    return CERTIFIER


def still_authorized(db, how: str, confirm_by: str | None) -> None:
    """Inside the writing transaction: the authorisation :func:`authorize_certifier_change` gave holds."""
    if how == BOOTSTRAP and any_certifier_pin(db):
        raise PinError("A certifier set a PIN on this station meanwhile: their PIN is needed now.")
    if how == CERTIFIER and not _is_certifier_with_pin(db, confirm_by or ""):
        raise PinError("The confirming certifier no longer has a PIN on this station.")
