"""Batches missing from the hub (issue #12): pure, from facts the pull already has.

A station numbers its batches 1, 2, 3 … without holes. A number that is neither on the hub nor applied
here, below one that is, is a batch deleted from the hub (or one a file-sync tool has not copied yet):
its changes are missing here. Numbers are kept as ranges, so a hostile "batch 9999999999" costs one
range, not ten billion numbers. A resend (``rolecall sync --resend`` on the publishing station) settles
every number up to where it reached (``settled``), and nothing below that is reported again. For this
station's own batches: one published (recorded in ``sync_applied``) but no longer on the hub.
"""
from __future__ import annotations

Ranges = list[tuple[int, int]]


def holes(known: set[int], settled: int = 0) -> Ranges:
    """Ranges of 1..max(known) not in ``known``, above ``settled``."""
    out: Ranges = []
    expect = settled + 1
    for seq in sorted(s for s in known if s > settled):
        if seq > expect:
            out.append((expect, seq - 1))
        expect = seq + 1
    return out


def own_missing(published: set[int], on_hub: set[int], settled: int = 0) -> Ranges:
    """Ranges of this station's published batches that are gone from the hub."""
    return ranges(sorted(s for s in published - on_hub if s > settled))


def ranges(seqs: list[int]) -> Ranges:
    out: Ranges = []
    for seq in seqs:
        if out and out[-1][1] == seq - 1:
            out[-1] = (out[-1][0], seq)
        else:
            out.append((seq, seq))
    return out


def describe(found: Ranges) -> str:
    """'batch 5' | 'batches 2-3' | 'batches 2-3, 7'."""
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in found]
    many = len(found) > 1 or found[0][0] != found[0][1]
    return ("batches " if many else "batch ") + ", ".join(parts)


def gap_message(station: str, name: str, found: Ranges) -> str:
    what = describe(found)
    verb, them = ("are", "them") if what.startswith("batches") else ("is", "it")
    label = f"'{name}' ({station})" if name else station
    return (f"Station {label}: {what} {verb} missing from the hub (deleted, or not copied there yet), "
            f"so the changes in {them} are missing here. On that station, run `rolecall sync --resend`.")


def own_message(found: Ranges) -> str:
    what = describe(found)
    verb = "are" if what.startswith("batches") else "is"
    return (f"This station's {what} {verb} missing from the hub (deleted?), so other stations lack the "
            "changes in it. Run `rolecall sync --resend` here.")
