"""Kit definitions in the store: import (idempotent, one transaction) and queries."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from scoring.kit import Criterion, Exercise, Kit, Program, Rubric, Term
from store.clock import kit_id, now_iso
from store.db import Store


@dataclass
class ImportReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(sum(self.added.values()) + sum(self.updated.values()))

    def summary(self) -> str:
        parts = [f"{n} {kind} added" for kind, n in self.added.items() if n]
        parts += [f"{n} {kind} updated" for kind, n in self.updated.items() if n]
        return ", ".join(parts) + (f"; {self.unchanged} unchanged" if parts else
                                   f"nothing changed ({self.unchanged} items already up to date)")


def _term_row(t: Term) -> dict:
    return {"id": kit_id("term", t.slug), "slug": t.slug, "term": t.term, "definition": t.definition,
            "aliases": json.dumps(list(t.aliases))}


def _rubric_row(r: Rubric) -> dict:
    return {"id": kit_id("rubric", r.slug), "slug": r.slug, "title": r.title,
            "description": r.description, "version": r.version}


def _criterion_row(r: Rubric, c: Criterion, position: int) -> dict:
    return {"id": kit_id("criterion", f"{r.slug}/{c.slug}"), "rubric_id": kit_id("rubric", r.slug),
            "slug": c.slug, "title": c.title, "description": c.description,
            "terms": json.dumps([kit_id("term", s) for s in c.terms]), "weight": c.weight,
            "required": int(c.required), "min_score": c.min_score,
            "anchors": json.dumps({str(k): v for k, v in sorted(c.anchors.items())}),
            "position": position}


def _exercise_row(e: Exercise, position: int) -> dict:
    return {"id": kit_id("exercise", e.slug), "slug": e.slug, "kind": e.kind, "title": e.title,
            "prompt": e.prompt, "prework": e.prework, "time_limit_s": e.time_limit_s,
            "rubric_id": kit_id("rubric", e.rubric), "available_from": e.available_from,
            "position": position}


def _program_row(p: Program) -> dict:
    return {"id": kit_id("program", p.slug), "slug": p.slug, "title": p.title,
            "description": p.description, "rubric_id": kit_id("rubric", p.rubric),
            "exercises": json.dumps([kit_id("exercise", s) for s in p.exercises]),
            "pass_threshold": p.pass_threshold,
            "required_criteria": json.dumps({kit_id("criterion", f"{p.rubric}/{s}"): m
                                             for s, m in sorted(p.required_criteria.items())}),
            "min_scorecards": p.min_scorecards, "valid_days": p.valid_days, "version": p.version}


class KitRepo:
    def __init__(self, store: Store):
        self.store = store

    # -- import ------------------------------------------------------------------------------
    @staticmethod
    def _plan(kit: Kit) -> list[tuple[str, list[dict]]]:
        return [("terms", [_term_row(t) for t in kit.terms]),
                ("rubrics", [_rubric_row(r) for r in kit.rubrics]),
                ("criteria", [_criterion_row(r, c, i) for r in kit.rubrics
                              for i, c in enumerate(r.criteria)]),
                ("exercises", [_exercise_row(e, i) for i, e in enumerate(kit.exercises)]),
                ("programs", [_program_row(p) for p in kit.programs])]

    def changes(self, kit: Kit) -> list[str]:
        """What importing ``kit`` would change among the items this station already has, e.g.
        "programs 'new-messaging-certification': pass_threshold, valid_days" (new items not listed)."""
        out = []
        for table, rows in self._plan(kit):
            for row in rows:
                cur = self.store.db.execute(f"SELECT * FROM {table} WHERE id=? AND deleted=0", [row["id"]])
                found = cur.fetchone()
                if found is None:
                    continue
                current = dict(zip([d[0] for d in cur.description], found))
                fields = [k for k, v in row.items() if current.get(k) != v and k != "position"]
                if fields:
                    out.append(f"{table} '{row['slug']}': {', '.join(fields)}")
        return out

    def import_kit(self, kit: Kit) -> ImportReport:
        """Write a validated kit in one transaction. Rows whose content is unchanged are not touched,
        so re-importing the same kit changes nothing."""
        report = ImportReport()
        plan = self._plan(kit)
        with self.store.transaction() as db:
            for table, rows in plan:
                for row in rows:
                    self._upsert(db, table, row, report)
        return report

    def _upsert(self, db, table: str, row: dict, report: ImportReport) -> None:
        existing = db.execute(f"SELECT * FROM {table} WHERE id=?", [row["id"]]).fetchone()
        if existing is not None:
            current = dict(zip([d[0] for d in db.execute(f"SELECT * FROM {table} LIMIT 0").description],
                               existing))
            if all(current.get(k) == v for k, v in row.items()) and not current.get("deleted"):
                report.unchanged += 1
                return
            changes = {**row, "updated_at": now_iso(), "clock": self.store.tick(), "deleted": 0}
            db[table].update(row["id"], changes)
            report.updated[table] = report.updated.get(table, 0) + 1
            return
        fields = self.store.record_fields()
        db[table].insert({**fields, **row, "updated_at": fields["created_at"]})
        report.added[table] = report.added.get(table, 0) + 1

    def is_empty(self) -> bool:
        return self.store.db.execute("SELECT count(*) FROM exercises WHERE deleted=0").fetchone()[0] == 0

    # -- queries -----------------------------------------------------------------------------
    def _rows(self, sql: str, params=()) -> list[dict]:
        return [dict(r) for r in self.store.db.query(sql, params)]

    def terms(self) -> list[dict]:
        rows = self._rows("SELECT id, slug, term, definition, aliases FROM terms WHERE deleted=0 "
                          "ORDER BY term COLLATE NOCASE")
        for row in rows:
            row["aliases"] = json.loads(row["aliases"])
        return rows

    def rubrics(self) -> list[dict]:
        rubrics = self._rows("SELECT id, slug, title, description, version FROM rubrics WHERE deleted=0 "
                             "ORDER BY title COLLATE NOCASE")
        for rubric in rubrics:
            rubric["criteria"] = self.criteria(rubric["id"])
        return rubrics

    def criteria(self, rubric_id: str) -> list[dict]:
        rows = self._rows("SELECT id, slug, title, description, terms, weight, required, min_score, "
                          "anchors FROM criteria WHERE rubric_id=? AND deleted=0 ORDER BY position",
                          [rubric_id])
        for row in rows:
            row["terms"] = json.loads(row["terms"])
            row["anchors"] = {int(k): v for k, v in json.loads(row["anchors"]).items()}
            row["required"] = bool(row["required"])
        return rows

    def exercises(self) -> list[dict]:
        return self._rows("SELECT e.id, e.slug, e.kind, e.title, e.prompt, e.prework, e.time_limit_s, "
                          "e.rubric_id, r.slug AS rubric, e.available_from FROM exercises e "
                          "LEFT JOIN rubrics r ON r.id = e.rubric_id WHERE e.deleted=0 "
                          "ORDER BY e.position, e.title")

    def programs(self) -> list[dict]:
        rows = self._rows("SELECT p.id, p.slug, p.title, p.description, p.rubric_id, r.slug AS rubric, "
                          "p.exercises, p.pass_threshold, p.required_criteria, p.min_scorecards, "
                          "p.valid_days, p.version FROM programs p LEFT JOIN rubrics r ON r.id=p.rubric_id "
                          "WHERE p.deleted=0 ORDER BY p.title")
        for row in rows:
            row["exercises"] = json.loads(row["exercises"])
            row["required_criteria"] = json.loads(row["required_criteria"])
        return rows

    def find(self, table: str, key: str) -> dict | None:
        """Look a kit item up by its id or its slug."""
        rows = self._rows(f"SELECT * FROM {table} WHERE (id=? OR slug=?) AND deleted=0", [key, key])
        return rows[0] if rows else None

    def exercise(self, key: str) -> dict | None:
        return self.find("exercises", key)

    def vocabulary_phrases(self) -> list[str]:
        """Every term and alias, for biasing the recogniser."""
        out = []
        for term in self.terms():
            out.append(term["term"])
            out.extend(term["aliases"])
        return out


def kit_as_dict(kit: Kit) -> dict:
    return asdict(kit)
