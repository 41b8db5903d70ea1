"""Media files of synced rows: where they live on this station, and fetching them from the hub on
demand (the player calls :func:`ensure_media` when a take is opened) or all at once.

Where a file goes is decided here, never by a synced row (issue #12): a take received from another
station is fetched to ``media/sync/<sha256><suffix>`` (the hash checked to be one, the suffix from
``SUFFIXES``), and that relative path is what the received row's ``media_path`` holds on this station
(apply.py); the station's own takes keep the paths it gave them. Files are only ever written there.
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath

from store.db import Store
from store.sync.errors import SyncError
from store.sync.hub import Hub, MediaMismatch
from store.sync.validate import is_sha256

MEDIA_COLUMN = "media_sha256"
SYNC_DIR = "media/sync"
SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".m4a", ".webm", ".mkv", ".wav", ".mp3"})
DEFAULT_SUFFIX = ".mp4"


def suffix_of(media_path) -> str:
    suffix = PurePosixPath(str(media_path or "").replace("\\", "/")).suffix.lower()
    return suffix if suffix in SUFFIXES else DEFAULT_SUFFIX


def sync_media_relpath(sha: str | None, media_path=None) -> str | None:
    """Where a received row's file goes, relative to the data dir: media/sync/<sha><suffix>."""
    if not is_sha256(sha):
        return None
    return f"{SYNC_DIR}/{sha}{suffix_of(media_path)}"


def is_safe_relpath(media_path) -> bool:
    """A relative path inside the data dir's media folder (what this station's own code writes)."""
    if not isinstance(media_path, str) or not media_path:
        return False
    p = PurePosixPath(media_path.replace("\\", "/"))
    return not p.is_absolute() and ":" not in media_path and p.parts[:1] == ("media",) and ".." not in p.parts


def _stored_path(store: Store, row: dict) -> Path | None:
    rel = row.get("media_path")
    if not rel:
        return None
    p = Path(rel)
    if p.is_absolute():
        return p
    return store.data_dir / p if is_safe_relpath(rel) else None


def _present(path: Path | None, row: dict) -> bool:
    if path is None or not path.is_file():
        return False
    size = row.get("media_size")
    return size is None or path.stat().st_size == int(size)


def fetch_path(store: Store, row: dict) -> Path | None:
    """Where fetching this row's media writes: always media/sync/<sha256><suffix>, or None."""
    rel = sync_media_relpath(row.get(MEDIA_COLUMN), row.get("media_path"))
    return store.data_dir / rel if rel else None


def local_media_path(store: Store, row: dict) -> Path | None:
    """Where this row's media file is on this station, or (not here yet) where fetching puts it."""
    stored = _stored_path(store, row)
    if _present(stored, row):
        return stored
    fetched = fetch_path(store, row)
    if fetched is not None:
        return fetched
    return stored


def has_local_media(store: Store, row: dict) -> bool:
    return _present(local_media_path(store, row), row)


def ensure_media(store: Store, recording_id: str, hub: Hub | None = None, table: str = "recordings",
                 progress=None) -> Path:
    """The local media file of a take, fetched (and verified) from the hub if this station does not
    have it yet. Raises SyncError with a plain message if it cannot be had."""
    cur = store.db.execute(f'SELECT * FROM "{table}" WHERE id=?', [recording_id])
    found = cur.fetchone()
    if found is None:
        raise SyncError(f"There is no take {recording_id}.")
    row = dict(zip([d[0] for d in cur.description], found))
    path = local_media_path(store, row)
    if path is None:
        raise SyncError("This take has no media file.")
    if has_local_media(store, row):
        return path
    if not row.get(MEDIA_COLUMN):
        raise SyncError("This take's media file is not on this station and has no hash to fetch it by.")
    path = fetch_path(store, row)
    if path is None:
        raise SyncError("This take's media hash is not a sha256; it cannot be fetched.")
    own = hub is None
    if own:
        from store.sync.config import SyncConfig  # noqa: PLC0415
        from store.sync.hubs import open_hub  # noqa: PLC0415
        config = SyncConfig.load(store)
        hub = open_hub(config.hub, config.endpoint_url or None)
    try:
        hub.fetch_media(row[MEDIA_COLUMN], path, progress)
    except FileNotFoundError as exc:
        raise SyncError("This take's video is not on the hub yet; the station that recorded it "
                        "has not synced since.") from exc
    except MediaMismatch as exc:
        raise SyncError(f"The hub's copy of this take's video is damaged ({exc}).") from exc
    finally:
        if own:
            hub.close()
    return path


def repair_media_paths(conn) -> int:
    """Rows received before issue #12 kept the path another station (or someone with the team key)
    gave them: give every row whose path this station did not choose its own path (quietly: nothing
    is sent). A relative path inside media/ stays, and so does an absolute one on a row made here."""
    from store.sync.tables import synced_tables  # noqa: PLC0415

    local = conn.execute("SELECT value FROM station WHERE key='station_id'").fetchone()
    local = local[0] if local else ""
    fixes = []
    for table, cols in synced_tables(conn).items():
        if "media_path" not in cols or MEDIA_COLUMN not in cols:
            continue
        for rid, station, path, sha in conn.execute(
                f'SELECT id, station_id, media_path, {MEDIA_COLUMN} FROM "{table}" WHERE media_path IS NOT '
                "NULL AND NOT (media_path LIKE 'media/%' AND media_path NOT LIKE '%..%')"):
            if is_safe_relpath(path) or (Path(path).is_absolute() and station == local):
                continue
            fixes.append((table, sync_media_relpath(sha, path), rid))
    if fixes:
        conn.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES('applying', '1')")
        for table, path, rid in fixes:
            conn.execute(f'UPDATE "{table}" SET media_path=? WHERE id=?', [path, rid])
        conn.execute("DELETE FROM sync_state WHERE key='applying'")
    return len(fixes)


def media_tables(tables: dict[str, list[str]]) -> list[str]:
    return [t for t, cols in tables.items() if MEDIA_COLUMN in cols]


def missing_media(store: Store, tables: dict[str, list[str]]) -> list[tuple[str, dict]]:
    """(table, row) of every live row whose media file this station lacks."""
    out = []
    for table in media_tables(tables):
        cols = tables[table]
        where = f"{MEDIA_COLUMN} IS NOT NULL" + (" AND deleted=0" if "deleted" in cols else "")
        cur = store.db.execute(f'SELECT * FROM "{table}" WHERE {where}')
        names = [d[0] for d in cur.description]
        for found in cur:
            row = dict(zip(names, found))
            if not has_local_media(store, row):
                out.append((table, row))
    return out
