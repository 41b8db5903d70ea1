"""Where a take's video is for a player: here, or only on the hub (recorded on another station).

    media = locate(store, recording_id)
    media.present        # the file is on this station: play media.path
    media.fetchable      # not here, but the hub has it by its hash: store.sync.ensure_media fetches it

No Qt; the players in ui/ ask this, then fetch off the main thread (ui/workers/media_fetch.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from store.db import Store
from store.sync.media import has_local_media, local_media_path


@dataclass(frozen=True)
class TakeMedia:
    recording_id: str
    path: Path | None          # where the file is, or goes once fetched
    present: bool              # the file is on this station (and has its recorded size)
    station_id: str            # the station that recorded the take
    size: int | None           # bytes, as recorded
    fetchable: bool            # not here, but known by its hash, so the hub can give it

    @property
    def recorded_here(self) -> bool:
        return False if not self.station_id else self.station_id == self._here

    _here: str = ""


def locate(store: Store, recording_id: str) -> TakeMedia | None:
    """The take's media as this station sees it; None if there is no such take."""
    cur = store.db.execute("SELECT * FROM recordings WHERE id=?", [recording_id])
    found = cur.fetchone()
    if found is None:
        return None
    row = dict(zip([d[0] for d in cur.description], found))
    path = local_media_path(store, row)
    present = path is not None and has_local_media(store, row)
    size = row.get("media_size")
    return TakeMedia(recording_id=recording_id, path=path, present=present,
                     station_id=row.get("station_id") or "", size=int(size) if size is not None else None,
                     fetchable=not present and bool(row.get("media_sha256")), _here=store.station_id)


def size_text(size: int | None) -> str:
    """'12.3 MB' / '640 kB' for a download button; '' if unknown."""
    if size is None:
        return ""
    if size >= 1_000_000:
        return f"{size / 1e6:.1f} MB"
    return f"{max(1, round(size / 1e3))} kB"
