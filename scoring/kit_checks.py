"""The checks a kit YAML file goes through while it is read (scoring/kit.py, kit_sections.py): field
names and types, ids, text lists; each problem is kept with its line so all are reported at once."""
from __future__ import annotations

import difflib
import math
import re
import reprlib

from scoring.yaml_lines import LineDict

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
MAX_WHOLE = 2 ** 53          # whole numbers beyond this are refused (SQLite and dates cannot hold them)

_short = reprlib.Repr()
_short.maxstring, _short.maxother, _short.maxlist, _short.maxdict, _short.maxlevel = 60, 60, 4, 4, 2


def shown(value) -> str:
    """A value for an error message: short, whatever its size or shape."""
    return _short.repr(value)


class Checker:
    """Collects problems while reading one YAML document."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []
        self.broken: set[str] = set()   # ids of entries that had problems, to explain later references

    def unknown(self, kind: str, ref: str) -> str:
        if ref in self.broken:
            return f"{kind} {shown(ref)} has problems (see above)"
        return f"unknown {kind} {shown(ref)}"

    def problem(self, line: int, where: str, message: str) -> None:
        self.problems.append(f"{self.source}, line {line}: {where}: {message}")

    def fields(self, node, where: str, required: dict, optional: dict) -> dict | None:
        """Check a mapping's keys and value types; return the values (optional ones defaulted)."""
        if not isinstance(node, LineDict):
            self.problem(getattr(node, "line", 0), where, "expected a mapping of fields")
            return None
        known = {**required, **optional}
        for key in node:
            if key not in known:
                hint = difflib.get_close_matches(str(key)[:100], known, n=1)
                extra = f" (did you mean '{hint[0]}'?)" if hint else f" (known: {', '.join(known)})"
                self.problem(node.line_of(key), where, f"unknown field {shown(key)}{extra}")
        values = {}
        for key, kind in known.items():
            if key not in node:
                if key in required:
                    self.problem(node.line, where, f"missing required field '{key}'")
                continue
            value = node[key]
            if not _is(value, kind):
                self.problem(node.line_of(key), f"{where}.{key}",
                             f"expected {_describe(kind)}, got {_kind_of(value)} {shown(value)}")
                continue
            values[key] = value
        return values

    def slug(self, value, line: int, where: str) -> bool:
        if not isinstance(value, str) or not SLUG.match(value):
            self.problem(line, f"{where}.id", f"{shown(value)} is not a valid id (up to 100 lower-case "
                         "letters, digits and dashes, e.g. 'cold-call')")
            return False
        return True


def _is(value, kind) -> bool:
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
            and abs(value) <= MAX_WHOLE
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_WHOLE
    if kind is str:
        return isinstance(value, str) and value.strip() != ""
    if kind is list:
        return isinstance(value, list)
    if kind is dict:
        return isinstance(value, dict)
    if kind == "date":
        return isinstance(value, str) or hasattr(value, "isoformat")
    return isinstance(value, kind)


def _kind_of(value) -> str:
    return {"LineDict": "mapping", "LineList": "list"}.get(type(value).__name__, type(value).__name__)


def _describe(kind) -> str:
    return {str: "non-empty text", int: "a whole number", float: "a number (finite)", list: "a list",
            dict: "a mapping", bool: "true or false", "date": "a date"}.get(kind, str(kind))


def strings(checker: Checker, values, line: int, where: str) -> tuple[str, ...]:
    out = []
    for value in values or []:
        if not isinstance(value, str) or not value.strip():
            checker.problem(line, where, f"expected text, got {shown(value)}")
        else:
            out.append(value.strip())
    return tuple(out)
