"""Sync's local bookkeeping: sequence numbers, last sync, pending count (reads are cheap)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from store.db import Store
from store.sync.tables import ensure_tracking, pending_count, tracking_work


def get_state(conn, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key=?", [key]).fetchone()
    return row[0] if row else default


def set_state(conn, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES(?, ?)", [key, value])


@dataclass
class SyncStatus:
    pending: int
    last_sync: str | None
    last_error: str | None
    gaps: list[str] = field(default_factory=list)     # batches missing from the hub, as last seen

    def summary(self) -> str:
        from store.clock import parse_iso  # noqa: PLC0415
        changes = "nothing to send" if not self.pending else \
            f"{self.pending} change{'s' if self.pending != 1 else ''} to send"
        if self.last_sync:
            when = parse_iso(self.last_sync).astimezone().strftime("%H:%M")
            return f"{changes}, last sync {when}"
        return f"{changes}, never synced"


def status(store: Store) -> SyncStatus:
    """How many changes wait to be sent and when the last sync finished (installs change tracking
    for tables it has not seen yet)."""
    db = store.db
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name='sync_state'").fetchone():
        return SyncStatus(0, None, None)
    if tracking_work(db.conn):
        with store.transaction() as tx:
            ensure_tracking(tx.conn)
    try:
        found = json.loads(get_state(db.conn, "gaps", "[]") or "[]")
    except ValueError:
        found = []
    return SyncStatus(pending_count(db.conn), get_state(db.conn, "last_sync"),
                      get_state(db.conn, "last_error"), [str(g) for g in found] if isinstance(found, list) else [])
