"""Batches: what a station publishes, immutable once on the hub.

A batch file ``batches/<station id>/<seq, 10 digits>.json.gz`` is gzip of one header line (JSON) and
a body (JSON). The header is the manifest: station, sequence, record count, the body's size and
sha256, the sha256 of every media file the records reference, the team key's id and an HMAC-SHA256
(team key) over the header itself — which covers the body through its hash. So a truncated or damaged
file fails (gzip CRC, size, hash), a file signed with another team key is recognised as such, and a
forged or altered one fails the HMAC.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field

from store.sync.keys import TeamKey

FORMAT = "rolecall-batch/1"
BATCH_PREFIX = "batches/"
NAME_RE = re.compile(r"^batches/(?P<station>[0-9a-f-]{36})/(?P<seq>\d{10})\.json\.gz$")


def batch_name(station: str, seq: int) -> str:
    return f"{BATCH_PREFIX}{station}/{seq:010d}.json.gz"


def parse_name(name: str) -> tuple[str, int] | None:
    match = NAME_RE.match(name)
    return (match["station"], int(match["seq"])) if match else None


@dataclass(frozen=True)
class Record:
    """One version of one row: (table, id) at (clock, station). ``row`` is None for a deletion."""
    table: str
    id: str
    clock: int
    station: str
    op: str                     # 'upsert' | 'delete'
    row: dict | None = None

    @property
    def version(self) -> tuple[int, str]:
        return (self.clock, self.station)

    def to_json(self) -> dict:
        return {"t": self.table, "id": self.id, "c": self.clock, "s": self.station, "op": self.op,
                "row": _encode_row(self.row)}

    @classmethod
    def from_json(cls, d: dict) -> "Record":
        return cls(str(d["t"]), str(d["id"]), int(d["c"]), str(d["s"]), str(d["op"]),
                   _decode_row(d.get("row")))


@dataclass
class Batch:
    station: str
    seq: int
    records: list[Record]
    media: list[str] = field(default_factory=list)
    created_at: str = ""
    # set on the last batch of a `--resend`: batches first..this one re-send every version the
    # station made in its batches 1..upto, so receivers may stop reporting damaged ones among those
    resend: tuple[int, int] | None = None

    @property
    def name(self) -> str:
        return batch_name(self.station, self.seq)


class BadBatch(Exception):
    """A batch that must not be applied; ``kind`` is 'damaged', 'key' (another team key) or 'forged'."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def _encode_row(row: dict | None):
    if row is None:
        return None
    return {k: ({"$b64": base64.b64encode(v).decode()} if isinstance(v, (bytes, bytearray)) else v)
            for k, v in row.items()}


def _decode_row(row):
    if row is None:
        return None
    return {k: (base64.b64decode(v["$b64"]) if isinstance(v, dict) and "$b64" in v else v)
            for k, v in row.items()}


def _canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def encode(batch: Batch, key: TeamKey) -> bytes:
    body = _canonical({"records": [r.to_json() for r in batch.records]})
    header = {"format": FORMAT, "station": batch.station, "seq": batch.seq,
              "created_at": batch.created_at, "records": len(batch.records),
              "body_size": len(body), "body_sha256": hashlib.sha256(body).hexdigest(),
              "media": sorted(set(batch.media)), "key_id": key.key_id}
    if batch.resend:
        header["resend"] = list(batch.resend)
    header["hmac"] = key.sign(_canonical(header))
    return gzip.compress(_canonical(header) + b"\n" + body, compresslevel=5, mtime=0)


def read_header(data: bytes) -> tuple[dict, bytes]:
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise BadBatch("damaged", f"damaged or truncated ({exc})") from exc
    head, sep, body = raw.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError as exc:
        raise BadBatch("damaged", "damaged header") from exc
    if not sep or not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BadBatch("damaged", "not a Rolecall batch (or a newer format)")
    return header, body


def decode(data: bytes, key: TeamKey, expect: tuple[str, int] | None = None) -> Batch:
    """Verify and read a batch; BadBatch says why it must not be applied."""
    header, body = read_header(data)
    if len(body) != header.get("body_size") or hashlib.sha256(body).hexdigest() != header.get("body_sha256"):
        raise BadBatch("damaged", "damaged or truncated (its content does not match its hash)")
    signature = header.pop("hmac", "")
    if header.get("key_id") != key.key_id:
        raise BadBatch("key", "signed with a different team key")
    if not key.verify(_canonical(header), signature):
        raise BadBatch("forged", "its signature does not match (altered or forged)")
    if expect is not None and (header.get("station"), header.get("seq")) != expect:
        raise BadBatch("forged", "its content does not match its name (copied or renamed)")
    try:
        records = [Record.from_json(r) for r in json.loads(body)["records"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise BadBatch("damaged", f"unreadable records ({exc})") from exc
    if any(r.station != header["station"] for r in records):
        # a station only ever publishes versions it made itself
        raise BadBatch("forged", "it carries versions attributed to another station")
    resend = header.get("resend")
    return Batch(header["station"], int(header["seq"]), records, list(header.get("media", [])),
                 header.get("created_at", ""), (int(resend[0]), int(resend[1])) if resend else None)
