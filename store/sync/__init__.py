"""Sync between stations through a hub (issue #7). No Qt.

* hub.py / folder_hub.py / s3_hub.py — where batches and media go (one small interface); hubs.py —
  which hub a location names
* tables.py — which tables sync, and the triggers that record every local change
* batch.py — the signed, hashed batch format;  keys.py — the team key
* plan.py — pure planning of a push and a pull;  apply.py — applying records (versions, history)
* engine.py — ``Syncer``: push then pull, progress, cancel, crash-safe ordering;
  receive.py — its pull (checks, pins, gaps); transfer.py — its media uploads/downloads;
  report.py — ``Progress`` and ``SyncReport``
* media.py — media files on demand (``ensure_media``) or all at once, and where they go (never where
  a batch says);  config.py / state.py
* hostile batches and hubs (issue #12): validate.py — what a batch may hold; station_keys.py — each
  station's signing key and the keys it pinned for others; gaps.py — batches missing from the hub
"""
from store.sync.config import SyncConfig
from store.sync.engine import Progress, SyncReport, Syncer
from store.sync.errors import DiskFull, HubError, HubUnreachable, KeyMismatch, NoKey, SyncCancelled, SyncError
from store.sync.hub import Hub
from store.sync.hubs import open_hub
from store.sync.keys import TeamKey, load_key, save_key
from store.sync.media import ensure_media
from store.sync.state import status

__all__ = ["DiskFull", "Hub", "HubError", "HubUnreachable", "KeyMismatch", "NoKey", "Progress",
           "SyncCancelled", "SyncConfig", "SyncError", "SyncReport", "Syncer", "TeamKey", "ensure_media",
           "load_key", "open_hub", "save_key", "status"]
