"""Which tables leave the station, and the triggers that notice every local change to them.

Table-driven: every table with ``id``, ``station_id`` and ``clock`` columns syncs, except the local
ones below. Features never call sync: a trigger per table and event (installed here, re-installed
when a table's columns change, and installed for tables that later migrations add) records each
local insert, update or delete in ``sync_outbox`` and the row's version (clock, this station) in
``sync_versions``. An update that did not advance the row's Lamport clock gets a fresh tick from the
trigger, so "the latest change wins" holds even for code that forgets to tick. The triggers are
silent while sync itself applies rows (``sync_state.applying = '1'``, only ever set inside the apply
transaction). The triggers name no column but ``id``, ``clock`` and ``station_id``, so later migrations
can still add, rename or drop other columns (SQLite refuses to drop a column a trigger uses).
"""
from __future__ import annotations

import hashlib
import sqlite3

LOCAL_TABLES = frozenset({"station", "transcription_jobs"})
# columns of synced tables that never leave the station and are never taken from a batch (issue #12):
# a certifier's PIN hash (station-local since #12; older stations still send theirs). Left out of a
# batch rather than sent empty, so an older station receiving the row keeps its own hash. (A take's
# ``media_path`` is sent, for older stations, but never taken: apply.py derives it here.)
LOCAL_COLUMNS = {"people": frozenset({"pin_hash"})}


def outgoing_row(table: str, row: dict | None) -> dict | None:
    """A row as it may leave the station: without the columns that never do."""
    drop = LOCAL_COLUMNS.get(table)
    if row is None or not drop:
        return row
    return {k: v for k, v in row.items() if k not in drop}
REQUIRED = ("id", "station_id", "clock")
TRIGGER_PREFIX = "sync_trk_"


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def synced_tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """{table: columns} for every table that leaves the station, parents before children."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
        "ORDER BY name")]
    found = {}
    for name in names:
        if name in LOCAL_TABLES or name.startswith(("sync_", "sqlite_")):
            continue
        cols = _columns(conn, name)
        if all(c in cols for c in REQUIRED):
            found[name] = cols
    return {t: found[t] for t in _parents_first(conn, list(found))}


def _parents_first(conn: sqlite3.Connection, tables: list[str]) -> list[str]:
    deps = {t: {r[2] for r in conn.execute(f'PRAGMA foreign_key_list("{t}")')} & set(tables) - {t}
            for t in tables}
    order: list[str] = []
    while deps:
        ready = sorted(t for t, d in deps.items() if not d - set(order))
        if not ready:                       # a cycle: keep the rest in name order
            ready = sorted(deps)
        for t in ready:
            order.append(t)
            deps.pop(t)
    return order


TRIGGER_VERSION = "2"


def _signature(columns: list[str]) -> str:
    return hashlib.sha1((TRIGGER_VERSION + ":" + ",".join(columns)).encode()).hexdigest()[:8]


def _quiet() -> str:
    return "(SELECT value FROM sync_state WHERE key='applying') IS NOT '1'"


def _trigger_sql(table: str, columns: list[str], sig: str) -> list[str]:
    q = f'"{table}"'
    station = "(SELECT value FROM station WHERE key='station_id')"
    clock_now = "(SELECT CAST(value AS INTEGER) FROM station WHERE key='clock')"
    ensure_clock = "INSERT OR IGNORE INTO station(key, value) VALUES('clock', '0');"
    row_clock = f"(SELECT clock FROM {q} WHERE id = new.id)"
    # an insert without a clock (0) gets a tick for its version; the row itself is left alone (some
    # tables refuse updates)
    ins_clock = f"CASE WHEN COALESCE(new.clock, 0) = 0 THEN {clock_now} ELSE new.clock END"
    name = f"{TRIGGER_PREFIX}{table}_{sig}"
    return [
        f"""CREATE TRIGGER "{name}_ai" AFTER INSERT ON {q} WHEN {_quiet()} BEGIN
            {ensure_clock}
            UPDATE station SET value = CAST(value AS INTEGER) + 1
                WHERE key='clock' AND COALESCE(new.clock, 0) = 0;
            INSERT OR REPLACE INTO sync_outbox(tbl, id, clock, op) VALUES('{table}', new.id, {ins_clock}, 'upsert');
            INSERT OR REPLACE INTO sync_versions(tbl, id, clock, station)
                VALUES('{table}', new.id, {ins_clock}, {station});
        END""",
        f"""CREATE TRIGGER "{name}_au" AFTER UPDATE ON {q} WHEN {_quiet()} BEGIN
            {ensure_clock}
            UPDATE station SET value = MAX(CAST(value AS INTEGER), COALESCE(old.clock, 0)) + 1
                WHERE key='clock' AND COALESCE(new.clock, 0) <= COALESCE(old.clock, 0);
            UPDATE {q} SET clock = {clock_now}
                WHERE id = new.id AND COALESCE(new.clock, 0) <= COALESCE(old.clock, 0);
            INSERT OR REPLACE INTO sync_outbox(tbl, id, clock, op) VALUES('{table}', new.id, {row_clock}, 'upsert');
            INSERT OR REPLACE INTO sync_versions(tbl, id, clock, station)
                VALUES('{table}', new.id, {row_clock}, {station});
        END""",
        f"""CREATE TRIGGER "{name}_ad" AFTER DELETE ON {q} WHEN {_quiet()} BEGIN
            {ensure_clock}
            UPDATE station SET value = MAX(CAST(value AS INTEGER), COALESCE(old.clock, 0)) + 1
                WHERE key='clock';
            INSERT OR IGNORE INTO sync_history(tbl, id, clock, station, op, row, reason, recorded_at)
                VALUES('{table}', old.id, COALESCE(old.clock, 0),
                       COALESCE((SELECT station FROM sync_versions WHERE tbl='{table}' AND id=old.id),
                                old.station_id),
                       'upsert', NULL, 'deleted here', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
            INSERT OR REPLACE INTO sync_outbox(tbl, id, clock, op) VALUES('{table}', old.id, {clock_now}, 'delete');
            INSERT OR REPLACE INTO sync_versions(tbl, id, clock, station)
                VALUES('{table}', old.id, {clock_now}, {station});
        END""",
    ]


def tracking_work(conn: sqlite3.Connection) -> list[tuple[str, list[str], str, set[str]]]:
    """Tables whose triggers are missing or out of date (a read; cheap)."""
    existing: dict[str, set[str]] = {}
    for name, tbl in conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type='trigger' "
                                  "AND name LIKE ?", [TRIGGER_PREFIX + "%"]):
        existing.setdefault(tbl, set()).add(name)
    work = []
    for table, columns in synced_tables(conn).items():
        sig = _signature(columns)
        wanted = {f"{TRIGGER_PREFIX}{table}_{sig}_{e}" for e in ("ai", "au", "ad")}
        have = existing.get(table, set())
        if have != wanted:
            work.append((table, columns, sig, have))
    return work


def ensure_tracking(conn: sqlite3.Connection) -> list[str]:
    """Install (or refresh) the change triggers; a table seen for the first time has all its rows
    queued to send. Call inside a write transaction. Returns the tables newly adopted."""
    adopted = []
    for table, columns, sig, have in tracking_work(conn):
        for name in have:
            conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        for sql in _trigger_sql(table, columns, sig):
            conn.execute(sql)
        tracked = conn.execute("SELECT 1 FROM sync_state WHERE key=?", [f"tracked:{table}"]).fetchone()
        if not tracked:
            adopt(conn, table)
            conn.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES(?, '1')", [f"tracked:{table}"])
            adopted.append(table)
    return adopted


def adopt(conn: sqlite3.Connection, table: str) -> None:
    """Queue every row of a table not tracked before: rows written before sync existed, whatever
    their ``station_id`` says (demo data, imports) — this station is the one publishing them."""
    local = conn.execute("SELECT value FROM station WHERE key='station_id'").fetchone()[0]
    conn.execute(f"""INSERT OR IGNORE INTO sync_versions(tbl, id, clock, station)
                     SELECT '{table}', id, COALESCE(clock, 0), ? FROM "{table}" """, [local])
    conn.execute(f"""INSERT OR IGNORE INTO sync_outbox(tbl, id, clock, op)
                     SELECT '{table}', t.id, v.clock, 'upsert' FROM "{table}" t
                     JOIN sync_versions v ON v.tbl='{table}' AND v.id=t.id WHERE v.station=?""", [local])


def pending_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]


def requeue_own(conn: sqlite3.Connection) -> int:
    """Queue again every version this station made — rows and tombstones (repair after a batch of ours
    was damaged or lost on the hub; receivers ignore versions they already hold). Returns how many."""
    local = conn.execute("SELECT value FROM station WHERE key='station_id'").fetchone()[0]
    total = 0
    for table in synced_tables(conn):
        cur = conn.execute(f"""INSERT OR IGNORE INTO sync_outbox(tbl, id, clock, op)
            SELECT v.tbl, v.id, v.clock, CASE WHEN t.id IS NULL THEN 'delete' ELSE 'upsert' END
            FROM sync_versions v LEFT JOIN "{table}" t ON t.id = v.id
            WHERE v.tbl = ? AND v.station = ?""", [table, local])
        total += cur.rowcount
    return total


def repair_clocks(conn: sqlite3.Connection, limit: int) -> int:
    """A batch applied before issue #12 could carry a clock of 2^63-1, after which every write of the
    station overflowed. Bring the station's clock and any row's clock above ``limit`` (validate.MAX_CLOCK)
    down to it, quietly (nothing is sent); returns how many values were changed. Call in a transaction."""
    changed = 0
    row = conn.execute("SELECT value FROM station WHERE key='clock'").fetchone()
    try:
        too_high = row is not None and int(float(row[0])) > limit
    except (TypeError, ValueError):
        too_high = True
    conn.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES('applying', '1')")
    if too_high:
        conn.execute("UPDATE station SET value=? WHERE key='clock'", [str(limit)])
        changed += 1
    for table in synced_tables(conn):
        changed += conn.execute(f'UPDATE "{table}" SET clock=? WHERE clock>?', [limit, limit]).rowcount
    for name in ("sync_versions", "sync_outbox"):
        changed += conn.execute(f"UPDATE OR REPLACE {name} SET clock=? WHERE clock>?", [limit, limit]).rowcount
    conn.execute("DELETE FROM sync_state WHERE key='applying'")
    return changed
