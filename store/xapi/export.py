"""`rolecall export xapi`: every statement the station's records make, validated, as a JSON array or JSON
lines. Streams: 100,000 takes' statements never sit in memory at once (BENCHMARKS.md, #25)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Iterator, TextIO

from store.db import Store
from store.xapi import records
from store.xapi.statements import Identity, NotApplicable, StatementFactory
from store.xapi.validate import Trusted, problems


@dataclass
class ExportReport:
    written: int = 0
    by_verb: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)      # reason -> count
    invalid: list[str] = field(default_factory=list)           # "statement id: problem" (never written)


def statements(store: Store, identity: Identity, filters: records.Filters = records.Filters(),
               report: ExportReport | None = None) -> Iterator[dict]:
    """Every statement, takes first, then scorecards, decisions and exemplars (each in record order)."""
    report = report if report is not None else ExportReport()
    factory = StatementFactory(records.lookups(store), identity)
    trusted = Trusted()

    def made(kind: str, row: dict) -> Iterator[dict]:
        try:
            statement = factory.build(kind, row)
        except NotApplicable as exc:
            report.skipped[str(exc)] = report.skipped.get(str(exc), 0) + 1
            return
        except (ValueError, TypeError, KeyError) as exc:       # a damaged row: reported, the rest go on
            reason = f"a {kind} record could not be read ({exc.__class__.__name__})"
            report.skipped[reason] = report.skipped.get(reason, 0) + 1
            return
        stamp = statement["timestamp"]
        if (filters.since and stamp < filters.since) or (filters.until and stamp >= filters.until):
            return
        found = problems(statement, trusted)
        if found:
            report.invalid.append(f"{statement.get('id')}: {found[0]}")
            return
        yield statement

    for take in records.takes(store, filters):
        yield from made("attempted", take)
        if take["status"] == "submitted":
            yield from made("completed", take)
    for card in records.scorecards(store, filters):
        yield from made("scored", card)
        if card.get("supersedes"):
            yield from made("voided", card)
    for decision in records.decisions(store, filters):
        yield from made("decision", decision)
    for exemplar in records.exemplars(store, filters):
        yield from made("exemplar", exemplar)


def write(items: Iterator[dict], handle: TextIO, fmt: str = "json", report: ExportReport | None = None,
          progress: Callable[[int], None] | None = None) -> int:
    """Write ``items`` as a JSON array (``json``) or one statement per line (``jsonl``); returns the count."""
    count = 0
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    if fmt == "json":
        handle.write("[")
    for statement in items:
        if fmt == "json":
            handle.write(("," if count else "") + "\n" + dumps(statement))
        else:
            handle.write(dumps(statement) + "\n")
        count += 1
        if report is not None:
            verb = statement["verb"]["id"].rsplit("/", 1)[-1]
            report.by_verb[verb] = report.by_verb.get(verb, 0) + 1
        if progress is not None and count % 10_000 == 0:
            progress(count)
    if fmt == "json":
        handle.write("\n]\n")
    if report is not None:
        report.written = count
    return count
