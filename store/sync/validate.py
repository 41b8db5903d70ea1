"""What a batch may hold: cheap checks of every header field and record before anything is applied
(issue #12). A batch signed with the team key can still come from someone hostile or from a broken
tool, so values no station could have made are refused whole — the batch is reported, not applied:

* Lamport clocks are whole numbers from 0 to ``MAX_CLOCK`` (2^53 - 1: a station ticking a million
  times a second would need 285 years to reach it, and the station's own ticks past it still fit in
  SQLite's 64-bit integers, so one batch can never make every later write overflow);
* a record is a known operation on a non-empty text id; an upsert's row is an object of column ->
  scalar (text, number, integer that fits SQLite's 64 bits, null, or bytes), a deletion has none;
* a media hash is 64 lowercase hex digits (it becomes a file name), a size a plain count;
* header numbers are numbers, and a resend range lies before the batch that carries it.
"""
from __future__ import annotations

import re

MAX_CLOCK = 2**53 - 1
MAX_SEQ = 9_999_999_999            # batch names carry 10 digits
MAX_ID = 200
MAX_RECORDS = 100_000              # stations write at most 5,000 per batch (plan.MAX_RECORDS)
INT64 = (-2**63, 2**63 - 1)
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
OPS = ("upsert", "delete")


class Invalid(ValueError):
    """Says which field of which record is wrong."""


def is_sha256(value) -> bool:
    return isinstance(value, str) and bool(SHA256_RE.match(value))


def _count(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def check_header(header: dict) -> None:
    if not isinstance(header.get("station"), str):
        raise Invalid("its header names no station")
    if not _count(header.get("seq"), 1, MAX_SEQ):
        raise Invalid("its sequence number is out of range")
    if not _count(header.get("records"), 0, MAX_RECORDS) or not _count(header.get("body_size"), 0, 2**40):
        raise Invalid("its record count or size is not a number")
    media = header.get("media", [])
    if not isinstance(media, list) or not all(is_sha256(m) for m in media):
        raise Invalid("its media list holds something that is not a media hash")
    resend = header.get("resend")
    if resend is not None:
        ok = (isinstance(resend, list) and len(resend) == 2 and _count(resend[0], 1, MAX_SEQ)
              and _count(resend[1], 1, MAX_SEQ) and resend[1] < resend[0] <= header["seq"])
        if not ok:
            raise Invalid("its resend range does not lie before it")


_PLAIN = frozenset({str, float, bool, type(None)})


def check_record(d: dict, station: str) -> None:
    """One record as it came out of the body JSON (before Record.from_json)."""
    if not isinstance(d, dict):
        raise Invalid("a record is not an object")
    rid, clock, op, table = d.get("id"), d.get("c"), d.get("op"), d.get("t")
    where = f"record {str(rid)[:40]!r}"
    if not isinstance(table, str) or not table:
        raise Invalid(f"{where} names no table")
    if not isinstance(rid, str) or not rid or len(rid) > MAX_ID:
        raise Invalid(f"a {table} record has no usable id")
    if not _count(clock, 0, MAX_CLOCK):
        raise Invalid(f"{where} in {table} has an out-of-range clock ({str(clock)[:30]})")
    if d.get("s") != station:
        raise Invalid(f"{where} is attributed to another station")
    if op not in OPS:
        raise Invalid(f"{where} in {table} has an unknown operation")
    row = d.get("row")
    if op == "delete":
        if row is not None:
            raise Invalid(f"{where} in {table} is a deletion with a row")
        return
    if not isinstance(row, dict):
        raise Invalid(f"{where} in {table} has no row")
    for column, value in row.items():          # JSON object keys are always text
        kind = type(value)
        if kind in _PLAIN or (kind is int and INT64[0] <= value <= INT64[1]):
            continue
        if kind is dict and len(value) == 1 and isinstance(value.get("$b64"), str):
            continue
        raise Invalid(f"{where} in {table}: column {str(column)[:40]} holds a value no station makes")
    if "clock" in row and not _count(row["clock"], 0, MAX_CLOCK):
        raise Invalid(f"{where} in {table} has an out-of-range clock column")
    if row.get("id", rid) != rid:
        raise Invalid(f"{where} in {table} carries a row with another id")
    if "media_sha256" in row and row["media_sha256"] is not None and not is_sha256(row["media_sha256"]):
        raise Invalid(f"{where} in {table} has a media hash that is not a sha256")
    if "media_size" in row and row["media_size"] is not None and not _count(row["media_size"], 0, 2**50):
        raise Invalid(f"{where} in {table} has a media size that is not a size")
