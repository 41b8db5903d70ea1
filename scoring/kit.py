"""The kit: the team's vocabulary, rubrics, exercises and certification programs (types in
scoring/kit_types.py).

A kit is written as YAML by a sales-enablement lead (see assets/kit/default.yaml); :func:`parse_kit`
validates all of it and reports every problem with its line, so nothing is half-imported.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from scoring.kit_checks import Checker
from scoring.kit_sections import read_sections
from scoring.kit_types import (EXERCISE_KINDS, Criterion, Exercise, Kit, KitError, Program, Rubric,
                               Term)
from scoring.yaml_lines import LineDict, LineList, load


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
    check = Checker(source)
    top = check.fields(doc if doc is not None else LineDict(), "kit", {},
                       {"kit": str, "title": str, "vocabulary": list, "rubrics": list,
                        "exercises": list, "programs": list})
    if top is None:
        raise KitError(source, check.problems)
    kit = Kit(name=top.get("kit", Path(source).stem))
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


__all__ = ["EXERCISE_KINDS", "Term", "Criterion", "Rubric", "Exercise", "Program", "Kit", "KitError",
           "parse_kit", "read_kit_file", "default_kit_path", "LineList"]
