"""What changed in the station's data, as one typed value the app passes to its pages (no Qt).

A page listens for the kinds it shows and refreshes only on those (as Anki's ``OpChanges``):

    Changes.of("scores")                       # a scorecard was submitted here
    Changes.from_tables(report.received_by_table)   # what a sync pull brought in

``TABLE_KINDS`` says which kinds a synced table's rows belong to. A table missing from it counts as
every kind (a refresh too many, never one too few), and tests/test_changes.py fails for it, so a new
table is not forgotten.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Iterable, Mapping

KINDS = ("recordings", "media", "transcripts", "scores", "notes", "exemplars", "signoffs", "people",
         "kit", "events", "station", "sync_settings")
"""recordings: takes (new, submitted, discarded) · media: a take's video arrived on this station ·
transcripts: transcripts, segments, vocabulary hits · scores: scorecards and their scores ·
notes: coach notes and comments · exemplars · signoffs: certification decisions · people ·
kit: vocabulary, rubrics, exercises, programs · events: engagement events (dashboard) ·
station: station names (this one's, or another's that a sync brought) · sync_settings: hub, key, automatic sync."""

TABLE_KINDS: dict[str, frozenset[str]] = {
    "people": frozenset({"people"}),
    "terms": frozenset({"kit"}),
    "rubrics": frozenset({"kit"}),
    "criteria": frozenset({"kit"}),
    "exercises": frozenset({"kit"}),
    "programs": frozenset({"kit"}),
    "recordings": frozenset({"recordings"}),
    "transcripts": frozenset({"transcripts"}),
    "segments": frozenset({"transcripts"}),
    "term_hits": frozenset({"transcripts"}),
    "scorecards": frozenset({"scores"}),
    "scores": frozenset({"scores"}),
    "comments": frozenset({"notes", "scores"}),   # coach notes, and scorers' comments on criteria
    "exemplars": frozenset({"exemplars"}),
    "signoffs": frozenset({"signoffs"}),
    "events": frozenset({"events"}),
    "stations": frozenset({"station"}),           # station names (this one's and the others')
}


@dataclass(frozen=True)
class Changes:
    recordings: bool = False
    media: bool = False
    transcripts: bool = False
    scores: bool = False
    notes: bool = False
    exemplars: bool = False
    signoffs: bool = False
    people: bool = False
    kit: bool = False
    events: bool = False
    station: bool = False
    sync_settings: bool = False

    @classmethod
    def of(cls, *kinds: str) -> "Changes":
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"Unknown kind of change {', '.join(map(repr, unknown))}; known: {', '.join(KINDS)}.")
        return cls(**{k: True for k in kinds})

    @classmethod
    def everything(cls) -> "Changes":
        return cls.of(*KINDS)

    @classmethod
    def from_tables(cls, counts: Mapping[str, int] | Iterable[str], media: bool = False) -> "Changes":
        """What rows arriving in these tables change (``counts``: table -> rows, as in
        ``SyncReport.received_by_table``; tables with 0 rows change nothing)."""
        items = counts.items() if isinstance(counts, Mapping) else ((t, 1) for t in counts)
        kinds: set[str] = {"media"} if media else set()
        for table, n in items:
            if n:
                kinds |= TABLE_KINDS.get(table, frozenset(KINDS) - {"station", "sync_settings"})
        return cls.of(*sorted(kinds))

    @classmethod
    def from_report(cls, report) -> "Changes":
        """What a sync brought in (a ``store.sync.SyncReport``)."""
        return cls.from_tables(report.received_by_table, media=bool(report.received_media))

    def kinds(self) -> frozenset[str]:
        return frozenset(f.name for f in fields(self) if getattr(self, f.name))

    def touches(self, kinds: Iterable[str]) -> bool:
        return not self.kinds().isdisjoint(kinds)

    def __or__(self, other: "Changes") -> "Changes":
        return Changes.of(*(self.kinds() | other.kinds()))

    def __bool__(self) -> bool:
        return bool(self.kinds())

    def __str__(self) -> str:
        return ", ".join(k for k in KINDS if getattr(self, k)) or "nothing"


assert tuple(f.name for f in fields(Changes)) == KINDS, "Changes' fields and KINDS must agree"
