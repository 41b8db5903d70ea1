"""Persistence: one SQLite file per station (sqlite-utils), media files, sync with hubs. No Qt here."""
from store.db import Store, StoreError, CorruptDatabaseError, DataDirError, open_store

__all__ = ["Store", "StoreError", "CorruptDatabaseError", "DataDirError", "open_store"]
