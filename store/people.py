"""People at the stations: reps, coaches and certifiers.

Adding a certifier, or changing a role to or from certifier, needs a certifier's PIN on this station
(``confirm_by`` and ``confirm_pin``): see store/pin_auth.py. On a station where no certifier has a PIN
yet, the CLI and the app's dialogs ask for the team sync key instead; this class accepts the change
there, because a certifier without a PIN can sign nothing off and the first PIN itself needs the key
(PinRepo.change_pin). :meth:`PeopleRepo.needs_certifier_confirmation` tells a form whether to ask.

A new person's id is derived from their name (:func:`person_id`, as kit items' ids are from their slugs),
so two stations that both add "Ana Lopez" before they sync hold one row id, and sync merges them like
any concurrent edit (except that such a namesake never takes the certifier role away: store/sync/apply.py).
The id is fixed at creation: a rename keeps it. People made before this kept the random ids they had."""
from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

from store.clock import new_id, now_iso
from store.db import Store
from store.pin_auth import authorize_certifier_change, still_authorized
from store.pins import PinError, PinRepo

ROLES = ("rep", "coach", "certifier")
PEOPLE_NAMESPACE = uuid.UUID("fb185bb8-9706-4fcc-bac5-07b3fe778b2b")   # never change: ids derive from it


def normal_name(name: str) -> str:
    """A name as compared: Unicode NFKC, case-folded, whitespace collapsed and trimmed."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name or "").casefold())
    return " ".join(folded.split())


def person_id(name: str) -> str:
    """The id a new person with this name gets on every station."""
    return str(uuid.uuid5(PEOPLE_NAMESPACE, normal_name(name)))


class PeopleError(ValueError):
    pass


EMAIL_RE = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def normal_email(email: str | None) -> str | None:
    """An email as stored: trimmed, lower case; None for none; :class:`PeopleError` if it is not one."""
    value = (email or "").strip().lower()
    if not value:
        return None
    if len(value) > 254 or not EMAIL_RE.match(value):
        raise PeopleError(f"'{value[:80]}' is not an email address.")
    return value


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    team: str | None

    @property
    def label(self) -> str:
        team = f", {self.team}" if self.team else ""
        return f"{self.name} ({self.role}{team})"


class PeopleRepo:
    def __init__(self, store: Store):
        self.store = store

    def needs_certifier_confirmation(self) -> bool:
        """True when adding or promoting a certifier needs a certifier's PIN (False: bootstrap)."""
        return bool(PinRepo(self.store).certifiers_with_pin())

    def _authorize(self, confirm_by: str | None, confirm_pin: str) -> str:
        try:
            return authorize_certifier_change(PinRepo(self.store), confirm_by, confirm_pin)
        except PinError as exc:
            raise PeopleError(str(exc)) from exc

    @staticmethod
    def _still(db, how: str, confirm_by: str | None) -> None:
        try:
            still_authorized(db, how, confirm_by)
        except PinError as exc:
            raise PeopleError(str(exc)) from exc

    def add(self, name: str, role: str, team: str | None = None, *, confirm_by: str | None = None,
            confirm_pin: str = "") -> Person:
        """Add a person. A certifier needs ``confirm_by`` (a certifier with a PIN here) and their
        ``confirm_pin``, unless no certifier has a PIN on this station yet."""
        name = " ".join((name or "").split())
        team = " ".join(team.split()) if team else None
        if not name:
            raise PeopleError("A person needs a name.")
        if role not in ROLES:
            raise PeopleError(f"'{role}' is not a role; use one of: {', '.join(ROLES)}.")
        how = self._authorize(confirm_by, confirm_pin) if role == "certifier" else None
        with self.store.transaction() as db:
            if how is not None:
                self._still(db, how, confirm_by)
            self._refuse_same_name(db, name)
            fields = self.store.record_fields()
            fields["id"] = person_id(name)
            held = db.execute("SELECT name, deleted FROM people WHERE id=?", [fields["id"]]).fetchone()
            if held is None or held[1]:         # a PIN this station kept for a deleted namesake is not theirs
                db.execute("DELETE FROM pin_hashes WHERE person_id=?", [fields["id"]])
                db.execute("DELETE FROM pin_attempts WHERE person_id=?", [fields["id"]])
            if held is not None and held[1] and normal_name(held[0]) == normal_name(name):
                # their row was deleted here (a tombstone): bring it back, newer than the deletion
                db["people"].update(fields["id"], {"name": name, "role": role, "team": team, "deleted": 0,
                                                   "updated_at": fields["created_at"], "clock": fields["clock"]})
                return Person(fields["id"], name, role, team)
            if held is not None:                # the id is someone renamed since: this is someone else
                fields["id"] = new_id()
            db["people"].insert({**fields, "updated_at": fields["created_at"], "name": name,
                                 "role": role, "team": team})
        return Person(fields["id"], name, role, team)

    def same_name(self, name: str, db=None) -> list[Person]:
        """People here (not deleted) whose name compares equal to ``name`` (see :func:`normal_name`)."""
        key = normal_name(name)
        rows = (db or self.store.db).execute("SELECT id, name, role, team FROM people WHERE deleted=0").fetchall()
        return [Person(*r) for r in rows if normal_name(r[1]) == key]

    def _refuse_same_name(self, db, name: str, keep_id: str | None = None) -> None:
        others = [p for p in self.same_name(name, db) if p.id != keep_id]
        if others:
            raise PeopleError(f"There is already someone called '{others[0].name}' at this station "
                              f"({others[0].role}, id {others[0].id}); "
                              + ("choose another name." if keep_id else "choose them, or add another name."))

    def update(self, person_id: str, *, confirm_by: str | None = None, confirm_pin: str = "",
               **changes) -> Person:
        """Change name, role, team or hidden. A role change to or from certifier needs a certifier's
        PIN (``confirm_by``, ``confirm_pin``), as :meth:`add` does."""
        allowed = {k: v for k, v in changes.items() if k in ("name", "role", "team", "hidden")}
        if "name" in allowed:                   # a rename keeps the id (derived only at creation)
            allowed["name"] = " ".join((allowed["name"] or "").split())
            if not allowed["name"]:
                raise PeopleError("A person needs a name.")
        if "role" in allowed and allowed["role"] not in ROLES:
            raise PeopleError(f"'{allowed['role']}' is not a role; use one of: {', '.join(ROLES)}.")
        before = self.get(person_id)
        if before is None:
            raise PeopleError("There is no such person at this station.")
        how = None
        if "role" in allowed and allowed["role"] != before.role and "certifier" in (allowed["role"], before.role):
            how = self._authorize(confirm_by, confirm_pin)
        with self.store.transaction() as db:
            if "name" in allowed:
                self._refuse_same_name(db, allowed["name"], keep_id=person_id)
            if how is not None:
                self._still(db, how, confirm_by)
                current = db.execute("SELECT role FROM people WHERE id=?", [person_id]).fetchone()
                if current is None or current[0] != before.role:
                    raise PeopleError(f"{before.name}'s role changed meanwhile; try again.")
            db["people"].update(person_id, {**allowed, "updated_at": now_iso(),
                                            "clock": self.store.tick()})
        person = self.get(person_id)
        assert person is not None
        return person

    def list(self, team: str | None = None) -> list[Person]:
        sql = "SELECT id, name, role, team FROM people WHERE deleted=0"
        params: list = []
        if team:
            sql += " AND team=?"
            params.append(team)
        sql += " ORDER BY name COLLATE NOCASE"
        return [Person(*row) for row in self.store.db.execute(sql, params).fetchall()]

    def get(self, person_id: str) -> Person | None:
        row = self.store.db.execute("SELECT id, name, role, team FROM people WHERE id=?",
                                    [person_id]).fetchone()
        return Person(*row) if row else None

    def find(self, key: str) -> Person:
        """Find a person by id or by name (compared as :func:`normal_name` does); a clear error when
        none or several match."""
        rows = self.store.db.execute(
            "SELECT id, name, role, team FROM people WHERE deleted=0 AND (id=? OR name=? COLLATE NOCASE)",
            [key, key]).fetchall()
        if not rows:                            # "ana  lopez", "ÁNA LÓPEZ": compared as add compares
            rows = [(p.id, p.name, p.role, p.team) for p in self.same_name(key)]
        if not rows:
            raise PeopleError(f"No one called '{key}' at this station. Add them with "
                              f"`rolecall people add \"{key}\" --role rep`.")
        if len(rows) > 1:
            raise PeopleError(f"Several people match '{key}'; use their id: "
                              + ", ".join(f"{r[1]} ({r[0]})" for r in rows))
        return Person(*rows[0])

    def set_email(self, person_id: str, email: str | None) -> str | None:
        """Set (or with ``None``/"" clear) a person's email, as an LRS identifies people by it (#25);
        stored in lower case, refused when it is not an address or someone else here has it."""
        value = normal_email(email)
        with self.store.transaction() as db:
            if db.execute("SELECT 1 FROM people WHERE id=?", [person_id]).fetchone() is None:
                raise PeopleError("There is no such person at this station.")
            if value:
                other = db.execute("SELECT name FROM people WHERE email=? COLLATE NOCASE AND id<>? AND deleted=0",
                                   [value, person_id]).fetchone()
                if other:
                    raise PeopleError(f"{other[0]} already has the email {value}.")
            db["people"].update(person_id, {"email": value, "updated_at": now_iso(), "clock": self.store.tick()})
        return value

    def email(self, person_id: str) -> str | None:
        row = self.store.db.execute("SELECT email FROM people WHERE id=?", [person_id]).fetchone()
        return row[0] if row else None

    def teams(self) -> list[str]:
        return [r[0] for r in self.store.db.execute(
            "SELECT DISTINCT team FROM people WHERE deleted=0 AND team IS NOT NULL ORDER BY team")]
