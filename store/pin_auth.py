"""Who may set a PIN, and who may make someone a certifier (issue #12). No Qt.

PINs are station-local (store/pins.py), so each rule is about the certifiers *with a PIN on this
station*:

* a certifier's PIN is set or changed with their current PIN, or with the PIN of another certifier
  who has one here (the administrator's reset when a PIN is forgotten or locked: that certifier
  vouches, and the new PIN clears the lockout). Only certifiers have PINs.
* adding a certifier, or changing anyone's role to or from certifier, needs a certifier's PIN.
* **bootstrap**: on a station where no certifier has a PIN yet, a certifier's first PIN and a new
  certifier need no confirmation; the callers say so plainly (``how == 'bootstrap'``).

Wrong PINs given as confirmation count towards the confirmer's lockout like any other. The checks that
decide "bootstrap" are repeated inside the writing transaction, so two stations' worth of processes
cannot both bootstrap.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from store.pins import PinError, check_new_pin, hash_pin

if TYPE_CHECKING:
    from store.pins import PinRepo

OWN, CERTIFIER, BOOTSTRAP = "own", "certifier", "bootstrap"


def who_confirms(pins: "PinRepo", person_id: str) -> str | None:
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


def change_pin(pins: "PinRepo", person_id: str, new_pin: str, confirm_by: str | None = None,
               confirm_pin: str = "") -> str:
    """Set a certifier's PIN once someone has vouched; return how: 'own' (their current PIN),
    'certifier' (another certifier's PIN) or 'bootstrap' (no certifier had a PIN here)."""
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
    else:
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


def authorize_certifier_change(pins: "PinRepo", confirm_by: str | None, confirm_pin: str) -> str:
    """Check that a certifier vouches for adding a certifier or changing a role to or from certifier.
    Returns 'certifier', or 'bootstrap' when no certifier has a PIN on this station. Call it before
    the writing transaction, and :func:`still_authorized` inside it."""
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
