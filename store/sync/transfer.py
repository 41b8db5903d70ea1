"""Moving media files for a sync (mixed into ``Syncer``): uploads two at a time before any batch that
refers to them, and downloads for "fetch all media"."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from store.sync.errors import SyncCancelled
from store.sync.hub import MediaMismatch
from store.sync.media import MEDIA_COLUMN, fetch_path, missing_media
from store.sync.report import SyncReport
from store.sync.tables import synced_tables

UPLOAD_THREADS = 2


class MediaTransfer:
    """Needs ``hub``, ``store``, ``report``, ``tables``, ``_emit``, ``_cancelled``, ``cancel_cb``."""

    def _upload(self, plan) -> set[str]:
        """Upload media, two at a time (hashing is CPU-bound, the other file's I/O overlaps it)."""
        total_bytes = plan.upload_bytes
        done = [0]
        lock = threading.Lock()

        def on_bytes(n: int) -> None:
            if self._cancelled or (self.cancel_cb is not None and self.cancel_cb()):
                raise SyncCancelled()          # stops mid-file; the hub's temp file is removed
            with lock:
                done[0] += n
                now = done[0]
            self._emit("send media", self.report.sent_media, len(plan.uploads), now, total_bytes)

        def one(upload):
            if self._cancelled or (self.cancel_cb is not None and self.cancel_cb()):
                return upload, "cancelled"
            try:
                self.hub.put_media(upload.sha256, Path(upload.path), upload.size, on_bytes)
            except SyncCancelled:
                return upload, "cancelled"
            except MediaMismatch as exc:
                return upload, exc
            return upload, None

        bad: set[str] = set()
        cancelled = False
        with ThreadPoolExecutor(max_workers=UPLOAD_THREADS) as pool:
            for upload, outcome in pool.map(one, plan.uploads):
                if outcome == "cancelled":
                    cancelled = True
                elif outcome is not None:
                    self.report.problems.append(f"Not sent: {outcome}.")
                    bad.add(upload.sha256)
                else:
                    self.report.sent_media += 1
                    self.report.sent_bytes += upload.size
        if cancelled:
            raise SyncCancelled()
        self.hub.flush()
        self._checkpoint("after_media_upload")
        return bad

    # -- media ---------------------------------------------------------------------------------------
    def fetch_missing(self) -> SyncReport:
        """Only download the media files this station lacks (no push, no pull)."""
        self.tables = synced_tables(self.conn)
        self.fetch_media()
        return self.report

    def fetch_media(self) -> None:
        todo = missing_media(self.store, self.tables)
        total_bytes = sum(int(r.get("media_size") or 0) for _, r in todo)
        done = [0]

        def on_bytes(n: int) -> None:
            done[0] += n
            self._emit("fetch media", self.report.received_media, len(todo), done[0], total_bytes)

        seen = set()
        for _table, row in todo:
            self._check_cancel()
            sha = row[MEDIA_COLUMN]
            path = fetch_path(self.store, row)       # only ever media/sync/<sha256><suffix>
            if path is None or (sha, path) in seen:
                continue
            seen.add((sha, path))
            try:
                self.hub.fetch_media(sha, path, on_bytes)
            except FileNotFoundError:
                self.report.warnings.append(f"Media {sha[:12]}… is not on the hub yet.")
                continue
            except MediaMismatch as exc:
                self.report.problems.append(f"Not fetched: {exc}.")
                continue
            self.report.received_media += 1
            self.report.received_bytes += path.stat().st_size
