"""Reading each section of a kit YAML (vocabulary, rubrics, exercises, programs) with checks."""
from __future__ import annotations

from scoring.kit_checks import Checker, shown, strings
from scoring.kit_types import EXERCISE_KINDS, Criterion, Exercise, Kit, Program, Rubric, Term
from scoring.yaml_lines import LineDict


def _items(check: Checker, top: dict, section: str):
    """Yield (node, values-or-None) for each entry of a list section, flagging duplicate ids."""
    seen: dict[str, int] = {}
    for index, node in enumerate(top.get(section, []) or []):
        line = getattr(node, "line", 0)
        ident = node.get("id") if isinstance(node, LineDict) else None
        ident = ident if isinstance(ident, str) else None      # anything else is reported as a bad id
        where = f"{section}[{index + 1}]" + (f" {shown(ident)}" if ident else "")
        if ident is not None:
            if ident in seen:
                check.problem(line, where, f"duplicate id {shown(ident)} (first at line {seen[ident]})")
            else:
                seen[ident] = line
        before = len(check.problems)
        yield node, where
        if len(check.problems) > before and isinstance(ident, str):
            check.broken.add(ident)


def _in_range(check: Checker, node, where: str, values: dict, key: str, low: int, high: int) -> bool:
    """A whole-number field, if given, lies in [low, high] (huge numbers cannot be stored or dated)."""
    value = values.get(key)
    if value is None or low <= value <= high:
        return True
    check.problem(node.line_of(key), f"{where}.{key}", f"must be from {low:,} to {high:,}")
    return False


def read_sections(check: Checker, top: dict, kit: Kit) -> None:
    _read_terms(check, top, kit)
    _read_rubrics(check, top, kit)
    _read_exercises(check, top, kit)
    _read_programs(check, top, kit)


def _read_terms(check: Checker, top: dict, kit: Kit) -> None:
    for node, where in _items(check, top, "vocabulary"):
        values = check.fields(node, where, {"id": str, "term": str},
                              {"definition": str, "aliases": list})
        if values is None or not {"id", "term"} <= values.keys():
            continue
        if check.slug(values["id"], node.line, where):
            aliases = strings(check, values.get("aliases"), node.line_of("aliases"), f"{where}.aliases")
            kit.terms.append(Term(values["id"], values["term"].strip(),
                                  values.get("definition", "").strip(), aliases))


def _read_rubrics(check: Checker, top: dict, kit: Kit) -> None:
    term_slugs = {t.slug for t in kit.terms}
    for node, where in _items(check, top, "rubrics"):
        values = check.fields(node, where, {"id": str, "title": str, "criteria": list},
                              {"description": str, "version": int})
        if values is None or not {"id", "title", "criteria"} <= values.keys():
            continue
        if not check.slug(values["id"], node.line, where):
            continue
        _in_range(check, node, where, values, "version", 1, 1_000_000)
        criteria, seen = [], set()
        if not values["criteria"]:
            check.problem(node.line_of("criteria"), f"{where}.criteria", "a rubric needs at least one criterion")
        for index, cnode in enumerate(values["criteria"]):
            cwhere = f"{where}.criteria[{index + 1}]"
            crit = _read_criterion(check, cnode, cwhere, term_slugs)
            if crit is None:
                continue
            if crit.slug in seen:
                check.problem(cnode.line, cwhere, f"duplicate criterion id '{crit.slug}'")
            seen.add(crit.slug)
            criteria.append(crit)
        kit.rubrics.append(Rubric(values["id"], values["title"].strip(),
                                  values.get("description", "").strip(),
                                  values.get("version", 1), tuple(criteria)))


def _read_criterion(check: Checker, node, where: str, term_slugs: set[str]) -> Criterion | None:
    values = check.fields(node, where, {"id": str, "title": str, "scale": dict},
                          {"description": str, "terms": list, "weight": float, "required": bool,
                           "min_score": int})
    if values is None or not {"id", "title", "scale"} <= values.keys():
        return None
    if not check.slug(values["id"], node.line, where):
        return None
    terms = strings(check, values.get("terms"), node.line_of("terms"), f"{where}.terms")
    for slug in terms:
        if slug not in term_slugs:
            check.problem(node.line_of("terms"), f"{where}.terms", f"unknown term {shown(slug)} "
                          "(terms must be defined under 'vocabulary')")
    weight = float(values.get("weight", 1.0))
    if not 0 < weight <= 1000:
        check.problem(node.line_of("weight"), f"{where}.weight", "weight must be greater than 0 and at most 1000")
    min_score = values.get("min_score")
    if min_score is not None and not 1 <= min_score <= 5:
        check.problem(node.line_of("min_score"), f"{where}.min_score", "must be between 1 and 5")
    anchors: dict[int, str] = {}
    scale = values["scale"]
    for key, text in scale.items():
        line = scale.line_of(key) if isinstance(scale, LineDict) else node.line
        if not isinstance(key, int) or isinstance(key, bool) or not 1 <= key <= 5:
            check.problem(line, f"{where}.scale", f"scale points are 1 to 5, got {shown(key)}")
        elif not isinstance(text, str) or not text.strip():
            check.problem(line, f"{where}.scale.{key}", "describe what this score looks like")
        else:
            anchors[key] = text.strip()
    missing = [p for p in (1, 3, 5) if p not in anchors]
    if missing and len(anchors) == len(scale):
        check.problem(node.line_of("scale"), f"{where}.scale",
                      f"describe what {', '.join(map(str, missing))} look like (1, 3 and 5 are required)")
    return Criterion(values["id"], values["title"].strip(), values.get("description", "").strip(),
                     terms, weight, bool(values.get("required", False)), min_score, anchors)


def _read_exercises(check: Checker, top: dict, kit: Kit) -> None:
    rubric_slugs = {r.slug for r in kit.rubrics}
    for node, where in _items(check, top, "exercises"):
        values = check.fields(node, where, {"id": str, "kind": str, "title": str, "rubric": str},
                              {"prompt": str, "prework": str, "time_limit_s": int,
                               "available_from": "date"})
        if values is None or not {"id", "kind", "title", "rubric"} <= values.keys():
            continue
        ok = check.slug(values["id"], node.line, where)
        if values["kind"] not in EXERCISE_KINDS:
            check.problem(node.line_of("kind"), f"{where}.kind",
                          f"{shown(values['kind'])} is not a kind; use one of: {', '.join(EXERCISE_KINDS)}")
            ok = False
        if values["rubric"] not in rubric_slugs:
            check.problem(node.line_of("rubric"), f"{where}.rubric", check.unknown("rubric", values["rubric"]))
            ok = False
        limit = values.get("time_limit_s", 180)
        if not 10 <= limit <= 3600:
            check.problem(node.line_of("time_limit_s"), f"{where}.time_limit_s",
                          "time limit must be between 10 and 3600 seconds")
            ok = False
        available = values.get("available_from")
        if available is not None and not isinstance(available, str):
            available = available.isoformat()
        if ok:
            kit.exercises.append(Exercise(values["id"], values["kind"], values["title"].strip(),
                                          values["rubric"], values.get("prompt", "").strip(),
                                          values.get("prework", "").strip(), limit, available))


def _read_programs(check: Checker, top: dict, kit: Kit) -> None:
    rubrics = {r.slug: r for r in kit.rubrics}
    exercise_slugs = {e.slug for e in kit.exercises}
    for node, where in _items(check, top, "programs"):
        values = check.fields(node, where, {"id": str, "title": str, "rubric": str, "exercises": list},
                              {"description": str, "pass_threshold": float, "required_criteria": dict,
                               "min_scorecards": int, "valid_days": int, "version": int})
        if values is None or not {"id", "title", "rubric", "exercises"} <= values.keys():
            continue
        ok = check.slug(values["id"], node.line, where)
        for key, low, high in (("min_scorecards", 1, 100), ("valid_days", 1, 36_500), ("version", 1, 1_000_000)):
            ok = _in_range(check, node, where, values, key, low, high) and ok
        rubric = rubrics.get(values["rubric"])
        if rubric is None:
            check.problem(node.line_of("rubric"), f"{where}.rubric", check.unknown("rubric", values["rubric"]))
            ok = False
        exercises = strings(check, values["exercises"], node.line_of("exercises"), f"{where}.exercises")
        for slug in exercises:
            if slug not in exercise_slugs:
                check.problem(node.line_of("exercises"), f"{where}.exercises", check.unknown("exercise", slug))
                ok = False
        required: dict[str, int] = {}
        for slug, minimum in (values.get("required_criteria") or {}).items():
            if rubric and slug not in {c.slug for c in rubric.criteria}:
                check.problem(node.line_of("required_criteria"), f"{where}.required_criteria",
                              f"rubric '{rubric.slug}' has no criterion {shown(slug)}")
                ok = False
            elif not isinstance(minimum, int) or not 1 <= minimum <= 5:
                check.problem(node.line_of("required_criteria"), f"{where}.required_criteria.{str(slug)[:60]}",
                              "minimum must be a whole number from 1 to 5")
                ok = False
            else:
                required[slug] = minimum
        threshold = float(values.get("pass_threshold", 3.5))
        if not 1 <= threshold <= 5:
            check.problem(node.line_of("pass_threshold"), f"{where}.pass_threshold",
                          "the pass threshold is a weighted score from 1 to 5")
            ok = False
        if ok:
            kit.programs.append(Program(values["id"], values["title"].strip(), values["rubric"], exercises,
                                        threshold, required, values.get("min_scorecards", 2),
                                        values.get("valid_days", 365),
                                        values.get("description", "").strip(), values.get("version", 1)))
