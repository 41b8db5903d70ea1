"""The kit: the team's vocabulary, rubrics, exercises and certification programs, as plain dataclasses.

A kit is written as YAML by a sales-enablement lead (see assets/kit/default.yaml); :func:`parse_kit`
validates all of it and reports every problem with its line, so nothing is half-imported.
"""
from __future__ import annotations

import difflib
import math
import re
import reprlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scoring.yaml_lines import LineDict, LineList, load

EXERCISE_KINDS = ("teach-back", "role-play")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
MAX_WHOLE = 2 ** 53          # whole numbers beyond this are refused (SQLite and dates cannot hold them)

_short = reprlib.Repr()
_short.maxstring, _short.maxother, _short.maxlist, _short.maxdict, _short.maxlevel = 60, 60, 4, 4, 2


def shown(value) -> str:
    """A value for an error message: short, whatever its size or shape."""
    return _short.repr(value)


@dataclass(frozen=True)
class Term:
    slug: str
    term: str
    definition: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class Criterion:
    slug: str
    title: str
    description: str = ""
    terms: tuple[str, ...] = ()
    weight: float = 1.0
    required: bool = False
    min_score: int | None = None
    anchors: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rubric:
    slug: str
    title: str
    description: str = ""
    version: int = 1
    criteria: tuple[Criterion, ...] = ()


@dataclass(frozen=True)
class Exercise:
    slug: str
    kind: str
    title: str
    rubric: str
    prompt: str = ""
    prework: str = ""
    time_limit_s: int = 180
    available_from: str | None = None


@dataclass(frozen=True)
class Program:
    slug: str
    title: str
    rubric: str
    exercises: tuple[str, ...]
    pass_threshold: float = 3.5
    required_criteria: dict[str, int] = field(default_factory=dict)
    min_scorecards: int = 2
    valid_days: int = 365
    description: str = ""
    version: int = 1


@dataclass
class Kit:
    name: str = "kit"
    terms: list[Term] = field(default_factory=list)
    rubrics: list[Rubric] = field(default_factory=list)
    exercises: list[Exercise] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)


class KitError(ValueError):
    """A kit that cannot be imported; ``problems`` lists every 'file:line: what' found."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: {len(problems)} problem(s) in the kit:\n  " + "\n  ".join(problems))


class _Checker:
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


def _strings(checker: _Checker, values, line: int, where: str) -> tuple[str, ...]:
    out = []
    for value in values or []:
        if not isinstance(value, str) or not value.strip():
            checker.problem(line, where, f"expected text, got {shown(value)}")
        else:
            out.append(value.strip())
    return tuple(out)


def parse_kit(text: str, source: str = "kit.yaml") -> Kit:
    """Validate and build a kit from YAML text. Raises :class:`KitError` listing every problem."""
    try:
        doc = load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 0
        reason = getattr(exc, "problem", None) or str(exc)
        raise KitError(source, [f"{source}, line {line}: not valid YAML: {str(reason)[:300]}"]) from exc
    except RecursionError as exc:       # check_bounds limits nesting; this is the last line of defence
        raise KitError(source, [f"{source}: not valid YAML: nested too deeply"]) from exc
    check = _Checker(source)
    top = check.fields(doc if doc is not None else LineDict(), "kit", {},
                       {"kit": str, "title": str, "vocabulary": list, "rubrics": list,
                        "exercises": list, "programs": list})
    if top is None:
        raise KitError(source, check.problems)
    kit = Kit(name=top.get("kit", Path(source).stem))
    from scoring.kit_sections import read_sections  # local import keeps this module small
    read_sections(check, top, kit)
    if check.problems:
        raise KitError(source, check.problems)
    return kit


MAX_KIT_BYTES = 5 * 1024 * 1024      # the default kit is 10 kB


def read_kit_file(path: Path) -> Kit:
    path = Path(path)
    try:
        if not path.is_file():           # a folder, a FIFO or a device would block or mislead
            raise KitError(str(path), [f"{path}: not a regular file"])
        if path.stat().st_size > MAX_KIT_BYTES:
            raise KitError(str(path), [f"{path}: larger than {MAX_KIT_BYTES >> 20} MB; a kit is a small YAML file"])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KitError(str(path), [f"{path}: cannot read the file: {exc}"]) from exc
    return parse_kit(text, str(path))


def default_kit_path() -> Path:
    return Path(__file__).resolve().parent.parent / "assets" / "kit" / "default.yaml"


__all__ = ["Term", "Criterion", "Rubric", "Exercise", "Program", "Kit", "KitError", "parse_kit",
           "read_kit_file", "default_kit_path", "LineList"]
