"""Helpers for the hostile-batch tests (no tests here): a batch built by hand, byte by byte, the way
someone holding the team key (a departed team member, a lost laptop) could write one, without the
checks Rolecall's own encoder makes. Issue #12."""
from __future__ import annotations

import gzip
import hashlib
import json
import uuid

from store.clock import now_iso
from store.sync import Syncer
from store.sync.batch import batch_name
from test_sync_support import team_key

FORMAT = "rolecall-batch/1"
SIG_DOMAIN = b"rolecall station signature/1\n"


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def raw_batch(station: str, seq: int, records: list[dict], *, key=None, header: dict | None = None,
              body: bytes | None = None, compress=True, signer=None) -> bytes:
    """A batch file as the format defines it, HMAC-signed with the team key (so only the content is
    hostile). ``records`` are the JSON records ({"t", "id", "c", "s", "op", "row"}). ``signer``: an
    Ed25519 private key to sign it as a station would (without it: an older station's batch)."""
    key = key or team_key()
    body = body if body is not None else canonical({"records": records})
    head = {"format": FORMAT, "station": station, "seq": seq, "created_at": now_iso(),
            "records": len(records), "body_size": len(body), "body_sha256": hashlib.sha256(body).hexdigest(),
            "media": [], "key_id": key.key_id}
    head.update(header or {})
    if signer is not None:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        head["station_key"] = signer.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
        head["station_sig"] = signer.sign(SIG_DOMAIN + canonical(head)).hex()
    head["hmac"] = key.sign(canonical(head))
    data = canonical(head) + b"\n" + body
    return gzip.compress(data, mtime=0) if compress else data


def publish(hub, station: str, seq: int, records: list[dict], **kw) -> str:
    name = batch_name(station, seq)
    assert hub.put_if_absent(name, raw_batch(station, seq, records, **kw))
    return name


def new_station_id() -> str:
    return str(uuid.uuid4())


def take_row(rid: str, station_id: str, clock: int, **fields) -> dict:
    """A recordings row as a batch carries it."""
    row = {"id": rid, "created_at": now_iso(), "station_id": station_id, "clock": clock,
           "updated_at": now_iso(), "deleted": 0, "rep_id": None, "exercise_id": None, "partner_id": None,
           "status": "take", "source": "station", "started_at": now_iso(), "ended_at": now_iso(),
           "submitted_at": None, "duration_s": 1.0, "media_path": None, "media_sha256": None,
           "media_size": None, "has_video": 1, "has_audio": 1, "dropped_frames": 0, "gaps": "[]"}
    row.update(fields)
    return row


def person_row(pid: str, station_id: str, clock: int, **fields) -> dict:
    row = {"id": pid, "created_at": now_iso(), "station_id": station_id, "clock": clock,
           "updated_at": now_iso(), "deleted": 0, "name": "Mallory", "role": "rep", "team": None,
           "pin_hash": None, "hidden": 0}
    row.update(fields)
    return row


def rec(table: str, row: dict, station: str, clock: int | None = None, op: str = "upsert") -> dict:
    return {"t": table, "id": row["id"], "c": row["clock"] if clock is None else clock, "s": station,
            "op": op, "row": row if op == "upsert" else None}


def sync(store, hub, **kw):
    return Syncer(store, hub, kw.pop("key", None) or team_key(), **kw).run()


def put_media(hub, tmp_path, payload: bytes) -> str:
    """Media the attacker puts on the hub (by its true hash, so it verifies on download)."""
    sha = hashlib.sha256(payload).hexdigest()
    src = tmp_path / f"payload-{sha[:8]}"
    src.write_bytes(payload)
    hub.put_media(sha, src, len(payload))
    return sha


def ed25519():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()
