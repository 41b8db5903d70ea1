"""Statements from records: pure functions of plain rows and the station's lookups (no SQL, no Qt).

store/xapi/records.py reads the rows; this module turns each into the statement docs/xapi.md
describes. A record that cannot make a statement (a take with no rep, an exemplar nobody promoted, a
person or exercise that is not on the station) raises :class:`NotApplicable` with the reason.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote

from scoring.rubric import SCALE_MAX, SCALE_MIN, CriterionRule, normalise, weighted_total
from store.xapi import profile as P


class NotApplicable(ValueError):
    """This record makes no statement (the reason says why)."""


@dataclass(frozen=True)
class Identity:
    """How people and activities are named in statements (station settings, store/xapi/config.py)."""
    home_page: str = P.DEFAULT_HOME_PAGE
    pseudonymise: bool = False


@dataclass
class Lookups:
    """The small tables a statement names things from, read once per export or push."""
    people: dict[str, tuple] = field(default_factory=dict)      # id -> (name, email, team, role)
    exercises: dict[str, tuple] = field(default_factory=dict)   # id -> (slug, title, prompt, kind)
    criteria: dict[str, tuple] = field(default_factory=dict)    # id -> (slug, title, weight)
    rubrics: dict[str, tuple] = field(default_factory=dict)     # id -> (slug, version)
    programs: dict[str, tuple] = field(default_factory=dict)    # id -> (slug, title, description)
    stations: dict[str, str] = field(default_factory=dict)      # id -> name


def _text(value: str, limit: int = 1000) -> dict:
    value = " ".join((value or "").split())
    return {P.LANGUAGE: value[:limit]}


def _seconds(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return round(number, 2) if number == number and abs(number) != float("inf") else None


class StatementFactory:
    """Builds statements. Agents and exercise activities are made once per person and exercise and
    shared between statements (so the validator checks each once): never change a statement in place."""

    def __init__(self, lookups: Lookups, identity: Identity):
        self.lookups, self.identity = lookups, identity
        self._agents: dict[str, dict] = {}
        self._exercises: dict[str, tuple[dict, str]] = {}
        self._takes: dict[str, dict] = {}          # the latest takes' activities (a take's scorecards share one)
        self._stations: dict[str, dict] = {}

    # -- the parts ------------------------------------------------------------------------------
    def agent(self, person_id: str | None, what: str) -> dict:
        made = self._agents.get(person_id or "")
        if made is not None:
            return made
        person = self.lookups.people.get(person_id or "")
        if person is None:
            raise NotApplicable(f"the {what} ({person_id or 'nobody'}) is not on this station")
        name, email, _team, _role = person
        made = self._agents[person_id] = P.agent(person_id, name, email, self.identity.home_page,
                                                  self.identity.pseudonymise)
        return made

    def exercise(self, exercise_id: str | None) -> tuple[dict, str]:
        made = self._exercises.get(exercise_id or "")
        if made is not None:
            return made
        ex = self.lookups.exercises.get(exercise_id or "")
        if ex is None:
            raise NotApplicable(f"the exercise {exercise_id or '(none)'} is not in this station's kit")
        slug, title, prompt, kind = ex
        definition = {"type": P.ACTIVITY_TYPES["exercise"], "name": _text(title, 200)}
        if prompt:
            definition["description"] = _text(prompt)
        made = self._exercises[exercise_id] = (
            {"objectType": "Activity", "id": P.activity_id(self.identity.home_page, "exercises", quote(slug)),
             "definition": definition}, kind)
        return made

    def take(self, take_id: str, exercise_title: str | None = None) -> dict:
        key = f"{take_id}\n{exercise_title or ''}"
        made = self._takes.get(key)
        if made is None:
            definition: dict = {"type": P.ACTIVITY_TYPES["take"]}
            if exercise_title:
                definition["name"] = _text(f"Take of {exercise_title}", 200)
            made = {"objectType": "Activity", "id": P.activity_id(self.identity.home_page, "takes", take_id),
                    "definition": definition}
            if len(self._takes) >= 2000:
                self._takes.clear()
            self._takes[key] = made
        return made

    def _station(self, station_id: str | None) -> dict:
        made = self._stations.get(station_id or "")
        if made is None:
            made = self._stations[station_id or ""] = {"id": station_id or "",
                                                       "name": self.lookups.stations.get(station_id or "", "")}
        return made

    def _context(self, station_id: str | None, *, other: list[dict] | None = None, parent: list[dict] | None = None,
                 platform: bool = True, **extensions) -> dict:
        acts: dict = {"category": [P.profile_activity()]}
        if parent:
            acts["parent"] = parent
        if other:
            acts["other"] = other
        ext = {P.EXTENSIONS["station"]: self._station(station_id)}
        ext.update({P.EXTENSIONS[k.replace("_", "-")]: v for k, v in extensions.items() if v is not None})
        context = {"contextActivities": acts, "extensions": ext}
        if platform:
            context["platform"] = "Rolecall"
        return context

    # -- takes --------------------------------------------------------------------------------------
    def take_statement(self, kind: str, t: dict) -> dict:
        """``attempted`` (a take was recorded) or ``completed`` (it was submitted)."""
        if not t.get("rep_id"):
            raise NotApplicable("the take has no rep")
        activity, exercise_kind = self.exercise(t.get("exercise_id"))
        stamp = t.get("submitted_at") if kind == "completed" else (t.get("started_at") or t.get("created_at"))
        if not stamp:
            raise NotApplicable(f"the take has no {'submission' if kind == 'completed' else 'start'} time")
        result: dict = {}
        span = P.duration(_seconds(t.get("duration_s")))
        if span:
            result["duration"] = span
        if kind == "completed":
            result["completion"] = True
        context = self._context(t.get("station_id"), other=[self.take(t["id"], activity["definition"]["name"][P.LANGUAGE])],
                                exercise_kind=exercise_kind, take=t["id"])
        context["registration"] = P.registration(t["id"])
        if t.get("partner_id") and exercise_kind == "role-play":
            partner = self.agent(t["partner_id"], "partner")
            context["team"] = {"objectType": "Group", "member": [partner]}
        statement = {"id": P.statement_id(kind, t["id"]), "actor": self.agent(t["rep_id"], "rep"),
                     "verb": P.verb(kind), "object": activity, "context": context, "timestamp": stamp}
        if result:
            statement["result"] = result
        return statement

    # -- scorecards ---------------------------------------------------------------------------------
    def scored(self, c: dict) -> dict:
        """``scored``: the rep's take scored by a peer or coach against the rubric."""
        if not c.get("rep_id"):
            raise NotApplicable("the scored take has no rep")
        if c.get("rep_id") == c.get("scorer_id"):
            raise NotApplicable("a rep's own scorecard on their take is not a score")
        activity, exercise_kind = self.exercise(c.get("exercise_id"))
        rules, rows, evidence = [], [], []
        values: dict[str, float] = {}
        for criterion_id, score, evidence_s in c.get("scores", ()):
            slug, title, weight = self.lookups.criteria.get(criterion_id, (criterion_id, "", 1.0))
            rules.append(CriterionRule(criterion_id, slug, title, float(weight)))
            values[criterion_id] = float(score)
            rows.append({"criterion": slug, "name": title, "score": score, "weight": float(weight)})
            at = _seconds(evidence_s)
            if at is not None:
                evidence.append({"criterion": slug, "at_s": at})
        total = weighted_total(values, rules)
        if total is None:
            raise NotApplicable("the scorecard holds no scores")
        scaled = normalise(total)
        result = {"score": {"scaled": round(min(1.0, max(0.0, scaled)), 4), "raw": round(total, 4),
                            "min": SCALE_MIN, "max": SCALE_MAX},
                  "extensions": {P.EXTENSIONS["criterion-scores"]: rows, P.EXTENSIONS["evidence"]: evidence}}
        scorer = self.lookups.people.get(c.get("scorer_id") or "")
        role = {"rep": "peer"}.get(scorer[3], scorer[3]) if scorer else None
        rubric = self.lookups.rubrics.get(c.get("rubric_id") or "")
        context = self._context(
            c.get("station_id"), other=[self.take(c["recording_id"], activity["definition"]["name"][P.LANGUAGE])],
            exercise_kind=exercise_kind, take=c["recording_id"], scorer_role=role,
            scorecard_version=c.get("version") or 1,
            rubric={"slug": rubric[0], "version": c.get("rubric_version") or rubric[1]} if rubric else None)
        context["instructor"] = self.agent(c.get("scorer_id"), "scorer")
        context["registration"] = P.registration(c["recording_id"])
        context["statement"] = {"objectType": "StatementRef", "id": P.statement_id("completed", c["recording_id"])}
        return {"id": P.statement_id("scored", c["id"]), "actor": self.agent(c["rep_id"], "rep"),
                "verb": P.verb("scored"), "object": activity, "result": result, "context": context,
                "timestamp": c["submitted_at"]}

    def voided(self, c: dict) -> dict:
        """A revision voids the ``scored`` statement of the version it supersedes."""
        if not c.get("supersedes"):
            raise NotApplicable("the scorecard revises nothing")
        return {"id": P.statement_id("voided", c["id"]), "actor": self.agent(c.get("scorer_id"), "scorer"),
                "verb": P.verb("voided"),
                "object": {"objectType": "StatementRef", "id": P.statement_id("scored", c["supersedes"])},
                "context": self._context(c.get("station_id"), platform=False), "timestamp": c["submitted_at"]}

    # -- certification ------------------------------------------------------------------------------
    def decision(self, d: dict) -> dict:
        """``passed`` (certified) or ``failed`` (needs rework) on the program."""
        program = self.lookups.programs.get(d.get("program_id") or "")
        if program is None:
            raise NotApplicable(f"the program {d.get('program_id')} is not in this station's kit")
        slug, title, description = program
        passed = d.get("decision") == "certified"
        definition = {"type": P.ACTIVITY_TYPES["program"], "name": _text(title, 200)}
        if description:
            definition["description"] = _text(description)
        activity = {"objectType": "Activity", "id": P.activity_id(self.identity.home_page, "programs", quote(slug)),
                    "definition": definition}
        result: dict = {"success": passed, "completion": True}
        snapshot = _json(d.get("scores"), {})
        total = snapshot.get("total") if isinstance(snapshot, dict) else None
        if isinstance(total, (int, float)) and SCALE_MIN <= total <= SCALE_MAX:
            result["score"] = {"scaled": round(normalise(float(total)), 4), "raw": round(float(total), 4),
                               "min": SCALE_MIN, "max": SCALE_MAX}
        extensions = {}
        means = snapshot.get("criteria") if isinstance(snapshot, dict) else None
        if isinstance(means, dict):
            extensions[P.EXTENSIONS["criterion-means"]] = {
                k: round(v, 3) for k, v in means.items() if isinstance(v, (int, float))}
        if passed and d.get("valid_until"):
            extensions[P.EXTENSIONS["valid-until"]] = d["valid_until"]
        if extensions:
            result["extensions"] = extensions
        evidence = [e for e in _json(d.get("evidence"), []) if isinstance(e, str)]
        rubric = self.lookups.rubrics.get(d.get("rubric_id") or "")
        context = self._context(d.get("station_id"), other=[self.take(e) for e in evidence],
                                program_version=d.get("program_version"),
                                rubric={"slug": rubric[0], "version": d.get("rubric_version") or rubric[1]}
                                if rubric else None)
        context["instructor"] = self.agent(d.get("certifier_id"), "certifier")
        return {"id": P.statement_id("decision", d["id"]), "actor": self.agent(d.get("rep_id"), "rep"),
                "verb": P.verb("passed" if passed else "failed"), "object": activity, "result": result,
                "context": context, "timestamp": d["decided_at"]}

    # -- exemplars ----------------------------------------------------------------------------------
    def exemplar(self, x: dict) -> dict:
        """A coach promoted a rep's take as an exemplar: the object is the take's ``completed`` statement."""
        if not x.get("promoted_by"):
            raise NotApplicable("nobody on this station promoted it (a partner kit's exemplar)")
        if not x.get("rep_id"):
            raise NotApplicable("the exemplar take has no rep")
        activity, exercise_kind = self.exercise(x.get("exercise_id"))
        context = self._context(x.get("station_id"), platform=False,
                                other=[self.take(x["recording_id"], activity["definition"]["name"][P.LANGUAGE])],
                                parent=[activity], exercise_kind=exercise_kind, take=x["recording_id"])
        return {"id": P.statement_id("exemplar", x["id"]), "actor": self.agent(x["promoted_by"], "coach"),
                "verb": P.verb("promoted"),
                "object": {"objectType": "StatementRef", "id": P.statement_id("completed", x["recording_id"])},
                "context": context, "timestamp": x["created_at"]}

    def build(self, kind: str, row: dict) -> dict:
        if kind in ("attempted", "completed"):
            return self.take_statement(kind, row)
        return {"scored": self.scored, "voided": self.voided, "decision": self.decision,
                "exemplar": self.exemplar}[kind](row)


def _json(text, default):
    if not isinstance(text, str):
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default
