"""The building blocks of store/xapi/validate.py: the formats xAPI 1.0.3 defines (IRIs, IRLs, UUIDs,
language tags, timestamps, durations), the checks of plain values, and the memo of objects already
found valid. Pure."""
from __future__ import annotations

import math
import re
from contextvars import ContextVar

ID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
IRL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://[^\s/?#]+[^\s]*$")
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}$")
MAILTO_RE = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
LANG_RE = re.compile(r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?"
                     r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
                     r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?$"
                     r"|^[xX](?:-[A-Za-z0-9]{1,8})+$")
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$")
# the specification's own examples include P16559.14S (seconds without the T), so that form passes too
DURATION_RE = re.compile(r"^P(?:\d+(?:\.\d+)?W|\d+(?:\.\d+)?S|(?=\d|T\d)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?"
                         r"(?:\d+(?:\.\d+)?D)?(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?"
                         r"(?:\d+(?:\.\d+)?S)?)?)$")
VERSION_RE = re.compile(r"^1\.0(?:\.\d+)?$")
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                  "version", "attachments"}
SUB_KEYS = {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
INTERACTION_TYPES = ("true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
                     "sequencing", "likert", "numeric", "other")
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


class Trusted:
    """Agents and Activities already found valid, by identity. It holds a reference to each, so an
    id() is never reused for another object while it is remembered."""

    LIMIT = 20_000      # then it starts again: an export of a million statements stays small

    def __init__(self):
        self._objects: dict[int, dict] = {}

    def knows(self, value) -> bool:
        return self._objects.get(id(value)) is value

    def remember(self, value, out: list[str], before: int) -> None:
        if len(out) == before and isinstance(value, dict):
            if len(self._objects) >= self.LIMIT:
                self._objects.clear()
            self._objects[id(value)] = value


_TRUSTED: ContextVar["Trusted | None"] = ContextVar("xapi_trusted", default=None)


def _memo(check):
    def wrapper(value, path: str, out: list[str], *args, **kwargs):
        trusted = _TRUSTED.get()
        if trusted is not None and trusted.knows(value):
            return
        before = len(out)
        check(value, path, out, *args, **kwargs)
        if trusted is not None:
            trusted.remember(value, out, before)
    return wrapper


# -- helpers --------------------------------------------------------------------------------------
def _where(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _obj(value, path: str, out: list[str], allowed: set[str], required: tuple[str, ...] = ()) -> bool:
    if not isinstance(value, dict):
        out.append(f"{path or 'statement'}: must be an object")
        return False
    for key in value:
        if key not in allowed:
            out.append(f"{_where(path, key)}: is not a property xAPI allows here")
    for key in required:
        if key not in value:
            out.append(f"{_where(path, key)}: is required")
    for key, item in value.items():
        if item is None and key in allowed:
            out.append(f"{_where(path, key)}: must not be null")
    return True


def _string(value, path: str, out: list[str], empty_ok: bool = False) -> bool:
    if not isinstance(value, str):
        out.append(f"{path}: must be a string")
        return False
    if not value and not empty_ok:
        out.append(f"{path}: must not be empty")
        return False
    return True


def _iri(value, path: str, out: list[str]) -> None:
    if _string(value, path, out) and not SCHEME_RE.match(value):
        out.append(f"{path}: {value[:80]!r} is not an IRI (it needs a scheme such as https:)")


def _irl(value, path: str, out: list[str]) -> None:
    if _string(value, path, out) and not IRL_RE.match(value):
        out.append(f"{path}: {value[:80]!r} is not an IRL (e.g. https://example.com)")


def _uuid(value, path: str, out: list[str]) -> None:
    if _string(value, path, out) and not ID_RE.match(value):
        out.append(f"{path}: {value[:80]!r} is not a UUID in standard form")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _language_map(value, path: str, out: list[str]) -> None:
    if not isinstance(value, dict):
        out.append(f"{path}: must be a language map (an object of language tag -> text)")
        return
    for tag, text in value.items():
        if not LANG_RE.match(tag):
            out.append(f"{path}: {tag[:40]!r} is not an RFC 5646 language tag")
        if not isinstance(text, str):
            out.append(f"{_where(path, tag)}: must be a string")


def _extensions(value, path: str, out: list[str]) -> None:
    if not isinstance(value, dict):
        out.append(f"{path}: must be an object")
        return
    for key in value:                            # values may be anything, null included (§4.1)
        _iri(key, f"{path}[{key[:60]!r}]", out)


def _timestamp(value, path: str, out: list[str]) -> None:
    if not _string(value, path, out):
        return
    match = TIMESTAMP_RE.match(value)
    if not match:
        out.append(f"{path}: {value[:40]!r} is not an ISO 8601 date and time")
        return
    month, day = int(value[5:7]), int(value[8:10])
    hour, minute = int(value[11:13]), int(value[14:16])
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59):
        out.append(f"{path}: {value[:40]!r} is not a real date and time")


