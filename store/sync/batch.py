"""Batches: what a station publishes, immutable once on the hub.

A batch file ``batches/<station id>/<seq, 10 digits>.json.gz`` is gzip of one header line (JSON) and
a body (JSON). The header is the manifest: station, sequence, record count, the body's size and
sha256, the sha256 of every media file the records reference, the team key's id and an HMAC-SHA256
(team key) over the header itself — which covers the body through its hash. So a truncated or damaged
file fails (gzip CRC, size, hash), a file signed with another team key is recognised as such, and a
forged or altered one fails the HMAC.

Since issue #12 a batch is also signed with its station's own key (``station_key`` + ``station_sig``
in the header; see station_keys.py), it is unpacked with a bound (``MAX_BATCH_BYTES``: a small file
that unpacks to gigabytes is "too large", never unpacked whole), and every header field and record is
checked (validate.py) before anything is applied. Older stations read the new headers unchanged (the
HMAC covers the new fields like any other); their own, unsigned batches are still read.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field

from store.sync import validate
from store.sync.keys import TeamKey

FORMAT = "rolecall-batch/1"
BATCH_PREFIX = "batches/"
MAX_BATCH_BYTES = 64 << 20      # unpacked; a station splits what it sends far below this (plan.py)
NAME_RE = re.compile(r"^batches/(?P<station>[0-9a-f-]{36})/(?P<seq>\d{10})\.json\.gz$")


def batch_name(station: str, seq: int) -> str:
    if not 1 <= seq <= validate.MAX_SEQ:
        raise ValueError(f"batch number {seq} does not fit a batch name")
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
    station_key: str | None = None      # the publishing station's public key (None: an older station)
    station_name: str = ""

    @property
    def name(self) -> str:
        return batch_name(self.station, self.seq)


class BadBatch(Exception):
    """A batch that must not be applied; ``kind`` is 'damaged', 'key' (another team key), 'forged',
    'too large' or 'invalid' (values no station makes)."""

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
    return {k: (base64.b64decode(v["$b64"], validate=True) if isinstance(v, dict) and "$b64" in v else v)
            for k, v in row.items()}


def _canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def encode(batch: Batch, key: TeamKey, signer=None) -> bytes:
    """``signer``: the station's StationSigner (station_keys.py); without it, an unsigned batch as
    stations before #12 wrote them."""
    body = _canonical({"records": [r.to_json() for r in batch.records]})
    header = {"format": FORMAT, "station": batch.station, "seq": batch.seq,
              "created_at": batch.created_at, "records": len(batch.records),
              "body_size": len(body), "body_sha256": hashlib.sha256(body).hexdigest(),
              "media": sorted(set(batch.media)), "key_id": key.key_id}
    if batch.resend:
        header["resend"] = list(batch.resend)
    if batch.station_name:
        header["station_name"] = batch.station_name
    if signer is not None:
        header["station_key"] = signer.public_hex
        header["station_sig"] = signer.sign(_canonical(header))
    header["hmac"] = key.sign(_canonical(header))
    return gzip.compress(_canonical(header) + b"\n" + body, compresslevel=5, mtime=0)


def _gunzip(data: bytes, limit: int) -> bytes:
    """Unpack at most ``limit`` bytes (streamed zlib): a bomb costs ``limit`` of memory, not gigabytes."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        raw = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise BadBatch("damaged", f"damaged or truncated ({exc})") from exc
    if len(raw) > limit or inflater.unconsumed_tail:
        raise BadBatch("too large", f"too large (over {limit >> 20} MB unpacked; no Rolecall station "
                                    "writes batches that big)")
    if not inflater.eof:
        raise BadBatch("damaged", "damaged or truncated (it ends too early)")
    return raw


def read_header(data: bytes, limit: int | None = None) -> tuple[dict, bytes]:
    raw = _gunzip(data, MAX_BATCH_BYTES if limit is None else limit)
    head, sep, body = raw.partition(b"\n")
    try:
        header = json.loads(head)
    except (ValueError, RecursionError) as exc:
        raise BadBatch("damaged", "damaged header") from exc
    if not sep or not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BadBatch("damaged", "not a Rolecall batch (or a newer format)")
    return header, body


def decode(data: bytes, key: TeamKey, expect: tuple[str, int] | None = None) -> Batch:
    """Verify and read a batch; BadBatch says why it must not be applied. The station signature is
    checked against the key the header carries; whether that key is the station's is the caller's
    question (station_keys.refusal)."""
    header, body = read_header(data)
    if len(body) != header.get("body_size") or hashlib.sha256(body).hexdigest() != header.get("body_sha256"):
        raise BadBatch("damaged", "damaged or truncated (its content does not match its hash)")
    signature = header.pop("hmac", "")
    if header.get("key_id") != key.key_id:
        raise BadBatch("key", "signed with a different team key")
    if not isinstance(signature, str) or not key.verify(_canonical(header), signature):
        raise BadBatch("forged", "its signature does not match (altered or forged)")
    if expect is not None and (header.get("station"), header.get("seq")) != expect:
        raise BadBatch("forged", "its content does not match its name (copied or renamed)")
    station_key = _station_signature(header)
    try:
        validate.check_header(header)
        raw_records = json.loads(body)["records"]
        if not isinstance(raw_records, list) or len(raw_records) != header["records"]:
            raise validate.Invalid("its record count does not match its records")
        if any(isinstance(r, dict) and r.get("s") != header["station"] for r in raw_records):
            # a station only ever publishes versions it made itself
            raise BadBatch("forged", "it carries versions attributed to another station")
        for r in raw_records:
            validate.check_record(r, header["station"])
        records = [Record.from_json(r) for r in raw_records]
    except validate.Invalid as exc:
        raise BadBatch("invalid", f"refused: {exc}") from exc
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise BadBatch("damaged", f"unreadable records ({str(exc)[:200]})") from exc
    resend = header.get("resend")
    name = header.get("station_name")
    return Batch(header["station"], header["seq"], records, list(header.get("media", [])),
                 str(header.get("created_at", "")), (resend[0], resend[1]) if resend else None,
                 station_key, name[:80] if isinstance(name, str) else "")


def _station_signature(header: dict) -> str | None:
    """The header's station key if its station signature is good; None if it has none."""
    if "station_key" not in header and "station_sig" not in header:
        return None
    from store.sync.station_keys import verify  # noqa: PLC0415

    station_key, sig = header.get("station_key"), header.pop("station_sig", None)
    if not (isinstance(station_key, str) and isinstance(sig, str) and verify(station_key, _canonical(header), sig)):
        raise BadBatch("forged", "its station signature does not match (altered, or signed by someone else)")
    header["station_sig"] = sig
    return station_key
