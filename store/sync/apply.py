"""Applying received records to the station's tables (inside the caller's transaction).

Every row is versioned by (Lamport clock, station that made the version). A record newer than what
the station holds replaces it (the replaced version goes to ``sync_history``); an older one goes
straight to history; the same version is a no-op — so applying a batch twice changes nothing.
Deletions are versions too (tombstones): they remove the row, and an older version arriving later
cannot bring it back.

Columns that are the station's own are never taken from a record (issue #12): ``tables.LOCAL_COLUMNS``
(a PIN hash from an older station) are dropped before anything — row, history — is written, and a
take's ``media_path`` is derived here (media/sync/<sha256><suffix>), or kept when the station already
holds the row with the same media: a batch never chooses where a file is on this station.

People's ids derive from their names, so two stations that each add "Eve Martin" make one row twice.
Such independent creations (a different ``created_at``/``station_id``) never take the certifier role
away: whichever version wins, a live certifier stays one at every station. Demoting a certifier is
an edit of the row the station received (``people set-role``, confirmed with a certifier's PIN).
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from store.clock import now_iso
from store.sync.batch import Record
from store.sync.media import MEDIA_COLUMN, sync_media_relpath
from store.sync.tables import outgoing_row


# columns that say when and where a version was made, not what it holds
BOOKKEEPING = frozenset({"clock", "created_at", "updated_at", "station_id"})


@dataclass
class ApplyStats:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    same: int = 0
    lost: int = 0          # older than what we hold: kept in history only
    refused: list[str] = field(default_factory=list)
    max_clock: int = 0
    changed_by_table: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


def _json(row: dict | None) -> str | None:
    if row is None:
        return None
    return json.dumps({k: (v.hex() if isinstance(v, (bytes, bytearray)) else v) for k, v in row.items()},
                      sort_keys=True)


def _history(conn, table, rid, version, op, row, reason) -> None:
    row = outgoing_row(table, row)
    conn.execute("INSERT OR IGNORE INTO sync_history(tbl, id, clock, station, op, row, reason, recorded_at) "
                 "VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                 [table, rid, version[0], version[1], op, _json(row), reason, now_iso()])


def local_row(rec_table: str, row: dict, cols: list[str], held: dict | None) -> dict:
    """The columns of a received row this station takes, with its own media path."""
    row = outgoing_row(rec_table, {k: v for k, v in row.items() if k in cols})
    if "media_path" in cols:
        sha = row.get(MEDIA_COLUMN) if MEDIA_COLUMN in row else (held or {}).get(MEDIA_COLUMN)
        if held is not None and held.get(MEDIA_COLUMN) == sha:
            row.pop("media_path", None)             # the file this station already has for it
        else:
            row["media_path"] = sync_media_relpath(sha, row.get("media_path"))
    return row


def _independent(row: dict, held: dict) -> bool:
    """Two stations each created this row (the same person added at both before they synced)."""
    return (row.get("created_at"), row.get("station_id")) != (held.get("created_at"), held.get("station_id"))


def _keeps_certifier(table: str, incoming: dict | None, held: dict | None) -> bool:
    """A received people version made apart from the live certifier held here may not demote them."""
    return (table == "people" and held is not None and incoming is not None
            and held.get("role") == "certifier" and not held.get("deleted")
            and incoming.get("role") != "certifier" and _independent(incoming, held))


def apply_records(conn: sqlite3.Connection, records: list[Record], tables: dict[str, list[str]],
                  local_station: str) -> ApplyStats:
    stats = ApplyStats()
    for rec in records:
        stats.max_clock = max(stats.max_clock, rec.clock)
        cols = tables[rec.table]
        q = f'"{rec.table}"'
        cur = conn.execute(f"SELECT * FROM {q} WHERE id=?", [rec.id])
        found = cur.fetchone()
        local_row_now = dict(zip([d[0] for d in cur.description], found)) if found else None
        held = conn.execute("SELECT clock, station FROM sync_versions WHERE tbl=? AND id=?",
                            [rec.table, rec.id]).fetchone()
        if held is None and local_row_now is not None:
            held = (local_row_now.get("clock") or 0, local_row_now.get("station_id") or "")
        held = tuple(held) if held is not None else None
        if held == rec.version:
            stats.same += 1
            if rec.station == local_station:   # our own batch seen again: it is published
                conn.execute("DELETE FROM sync_outbox WHERE tbl=? AND id=? AND clock=?",
                             [rec.table, rec.id, rec.clock])
            continue
        if held is not None and rec.version < held:
            _history(conn, rec.table, rec.id, rec.version, rec.op, rec.row, "older than the version held")
            stats.lost += 1
            if rec.op == "upsert" and _keeps_certifier(rec.table, local_row_now, rec.row):
                # the older version is the certifier's own creation: the newer one keeps that role
                conn.execute(f'UPDATE "{rec.table}" SET role=? WHERE id=?', ["certifier", rec.id])
                stats.changed_by_table[rec.table] = stats.changed_by_table.get(rec.table, 0) + 1
            continue
        same_content = False
        try:
            conn.execute("SAVEPOINT sync_rec")
            if rec.op == "delete":
                if local_row_now is not None:
                    conn.execute(f"DELETE FROM {q} WHERE id=?", [rec.id])
                    stats.deleted += 1
            else:
                row = local_row(rec.table, rec.row or {}, cols, local_row_now)
                row["id"] = rec.id
                if _keeps_certifier(rec.table, row, local_row_now):
                    row["role"] = "certifier"
                if local_row_now is None:
                    names = list(row)
                    conn.execute(f"INSERT INTO {q} ({', '.join(f'{chr(34)}{n}{chr(34)}' for n in names)}) "
                                 f"VALUES ({', '.join('?' * len(names))})", [row[n] for n in names])
                    stats.inserted += 1
                else:
                    names = [n for n in row if n != "id" and row[n] != local_row_now.get(n)]
                    if names:
                        conn.execute(f"UPDATE {q} SET {', '.join(f'{chr(34)}{n}{chr(34)}=?' for n in names)} "
                                     f"WHERE id=?", [row[n] for n in names] + [rec.id])
                    if set(names) - BOOKKEEPING:
                        stats.updated += 1
                    else:
                        stats.same += 1
                        same_content = True
        except sqlite3.DatabaseError as exc:
            conn.execute("ROLLBACK TO sync_rec")
            conn.execute("RELEASE sync_rec")
            _history(conn, rec.table, rec.id, rec.version, rec.op, rec.row, f"refused here: {exc}")
            stats.refused.append(f"{rec.table} {rec.id}: {exc}")
            continue
        conn.execute("RELEASE sync_rec")
        if not same_content and (rec.op == "upsert" or local_row_now is not None):
            stats.changed_by_table[rec.table] = stats.changed_by_table.get(rec.table, 0) + 1
        if held is not None and local_row_now is not None and not same_content:
            _history(conn, rec.table, rec.id, held, "upsert", local_row_now, "replaced by a newer version")
        conn.execute("INSERT OR REPLACE INTO sync_versions(tbl, id, clock, station) VALUES(?, ?, ?, ?)",
                     [rec.table, rec.id, rec.clock, rec.station])
        # a local change not yet sent that this newer version replaces is not sent any more
        conn.execute("DELETE FROM sync_outbox WHERE tbl=? AND id=? AND clock<=?", [rec.table, rec.id, rec.clock])
    return stats
