"""Receiving batches (mixed into ``Syncer``): adopt our own, pull everyone else's, one transaction each.

Before a batch is applied it must be whole, signed with the team key, bounded in size, made of
values a station could have made (batch.py, validate.py) and — if its station signs — signed with the
key this station holds for that station (station_keys.py). Anything else is reported and not applied,
and the pull goes on with the next batch. After the pull, numbers missing from a station's sequence
are reported (gaps.py) and remembered for `rolecall sync status`.
"""
from __future__ import annotations

import json

from store.clock import now_iso
from store.sync import batch as batchfmt
from store.sync import gaps
from store.sync.apply import apply_records
from store.sync.hub import BlobTooLarge
from store.sync.plan import BatchRef, plan_pull
from store.sync.state import get_state, set_state
from store.sync.station_keys import get_pin, refusal, remember, station_names

SETTLED = "settled:"


class Receiver:
    """Needs ``hub``, ``store``, ``key``, ``report``, ``tables``, ``conn``, ``_bad``, ``_emit``,
    ``_check_cancel``, ``_next_seq`` and ``_checkpoint``."""

    _listing: dict[str, set[int]] | None = None

    def _applied(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT batch FROM sync_applied")}

    def _adopt_own_batches(self) -> None:
        """Our own batches on the hub that we have not recorded (we died right after publishing, or
        this database was restored from a backup): apply them and move our sequence past them. Only
        batches that verify as ours count: a forged one cannot push our numbering anywhere."""
        me = self.store.station_id
        mine = [n for n in self.hub.list(f"{batchfmt.BATCH_PREFIX}{me}/") if batchfmt.parse_name(n)]
        if not mine:
            return
        for ref in plan_pull(mine, self._applied()).to_apply:
            self._receive(ref)
        top = self.conn.execute("SELECT MAX(seq) FROM sync_applied WHERE station=?", [me]).fetchone()[0]
        if top is not None and top >= self._next_seq():
            with self.store.transaction() as db:
                set_state(db.conn, "next_seq", str(top + 1))

    def pull(self, limit: int | None = None) -> None:
        listing = self.hub.list(batchfmt.BATCH_PREFIX)
        plan = plan_pull(listing, self._applied(), limit=limit)
        self._listing = {}
        for name in listing:
            parsed = batchfmt.parse_name(name)
            if parsed:
                self._listing.setdefault(parsed[0], set()).add(parsed[1])
        for stray in plan.strays:
            self.report.warnings.append(f"Ignored a stray file on the hub: {stray} (a copy made by a "
                                        "file-sync tool, or not Rolecall's).")
        total = len(plan.to_apply)
        try:
            for number, ref in enumerate(plan.to_apply):
                self._check_cancel()
                self._emit("receive", number, total, 0, 0)
                self._receive(ref)
            self._emit("receive", total, total, 0, 0)
        finally:
            # a bad batch is reported unless a resend applied in this pull made it moot
            applied = self._applied() if self._bad else set()
            self.report.problems.extend(msg for name, msg in self._bad.items() if name not in applied)
            self._bad.clear()
        self._check_gaps()

    def _receive(self, ref: BatchRef) -> None:
        try:
            data = self.hub.get(ref.name, max_bytes=batchfmt.MAX_BATCH_BYTES)
        except FileNotFoundError:
            return
        except BlobTooLarge as exc:
            self._bad[ref.name] = (f"Not applied: {ref.name} is too large ({exc.size >> 20} MB on the hub; "
                                   "no Rolecall station writes batches that big).")
            return
        try:
            batch = batchfmt.decode(data, self.key, expect=(ref.station, ref.seq))
        except batchfmt.BadBatch as exc:
            self._bad[ref.name] = f"Not applied: {ref.name} is {exc}."
            return
        why = refusal(get_pin(self.conn, ref.station), ref.seq, batch.station_key)
        if why:
            if ref.station == self.store.station_id:
                why = ("under this station's id but not signed with its key: someone with the team key "
                       "is publishing as this station")
            else:
                why += (" (if that station really lost its key, check with its owner, then run "
                        f"`rolecall sync forget-station-key {ref.station}` here)")
            self._bad[ref.name] = f"Not applied: {ref.name} is {why}."
            return
        unknown = sorted({r.table for r in batch.records} - set(self.tables))
        if unknown:
            self.report.problems.append(f"Not applied: {ref.name} holds {', '.join(unknown)}, which this "
                                        "version of Rolecall does not know. Update Rolecall on this station.")
            return
        conn = self.conn
        conn.execute("PRAGMA foreign_keys=OFF")   # rows may arrive before what they refer to
        try:
            with self.store.transaction() as db:
                set_state(db.conn, "applying", "1")
                stats = apply_records(db.conn, batch.records, self.tables, self.store.station_id)
                if stats.max_clock:
                    self.store.observe_clock(stats.max_clock)
                self._checkpoint("before_mark_applied")
                db.conn.execute("INSERT INTO sync_applied(batch, station, seq, records, applied_at) "
                                "VALUES(?, ?, ?, ?, ?)", [ref.name, ref.station, ref.seq,
                                                          len(batch.records), now_iso()])
                remember(db.conn, ref.station, ref.seq, batch.station_key, batch.station_name)
                if batch.resend:
                    self._settle_resend(db.conn, batch)
                db.conn.execute("DELETE FROM sync_state WHERE key='applying'")
        finally:
            conn.execute("PRAGMA foreign_keys=ON")
        if ref.station != self.store.station_id:
            self.report.received_batches += 1
            self.report.received_records += stats.changed
            for table, n in stats.changed_by_table.items():
                self.report.received_by_table[table] = self.report.received_by_table.get(table, 0) + n
        for refusal_text in stats.refused[:5]:
            self.report.problems.append(f"Not applied here (kept in sync history): {refusal_text}")

    def _settle_resend(self, conn, batch) -> None:
        """All batches of a resend are here: the station's older batches (damaged, missing or not)
        hold nothing we lack any more. Remember where the resend reached (no gap below it is
        reported) and mark its damaged batches on the hub as applied, so they are not reported again."""
        first, upto = batch.resend
        applied = {r[0] for r in conn.execute("SELECT seq FROM sync_applied WHERE station=? AND seq>=? "
                                              "AND seq<?", [batch.station, first, batch.seq])}
        if len(applied) < batch.seq - first:
            return                      # part of the resend is missing here: keep reporting
        key = SETTLED + batch.station
        set_state(conn, key, str(max(upto, int(get_state(conn, key, "0")))))
        on_hub = (self._listing or {}).get(batch.station, set())
        conn.executemany("INSERT OR IGNORE INTO sync_applied(batch, station, seq, records, applied_at) "
                         "VALUES(?, ?, ?, 0, ?)",
                         [(batchfmt.batch_name(batch.station, seq), batch.station, seq, now_iso())
                          for seq in sorted(on_hub) if seq <= upto])

    def _check_gaps(self) -> None:
        me = self.store.station_id
        applied: dict[str, set[int]] = {}
        for station, seq in self.conn.execute("SELECT station, seq FROM sync_applied"):
            applied.setdefault(station, set()).add(seq)
        listing = self._listing or {}
        names = station_names(self.conn)
        found = []
        for station in sorted(set(listing) | set(applied)):
            settled = int(get_state(self.conn, SETTLED + station, "0") or 0)
            if station == me:
                missing = gaps.own_missing(applied.get(me, set()), listing.get(me, set()), settled)
                if missing:
                    found.append(gaps.own_message(missing))
                continue
            missing = gaps.holes(listing.get(station, set()) | applied.get(station, set()), settled)
            if missing:
                found.append(gaps.gap_message(station, names.get(station, ""), missing))
        self.report.problems.extend(found)
        if json.dumps(found) != get_state(self.conn, "gaps", "[]"):
            with self.store.transaction() as db:
                set_state(db.conn, "gaps", json.dumps(found))
