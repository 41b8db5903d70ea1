"""A statement validator for the xAPI 1.0.3 data model (xAPI-Data.md, part two of the specification).

Pure and small. :func:`problems` lists every rule a statement breaks, each with the path of the
property ("context.instructor.mbox: …"); :func:`check` raises :class:`InvalidStatement` with them. It
checks what an LRS must reject (§2.2 s4): missing or unknown properties, wrong types, nulls outside
extensions, IRIs without a scheme, malformed UUIDs, timestamps, durations and language tags, Agents
with no or several identifiers, Groups, StatementRefs and SubStatements, scores out of range, the
voiding and context rules. Interaction activity details (response patterns) are checked for type only.
"""
from __future__ import annotations

from typing import Any

from store.xapi.validate_base import (_TRUSTED, COMPONENT_LISTS, DURATION_RE, IFIS, INTERACTION_TYPES, LANG_RE,
                                      MAILTO_RE, SHA1_RE, STATEMENT_KEYS, SUB_KEYS, VERSION_RE, VOIDED, Trusted,
                                      _extensions, _iri, _irl, _language_map, _memo, _number, _obj, _string,
                                      _timestamp, _uuid, _where)

__all__ = ["InvalidStatement", "Trusted", "check", "problems"]


class InvalidStatement(ValueError):
    def __init__(self, found: list[str]):
        super().__init__("; ".join(found))
        self.problems = found


def check(statement: Any) -> None:
    found = problems(statement)
    if found:
        raise InvalidStatement(found)


def problems(statement: Any, trusted: "Trusted | None" = None) -> list[str]:
    """Every rule ``statement`` breaks, as "path: what is wrong" (empty: a valid statement).
    ``trusted`` remembers Agents and Activities found valid, so objects shared between many statements
    (StatementFactory makes one per person and exercise) are checked once."""
    out: list[str] = []
    token = _TRUSTED.set(trusted)
    try:
        _statement(statement, "", out, sub=False)
    finally:
        _TRUSTED.reset(token)
    return out


# -- actors ---------------------------------------------------------------------------------------
@_memo
def _actor(value, path: str, out: list[str], as_object: bool = False) -> None:
    if not isinstance(value, dict):
        out.append(f"{path}: must be an Agent or Group object")
        return
    kind = value.get("objectType", None if not as_object else "")
    if kind == "Group":
        _group(value, path, out)
    elif kind in (None, "Agent"):
        _agent(value, path, out)
    else:
        out.append(f"{path}.objectType: must be 'Agent' or 'Group'" if kind else
                   f"{path}.objectType: is required when an Agent or Group is the object")


def _ifi(value: dict, path: str, out: list[str], required: bool) -> None:
    present = [k for k in IFIS if k in value]
    if len(present) > 1:
        out.append(f"{path}: has {len(present)} identifiers ({', '.join(present)}); use exactly one")
    elif not present and required:
        out.append(f"{path}: needs one identifier (mbox, mbox_sha1sum, openid or account)")
    if "mbox" in value and _string(value["mbox"], f"{path}.mbox", out) and not MAILTO_RE.match(value["mbox"]):
        out.append(f"{path}.mbox: {value['mbox'][:60]!r} must be 'mailto:' followed by an email address")
    if "mbox_sha1sum" in value and _string(value["mbox_sha1sum"], f"{path}.mbox_sha1sum", out) \
            and not SHA1_RE.match(value["mbox_sha1sum"]):
        out.append(f"{path}.mbox_sha1sum: must be 40 hexadecimal digits (a SHA-1 of the mailto IRI)")
    if "openid" in value:
        _iri(value["openid"], f"{path}.openid", out)
    if "account" in value:
        account = value["account"]
        if _obj(account, f"{path}.account", out, {"homePage", "name"}, ("homePage", "name")):
            if "homePage" in account:
                _irl(account["homePage"], f"{path}.account.homePage", out)
            if "name" in account:
                _string(account["name"], f"{path}.account.name", out)


def _agent(value: dict, path: str, out: list[str]) -> None:
    _obj(value, path, out, {"objectType", "name", *IFIS})
    if "name" in value:
        _string(value["name"], f"{path}.name", out, empty_ok=True)
    _ifi(value, path, out, required=True)


def _group(value: dict, path: str, out: list[str]) -> None:
    _obj(value, path, out, {"objectType", "name", "member", *IFIS})
    if "name" in value:
        _string(value["name"], f"{path}.name", out, empty_ok=True)
    identified = any(k in value for k in IFIS)
    _ifi(value, path, out, required=False)
    member = value.get("member")
    if not identified and member is None:
        out.append(f"{path}.member: an anonymous Group must list its members")
    if member is None:
        return
    if not isinstance(member, list):
        out.append(f"{path}.member: must be an array of Agents")
        return
    for i, m in enumerate(member):
        if isinstance(m, dict) and m.get("objectType") == "Group":
            out.append(f"{path}.member[{i}]: a Group must not contain Groups")
        elif isinstance(m, dict) and m.get("objectType", "Agent") != "Agent":
            out.append(f"{path}.member[{i}].objectType: must be 'Agent'")
        else:
            _agent(m, f"{path}.member[{i}]", out) if isinstance(m, dict) else \
                out.append(f"{path}.member[{i}]: must be an Agent object")


# -- verb, object -----------------------------------------------------------------------------------
def _verb(value, path: str, out: list[str]) -> None:
    if _obj(value, path, out, {"id", "display"}, ("id",)):
        if "id" in value:
            _iri(value["id"], f"{path}.id", out)
        if "display" in value:
            _language_map(value["display"], f"{path}.display", out)


@_memo
def _activity(value, path: str, out: list[str]) -> None:
    if not _obj(value, path, out, {"objectType", "id", "definition"}, ("id",)):
        return
    if value.get("objectType", "Activity") != "Activity":
        out.append(f"{path}.objectType: must be 'Activity'")
    if "id" in value:
        _iri(value["id"], f"{path}.id", out)
    if "definition" in value:
        _definition(value["definition"], f"{path}.definition", out)


def _definition(value, path: str, out: list[str]) -> None:
    allowed = {"name", "description", "type", "moreInfo", "extensions", "interactionType",
               "correctResponsesPattern", *COMPONENT_LISTS}
    if not _obj(value, path, out, allowed):
        return
    for key in ("name", "description"):
        if key in value:
            _language_map(value[key], f"{path}.{key}", out)
    if "type" in value:
        _iri(value["type"], f"{path}.type", out)
    if "moreInfo" in value:
        _irl(value["moreInfo"], f"{path}.moreInfo", out)
    if "extensions" in value:
        _extensions(value["extensions"], f"{path}.extensions", out)
    interaction = value.get("interactionType")
    if interaction is not None and interaction not in INTERACTION_TYPES:
        out.append(f"{path}.interactionType: {str(interaction)[:30]!r} is not one of {', '.join(INTERACTION_TYPES)}")
    uses_interaction = "correctResponsesPattern" in value or any(k in value for k in COMPONENT_LISTS)
    if uses_interaction and interaction is None:
        out.append(f"{path}.interactionType: is required with interaction properties")
    pattern = value.get("correctResponsesPattern")
    if pattern is not None and not (isinstance(pattern, list) and all(isinstance(p, str) for p in pattern)):
        out.append(f"{path}.correctResponsesPattern: must be an array of strings")
    for key in COMPONENT_LISTS:
        if key in value:
            _components(value[key], f"{path}.{key}", out)


def _components(value, path: str, out: list[str]) -> None:
    if not isinstance(value, list):
        out.append(f"{path}: must be an array of interaction components")
        return
    seen = set()
    for i, c in enumerate(value):
        if _obj(c, f"{path}[{i}]", out, {"id", "description"}, ("id",)) and "id" in c:
            if _string(c["id"], f"{path}[{i}].id", out) and c["id"] in seen:
                out.append(f"{path}[{i}].id: {c['id'][:30]!r} is used twice")
            seen.add(c.get("id"))
            if "description" in c:
                _language_map(c["description"], f"{path}[{i}].description", out)


def _object(value, path: str, out: list[str], sub: bool) -> str:
    if not isinstance(value, dict):
        out.append(f"{path}: must be an object")
        return ""
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        _activity(value, path, out)
    elif kind in ("Agent", "Group"):
        _actor(value, path, out, as_object=True)
    elif kind == "StatementRef":
        _statement_ref(value, path, out)
    elif kind == "SubStatement":
        if sub:
            out.append(f"{path}: a SubStatement must not contain another SubStatement")
        else:
            _statement(value, path, out, sub=True)
    else:
        out.append(f"{path}.objectType: {str(kind)[:30]!r} is not Activity, Agent, Group, StatementRef "
                   "or SubStatement")
    return kind if isinstance(kind, str) else ""


def _statement_ref(value, path: str, out: list[str]) -> None:
    if _obj(value, path, out, {"objectType", "id"}, ("objectType", "id")) and "id" in value:
        _uuid(value["id"], f"{path}.id", out)


# -- result, context --------------------------------------------------------------------------------
def _result(value, path: str, out: list[str]) -> None:
    if not _obj(value, path, out, {"score", "success", "completion", "response", "duration", "extensions"}):
        return
    for key in ("success", "completion"):
        if key in value and not isinstance(value[key], bool):
            out.append(f"{path}.{key}: must be true or false")
    if "response" in value:
        _string(value["response"], f"{path}.response", out, empty_ok=True)
    if "duration" in value and _string(value["duration"], f"{path}.duration", out) \
            and not DURATION_RE.match(value["duration"]):
        out.append(f"{path}.duration: {value['duration'][:30]!r} is not an ISO 8601 duration (e.g. PT95.5S)")
    if "extensions" in value:
        _extensions(value["extensions"], f"{path}.extensions", out)
    if "score" in value:
        _score(value["score"], f"{path}.score", out)


def _score(value, path: str, out: list[str]) -> None:
    if not _obj(value, path, out, {"scaled", "raw", "min", "max"}):
        return
    for key in value:
        if value[key] is not None and not _number(value[key]):
            out.append(f"{path}.{key}: must be a number")
    nums = {k: v for k, v in value.items() if _number(v)}
    if "scaled" in nums and not -1 <= nums["scaled"] <= 1:
        out.append(f"{path}.scaled: {nums['scaled']} is outside -1 … 1")
    if "min" in nums and "max" in nums and not nums["min"] < nums["max"]:
        out.append(f"{path}: min must be less than max")
    if "raw" in nums and "min" in nums and nums["raw"] < nums["min"]:
        out.append(f"{path}.raw: is below min")
    if "raw" in nums and "max" in nums and nums["raw"] > nums["max"]:
        out.append(f"{path}.raw: is above max")


def _context(value, path: str, out: list[str], object_kind: str) -> None:
    allowed = {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
               "statement", "extensions"}
    if not _obj(value, path, out, allowed):
        return
    if "registration" in value:
        _uuid(value["registration"], f"{path}.registration", out)
    if "instructor" in value:
        _actor(value["instructor"], f"{path}.instructor", out)
    if "team" in value:
        team = value["team"]
        if not isinstance(team, dict) or team.get("objectType") != "Group":
            out.append(f"{path}.team: must be a Group (objectType 'Group')")
        else:
            _group(team, f"{path}.team", out)
    for key in ("revision", "platform"):
        if key in value:
            _string(value[key], f"{path}.{key}", out, empty_ok=True)
            if object_kind != "Activity":
                out.append(f"{path}.{key}: may only be used when the object is an Activity")
    if "language" in value and _string(value["language"], f"{path}.language", out) \
            and not LANG_RE.match(value["language"]):
        out.append(f"{path}.language: {value['language'][:40]!r} is not an RFC 5646 language tag")
    if "statement" in value:
        ref = value["statement"]
        if not isinstance(ref, dict) or ref.get("objectType") != "StatementRef":
            out.append(f"{path}.statement: must be a StatementRef")
        else:
            _statement_ref(ref, f"{path}.statement", out)
    if "extensions" in value:
        _extensions(value["extensions"], f"{path}.extensions", out)
    if "contextActivities" in value:
        acts = value["contextActivities"]
        if _obj(acts, f"{path}.contextActivities", out, {"parent", "grouping", "category", "other"}):
            for key, item in acts.items():
                items = item if isinstance(item, list) else [item]
                for i, activity in enumerate(items):
                    _activity(activity, f"{path}.contextActivities.{key}[{i}]", out)


# -- the statement ----------------------------------------------------------------------------------
def _statement(value, path: str, out: list[str], sub: bool) -> None:
    keys = SUB_KEYS if sub else STATEMENT_KEYS
    if not _obj(value, path, out, keys, ("actor", "verb", "object")):
        return
    if sub and value.get("objectType") != "SubStatement":
        out.append(f"{_where(path, 'objectType')}: must be 'SubStatement'")
    if "id" in value:
        _uuid(value["id"], _where(path, "id"), out)
    if "actor" in value:
        _actor(value["actor"], _where(path, "actor"), out)
    if "verb" in value:
        _verb(value["verb"], _where(path, "verb"), out)
    kind = _object(value["object"], _where(path, "object"), out, sub) if "object" in value else ""
    if isinstance(value.get("verb"), dict) and value["verb"].get("id") == VOIDED and kind != "StatementRef":
        out.append(f"{_where(path, 'object')}: a voiding statement's object must be a StatementRef")
    if "result" in value:
        _result(value["result"], _where(path, "result"), out)
    if "context" in value:
        _context(value["context"], _where(path, "context"), out, kind)
    for key in ("timestamp", "stored"):
        if key in value:
            _timestamp(value[key], _where(path, key), out)
    if "authority" in value:
        _actor(value["authority"], _where(path, "authority"), out)
    if "version" in value and _string(value["version"], _where(path, "version"), out) \
            and not VERSION_RE.match(value["version"]):
        out.append(f"{_where(path, 'version')}: must start with 1.0")
    if "attachments" in value and not isinstance(value["attachments"], list):
        out.append(f"{_where(path, 'attachments')}: must be an array")
