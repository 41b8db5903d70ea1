"""A station's sync settings, kept in the local ``station`` table so the app and the command line
share them (the team key is not here: it is a 0600 file, see keys.py)."""
from __future__ import annotations

from dataclasses import dataclass

from store.db import Store

_KEYS = {"hub": "sync.hub", "endpoint_url": "sync.endpoint_url", "auto": "sync.auto",
         "fetch_all_media": "sync.fetch_all_media"}


@dataclass
class SyncConfig:
    hub: str = ""
    endpoint_url: str = ""
    auto: bool = False
    fetch_all_media: bool = False

    @classmethod
    def load(cls, store: Store) -> "SyncConfig":
        get = store.get_meta
        return cls(hub=get(_KEYS["hub"]) or "", endpoint_url=get(_KEYS["endpoint_url"]) or "",
                   auto=get(_KEYS["auto"]) == "1", fetch_all_media=get(_KEYS["fetch_all_media"]) == "1")

    def save(self, store: Store) -> None:
        with store.transaction() as db:
            for attr, key in _KEYS.items():
                value = getattr(self, attr)
                value = ("1" if value else "0") if isinstance(value, bool) else str(value or "")
                db.execute("INSERT OR REPLACE INTO station(key, value) VALUES(?, ?)", [key, value])
