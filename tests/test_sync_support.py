"""Helpers and fixtures for the sync tests (no tests here): stations, takes with media files, the two
kinds of hub (a temp folder; S3 over real HTTP on moto's ThreadedMotoServer), and the logical state
of a station that every station must agree on after a full sync round."""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from store.clock import now_iso
from store.db import open_store
from store.recordings import RecordingRepo
from store.sync import TeamKey
from store.sync.tables import synced_tables

KEY_TEXT = "team key for the sync tests"


def team_key() -> TeamKey:
    return TeamKey.from_text(KEY_TEXT)


def new_station(path: Path, seed: bool = False):
    """A station's store; ``seed`` imports the default kit as a first start of the app does."""
    if seed:
        from store.station import open_station

        return open_station(path)
    return open_store(path)


def add_take(store, rep_id: str | None, payload: bytes | None = None) -> str:
    """A finished take with a real media file, through the recordings repo (as the Record page does)."""
    repo = RecordingRepo(store)
    rec = repo.begin(rep_id, None)
    data = payload if payload is not None else os.urandom(2048)
    path = repo.absolute(rec.media_path)
    path.write_bytes(data)
    result = SimpleNamespace(started_at=rec.started_at, ended_at=now_iso(), duration=1.5,
                             sha256=hashlib.sha256(data).hexdigest(), size=len(data), has_video=True,
                             has_audio=True, dropped_frames=0, gaps=[])
    repo.finish(rec.id, result)
    return rec.id


def add_person(store, name: str, role: str = "rep") -> str:
    with store.transaction() as db:
        fields = store.record_fields()
        db["people"].insert({**fields, "updated_at": fields["created_at"], "name": name, "role": role})
    return fields["id"]


# where a take's file is, and a PIN hash, are each station's own (issue #12): not compared
STATION_LOCAL = frozenset({"media_path", "pin_hash"})


def logical_state(store) -> dict:
    """Every synced table's rows, by id (what must be identical on every station)."""
    conn = store.db.conn
    out = {}
    for table in synced_tables(conn):
        cur = conn.execute(f'SELECT * FROM "{table}" ORDER BY id')
        names = [d[0] for d in cur.description]
        out[table] = {r[0]: {k: v for k, v in zip(names, r) if k not in STATION_LOCAL} for r in cur.fetchall()}
    return out


# -- hubs ------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def moto_server():
    from moto.server import ThreadedMotoServer

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class HubFactory:
    """Makes hubs of one kind; ``location``/``endpoint`` are what a person would type."""

    def __init__(self, kind: str, tmp_path: Path, endpoint: str | None = None):
        self.kind, self.tmp_path, self.endpoint = kind, tmp_path, endpoint
        if kind == "folder":
            self.root = tmp_path / "hub"
            self.root.mkdir()
            self.location = str(self.root)
        else:
            import boto3

            self.bucket = f"rc-{uuid.uuid4().hex[:12]}"
            self.client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
            self.client.create_bucket(Bucket=self.bucket)
            self.location = f"s3://{self.bucket}/kickoff"

    def hub(self):
        from store.sync import open_hub

        if self.kind == "folder":
            return open_hub(self.location, self.endpoint)
        if getattr(self, "_hub", None) is None:     # one boto3 client per test: making one is slow
            self._hub = open_hub(self.location, self.endpoint)
            self._hub.close = lambda: None
        return self._hub

    # raw access, to damage things the way a person or a tool would
    def names(self, prefix: str = "") -> list[str]:
        return self.hub().list(prefix)

    def read(self, name: str) -> bytes:
        return self.hub().get(name)

    def overwrite(self, name: str, data: bytes) -> None:
        if self.kind == "folder":
            (self.root / name).parent.mkdir(parents=True, exist_ok=True)
            (self.root / name).write_bytes(data)
        else:
            self.client.put_object(Bucket=self.bucket, Key=f"kickoff/{name}", Body=data)

    def cli_args(self) -> list[str]:
        return ["--hub", self.location] + (["--endpoint-url", self.endpoint] if self.endpoint else [])


@pytest.fixture(params=["folder", "s3"])
def hubs(request, tmp_path) -> HubFactory:
    if request.param == "s3":
        return HubFactory("s3", tmp_path, request.getfixturevalue("moto_server"))
    return HubFactory("folder", tmp_path)


def batch_names(factory: HubFactory) -> list[str]:
    return [n for n in factory.names("batches/") if n.endswith(".json.gz")]


def dump(state: dict) -> str:
    return json.dumps(state, sort_keys=True, default=str)
