"""Media files of synced rows: where they live on this station, and fetching them from the hub on
demand (the player calls :func:`ensure_media` when a take is opened) or all at once."""
from __future__ import annotations

from pathlib import Path

from store.db import Store
from store.sync.errors import SyncError
from store.sync.hub import Hub, MediaMismatch

MEDIA_COLUMN = "media_sha256"


def local_media_path(store: Store, row: dict) -> Path | None:
    """Where this row's media file is (or goes) on this station. A relative ``media_path`` inside the
    data dir is kept as it is; anything else (absolute paths from another machine) goes to
    media/sync/<sha256><suffix>."""
    sha = row.get(MEDIA_COLUMN)
    rel = row.get("media_path")
    if rel:
        p = Path(rel)
        if not p.is_absolute() and ".." not in p.parts:
            return store.data_dir / p
        if p.is_absolute() and p.exists() and row.get("station_id") == store.station_id:
            return p
    if not sha:
        return None
    suffix = Path(rel).suffix if rel else ""
    return store.media_dir / "sync" / f"{sha}{suffix}"


def has_local_media(store: Store, row: dict) -> bool:
    path = local_media_path(store, row)
    if path is None or not path.exists():
        return False
    size = row.get("media_size")
    return size is None or path.stat().st_size == int(size)


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
    own = hub is None
    if own:
        from store.sync.config import SyncConfig  # noqa: PLC0415
        from store.sync.hub import open_hub  # noqa: PLC0415
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
