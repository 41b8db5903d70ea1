"""The station-local queue of statements to send (table ``xapi_queue``, migration v10; never synced).

A row is one statement: its kind and record, whether this station made the record ('here') or received
it by sync ('received'), and its state — 'queued' (to send), 'held' (the LRS rejected it; the reason is
kept and it is not retried until someone asks), 'sent' (the LRS has it) or 'skipped' (the record makes no
statement, e.g. a person no longer on the station). Rows are never deleted: 'sent' ones keep a take
re-submitted or a trigger firing twice from queueing the same statement again.

Triggers add rows as records are made, once :func:`enable` has switched the queue on; enabling also
queues what the station already holds (optionally only facts since a date).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from store.clock import now_iso
from store.db import Store

TAKE_OK = ("t.rep_id IS NOT NULL AND t.source IS NOT 'partner-kit' AND t.deleted = 0 "
           "AND t.status IN ('take', 'recovered', 'submitted', 'discarded') AND t.duration_s IS NOT NULL")
BACKFILL = {   # kind: (table, condition, the fact's time)
    "attempted": ("recordings", TAKE_OK, "COALESCE(t.started_at, t.created_at)"),
    "completed": ("recordings", TAKE_OK + " AND t.status = 'submitted'", "t.submitted_at"),
    "scored": ("scorecards", "1", "t.submitted_at"),
    "voided": ("scorecards", "t.supersedes IS NOT NULL", "t.submitted_at"),
    "decision": ("signoffs", "1", "t.decided_at"),
    "exemplar": ("exemplars", "t.deleted = 0 AND t.promoted_by IS NOT NULL", "t.created_at"),
}
SCOPES = ("own", "all")


def is_enabled(store: Store) -> bool:
    return store.get_meta("xapi.queue") == "1"


def enable(store: Store, since: str | None = None) -> int:
    """Switch the queue on (idempotent) and queue every statement the station's records already make
    (facts at or after ``since`` only, when given). Returns how many were queued now."""
    with store.transaction() as db:
        if db.execute("SELECT value FROM station WHERE key='xapi.queue'").fetchone() == ("1",):
            return 0
        local = store.station_id
        now = now_iso()
        added = 0
        for kind, (table, condition, stamp) in BACKFILL.items():
            # who made it, as sync knows it; a row sync never tracked (no sync yet) is this station's
            origin = (f"CASE WHEN COALESCE((SELECT v.station FROM sync_versions v WHERE v.tbl = '{table}' "
                      f"AND v.id = t.id), ?1) = ?1 THEN 'here' ELSE 'received' END")
            where, params = condition, [local, now]
            if since:
                where += f" AND {stamp} >= ?3"
                params.append(since)
            added += db.execute(f"INSERT OR IGNORE INTO xapi_queue(kind, record_id, origin, queued_at) "
                                f"SELECT '{kind}', t.id, {origin}, ?2 FROM {table} t WHERE {where} ORDER BY t.rowid",
                                params).rowcount
        db.execute("INSERT OR REPLACE INTO station(key, value) VALUES('xapi.queue', '1')")
    return added


def _scope_sql(scope: str) -> str:
    return "" if scope == "all" else " AND origin = 'here'"


@dataclass(frozen=True)
class Queued:
    seq: int
    kind: str
    record_id: str


def next_batch(store: Store, scope: str, limit: int, after: int = 0) -> list[Queued]:
    rows = store.db.execute(f"SELECT seq, kind, record_id FROM xapi_queue WHERE state = 'queued' AND seq > ?"
                            f"{_scope_sql(scope)} ORDER BY seq LIMIT ?", [after, limit]).fetchall()
    return [Queued(*r) for r in rows]


def mark(store: Store, sent: list[int] = (), held: dict[int, str] | None = None,
         skipped: dict[int, str] | None = None) -> None:
    """Record what a request decided, in one transaction (a kill after the LRS answered loses at most
    this, and re-sending it is harmless: the LRS keeps one statement per id)."""
    now = now_iso()
    with store.transaction() as db:
        db.conn.executemany("UPDATE xapi_queue SET state='sent', sent_at=?, reason=NULL WHERE seq=?",
                            [(now, s) for s in sent])
        db.conn.executemany("UPDATE xapi_queue SET state='held', reason=?, attempts=attempts+1 WHERE seq=?",
                            [(r[:2000], s) for s, r in (held or {}).items()])
        db.conn.executemany("UPDATE xapi_queue SET state='skipped', reason=? WHERE seq=?",
                            [(r[:2000], s) for s, r in (skipped or {}).items()])


def retry_held(store: Store) -> int:
    with store.transaction() as db:
        return db.execute("UPDATE xapi_queue SET state='queued' WHERE state='held'").rowcount


def requeue_all(store: Store) -> int:
    """Send everything again (a new LRS): sent, held and skipped statements go back in the queue."""
    with store.transaction() as db:
        return db.execute("UPDATE xapi_queue SET state='queued', sent_at=NULL, reason=NULL, attempts=0 "
                          "WHERE state <> 'queued'").rowcount


@dataclass
class Counts:
    queued: int = 0
    held: int = 0
    sent: int = 0
    skipped: int = 0
    elsewhere: int = 0                 # queued records made on other stations, not sent with scope 'own'
    queued_by_kind: dict[str, int] = field(default_factory=dict)


def counts(store: Store, scope: str) -> Counts:
    out = Counts()
    for state, origin, kind, n in store.db.execute(
            "SELECT state, origin, kind, count(*) FROM xapi_queue GROUP BY state, origin, kind"):
        if state == "queued" and origin == "received" and scope != "all":
            out.elsewhere += n
            continue
        setattr(out, state, getattr(out, state) + n)
        if state == "queued":
            out.queued_by_kind[kind] = out.queued_by_kind.get(kind, 0) + n
    return out


def held(store: Store, limit: int = 20) -> list[tuple[str, str, str]]:
    """(kind, record id, reason) of held statements, oldest first."""
    return [tuple(r) for r in store.db.execute(
        "SELECT kind, record_id, reason FROM xapi_queue WHERE state='held' ORDER BY seq LIMIT ?", [limit])]
