"""Opening a station: the data dir, the store, and the default kit on first start."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from scoring.kit import default_kit_path, read_kit_file
from store.db import Store, open_store
from store.kit import KitRepo
from store.recordings import MediaProbe, RecordingRepo

APP_NAME = "Rolecall"
ENV_DATA_DIR = "ROLECALL_DATA_DIR"


def default_data_dir() -> Path:
    """``ROLECALL_DATA_DIR`` if set, else the platform's user data dir (e.g. ~/.local/share/Rolecall)."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def open_station(data_dir: Path | str | None = None, seed: bool = True,
                 full_check: bool = False, probe: MediaProbe | None = None) -> Store:
    """Open the station's store; on first start import the default kit so the station is usable.
    Takes a crash cut off become 'recovered'; ``probe`` (recorder.probe's, passed by the composition
    root) reads how long their files are."""
    store = open_store(Path(data_dir) if data_dir else default_data_dir(), full_check=full_check)
    if seed and store.get_meta("default_kit_seeded") is None:
        repo = KitRepo(store)
        if repo.is_empty():
            repo.import_kit(read_kit_file(default_kit_path()))
        store.set_meta("default_kit_seeded", "1")
    RecordingRepo(store).recover_interrupted(probe)   # takes cut off by a crash (#3)
    _publish_name(store)
    return store


def _publish_name(store: Store) -> None:
    """Other stations learn this one's name at their next sync, however it is driven (app or command
    line). Nothing is written when the row is up to date. Best effort: a full disk or a database busy
    past its timeout must not stop a read-only command; the next open tries again."""
    import sqlite3

    from store.stations import publish_name
    try:
        publish_name(store)
    except sqlite3.OperationalError:
        pass
