"""Station names that travel with sync: the ``stations`` table holds one row per station (its ``id`` is
the station id), so a take recorded elsewhere can say "Recorded on Booth 2". This station's row is
written whenever the station is opened (``open_station`` calls ``publish_name``: the app and every
command-line command) if it is missing or out of date, and when the station is renamed (``rename``); a
rename reaches the other stations at their next sync (the newest version of the row wins, as for any
row). No Qt."""
from __future__ import annotations

from store.clock import now_iso
from store.db import Store

META_NAME = "station_name"


def _row(store: Store) -> tuple | None:
    return store.db.execute("SELECT name, deleted FROM stations WHERE id=?", [store.station_id]).fetchone()


def _carries(row: tuple | None, name: str) -> bool:
    return row is not None and row[0] == name and not row[1]


def publish_name(store: Store) -> bool:
    """Make this station's row carry its current name. True if it was written (new or changed).

    Called on every open, so the usual case (the row is up to date) is two reads and no write lock."""
    name = store.station_name
    if _carries(_row(store), name):
        return False
    with store.transaction() as db:
        row = _row(store)                  # again, under the write lock
        if _carries(row, name):
            return False
        now = now_iso()
        if row is None:
            db.execute("INSERT INTO stations(id, created_at, station_id, clock, updated_at, deleted, name) "
                       "VALUES(?, ?, ?, ?, ?, 0, ?)",
                       [store.station_id, now, store.station_id, store.tick(), now, name])
        else:
            db.execute("UPDATE stations SET name=?, updated_at=?, deleted=0, clock=? WHERE id=?",
                       [name, now, store.tick(), store.station_id])
    return True


def rename(store: Store, name: str) -> str:
    """Rename this station (spaces tidied); returns the name kept. Raises ValueError for a blank one."""
    name = " ".join((name or "").split())
    if not name:
        raise ValueError("A station needs a name, e.g. “Booth 3, Lisbon kickoff”.")
    with store.transaction():
        store.set_meta(META_NAME, name)
        publish_name(store)
    return name


def station_names(store: Store) -> dict[str, str]:
    """{station id: name} of every station this one has heard of (itself included)."""
    names = {r[0]: r[1] for r in store.db.execute("SELECT id, name FROM stations WHERE deleted=0")}
    names[store.station_id] = store.station_name
    return names


def station_label(store: Store, station_id: str) -> str:
    """What to call the station that made a row: its name, or "another station (1a2b3c4d)" for one
    whose name has not arrived yet."""
    if station_id == store.station_id:
        return store.station_name
    row = store.db.execute("SELECT name FROM stations WHERE id=? AND deleted=0", [station_id]).fetchone()
    if row and row[0]:
        return row[0]
    return f"another station ({station_id[:8]})" if station_id else "another station"
