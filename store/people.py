"""People at the stations: reps, coaches and certifiers."""
from __future__ import annotations

from dataclasses import dataclass

from store.clock import now_iso
from store.db import Store

ROLES = ("rep", "coach", "certifier")


class PeopleError(ValueError):
    pass


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

    def add(self, name: str, role: str, team: str | None = None) -> Person:
        name = " ".join((name or "").split())
        team = " ".join(team.split()) if team else None
        if not name:
            raise PeopleError("A person needs a name.")
        if role not in ROLES:
            raise PeopleError(f"'{role}' is not a role; use one of: {', '.join(ROLES)}.")
        with self.store.transaction() as db:
            clash = db.execute("SELECT 1 FROM people WHERE name=? COLLATE NOCASE AND deleted=0",
                               [name]).fetchone()
            if clash:
                raise PeopleError(f"There is already someone called '{name}' at this station.")
            fields = self.store.record_fields()
            db["people"].insert({**fields, "updated_at": fields["created_at"], "name": name,
                                 "role": role, "team": team})
        return Person(fields["id"], name, role, team)

    def update(self, person_id: str, **changes) -> Person:
        allowed = {k: v for k, v in changes.items() if k in ("name", "role", "team", "hidden")}
        if "role" in allowed and allowed["role"] not in ROLES:
            raise PeopleError(f"'{allowed['role']}' is not a role; use one of: {', '.join(ROLES)}.")
        with self.store.transaction() as db:
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
        """Find a person by id or by name (case-insensitive); a clear error when none or several match."""
        rows = self.store.db.execute(
            "SELECT id, name, role, team FROM people WHERE deleted=0 AND (id=? OR name=? COLLATE NOCASE)",
            [key, key]).fetchall()
        if not rows:
            raise PeopleError(f"No one called '{key}' at this station. Add them with "
                              f"`rolecall people add \"{key}\" --role rep`.")
        if len(rows) > 1:
            raise PeopleError(f"Several people match '{key}'; use their id: "
                              + ", ".join(f"{r[1]} ({r[0]})" for r in rows))
        return Person(*rows[0])

    def teams(self) -> list[str]:
        return [r[0] for r in self.store.db.execute(
            "SELECT DISTINCT team FROM people WHERE deleted=0 AND team IS NOT NULL ORDER BY team")]
