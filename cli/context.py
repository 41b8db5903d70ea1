"""What every command gets: the data dir and a lazily opened store, with errors made readable."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import click

from recorder.probe import probe
from store.db import CorruptDatabaseError, Store, StoreError
from store.station import open_station


@dataclass
class CliContext:
    data_dir: Path
    launch_app: Callable[[Path], int] | None = None
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        if self._store is None:
            try:
                self._store = open_station(self.data_dir, probe=probe)
            except CorruptDatabaseError as exc:
                raise click.ClickException(
                    f"{exc}\nTo keep the damaged file and start fresh, run: "
                    f"rolecall --data-dir '{self.data_dir}' db move-aside") from exc
            except StoreError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
