"""The station's SQLite store: opening, health checks, the single writer, per-thread connections.

One file (``rolecall.db``) in the data dir, WAL mode, ``PRAGMA user_version`` migrations (store/schema.py).
Writes go through :meth:`Store.transaction` (one process-wide lock + ``BEGIN IMMEDIATE``); reads use the
calling thread's own connection, so workers may read while the main thread writes.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils

from store import schema
from store.clock import new_id, now_iso

DB_NAME = "rolecall.db"


class StoreError(Exception):
    """A problem with the station's data dir or database, phrased for the person at the station."""


class DataDirError(StoreError):
    pass


class CorruptDatabaseError(StoreError):
    def __init__(self, path: Path, detail: str):
        super().__init__(
            f"The database {path} is damaged or is not a Rolecall database ({detail}). "
            "Move it aside and start a fresh one; the old file is kept for recovery."
        )
        self.path = path


class NewerDatabaseError(StoreError):
    """The database was written by a newer Rolecall: this one refuses it and changes nothing."""

    def __init__(self, path: Path, version: int, known: int, written_by: str | None):
        newer = f"Rolecall {written_by}" if written_by else "a newer Rolecall"
        super().__init__(
            f"The database {path} was written by {newer} (schema {version}); this is Rolecall "
            f"{app_version()}, which knows schema {known} at most. Nothing was changed. Install "
            f"{'Rolecall ' + written_by + ' or newer' if written_by else 'the newer Rolecall'} on this "
            "station, or choose another data folder with --data-dir or ROLECALL_DATA_DIR.")
        self.version, self.known, self.written_by = version, known, written_by


def app_version() -> str:
    """This build's version (the package's metadata; the frozen app carries it too)."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415
    try:
        return version("rolecall")
    except PackageNotFoundError:
        return "(unknown version)"


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


class Store:
    """An open station database. Create with :func:`open_store`."""

    def __init__(self, data_dir: Path, path: Path):
        self.data_dir = data_dir
        self.path = path
        self.media_dir = data_dir / "media"
        # One connection per OS thread, keyed by its native id: threading.local would lose it
        # between two calls on the same Qt worker thread (each call gets a fresh Python thread
        # state) and leak a connection per job.
        self._handles: dict[int, sqlite_utils.Database] = {}
        self._conn_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self.station_id: str = ""

    # -- connections -------------------------------------------------------------------------
    @property
    def db(self) -> sqlite_utils.Database:
        """The calling thread's database handle."""
        key = threading.get_native_id()
        handle = self._handles.get(key)
        if handle is None:
            handle = sqlite_utils.Database(_connect(self.path))
            with self._conn_lock:
                self._prune_finished_threads()
                self._handles[key] = handle
        return handle

    def _prune_finished_threads(self) -> None:
        """Close the connections of threads that have ended (Linux lists live threads in /proc)."""
        tasks = Path("/proc/self/task")
        if len(self._handles) < 4 or not tasks.is_dir():
            return
        alive = {int(name) for name in os.listdir(tasks) if name.isdigit()}
        for key in [k for k in self._handles if k not in alive]:
            try:
                self._handles.pop(key).conn.close()
            except sqlite3.Error:
                pass

    def connection_count(self) -> int:
        return len(self._handles)

    def close(self) -> None:
        with self._conn_lock:
            for handle in self._handles.values():
                try:
                    handle.conn.close()
                except sqlite3.Error:
                    pass
            self._handles.clear()

    # -- writing -----------------------------------------------------------------------------
    @contextmanager
    def transaction(self, durable: bool = False) -> Iterator[sqlite_utils.Database]:
        """Run writes as one transaction. ``durable=True`` syncs to disk before returning
        (``synchronous=FULL``), for records whose loss matters, such as sign-offs."""
        db = self.db
        with self._write_lock:
            if db.conn.in_transaction:  # nested: a savepoint inside the outer transaction
                with db.atomic():
                    yield db
                return
            if durable:
                db.conn.execute("PRAGMA synchronous=FULL")
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
            else:
                db.conn.execute("COMMIT")
            finally:
                if durable:
                    db.conn.execute("PRAGMA synchronous=NORMAL")

    def tick(self) -> int:
        """Advance and return the station's Lamport clock (call inside a transaction)."""
        db = self.db
        row = db.execute("SELECT value FROM station WHERE key='clock'").fetchone()
        value = int(row[0]) + 1 if row else 1
        db.execute("INSERT OR REPLACE INTO station(key, value) VALUES('clock', ?)", [str(value)])
        return value

    def observe_clock(self, remote: int) -> None:
        """Lamport receive rule: our clock moves past any clock we have seen."""
        db = self.db
        row = db.execute("SELECT value FROM station WHERE key='clock'").fetchone()
        if not row or int(row[0]) < remote:
            db.execute("INSERT OR REPLACE INTO station(key, value) VALUES('clock', ?)", [str(remote)])

    def record_fields(self) -> dict:
        """Fields every row that may leave the station carries (call inside a transaction)."""
        return {"id": new_id(), "created_at": now_iso(), "station_id": self.station_id,
                "clock": self.tick()}

    # -- station settings kept in the database ---------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM station WHERE key=?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO station(key, value) VALUES(?, ?)", [key, value])

    @property
    def station_name(self) -> str:
        return self.get_meta("station_name") or "Station"

    def user_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]


def _written_by(store: Store) -> str | None:
    """The version a newer build recorded when it last opened the database, if it can be read."""
    try:
        return store.get_meta("app_version")
    except sqlite3.DatabaseError:
        return None


def _check_data_dir(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(f"Cannot create the data folder {data_dir}: {exc.strerror or exc}. "
                           "Choose another with --data-dir or ROLECALL_DATA_DIR.") from exc
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise DataDirError(f"The data folder {data_dir} is read-only. Make it writable, or choose "
                           "another with --data-dir or ROLECALL_DATA_DIR.")
    database = data_dir / DB_NAME
    if database.exists() and not os.access(database, os.R_OK | os.W_OK):
        raise DataDirError(f"The database {database} cannot be written by this user (it is read-only or "
                           "belongs to someone else). Make it writable, or choose another data folder "
                           "with --data-dir or ROLECALL_DATA_DIR.")


def check_integrity(store: Store) -> None:
    """Read every page (``PRAGMA quick_check``); raise :class:`CorruptDatabaseError` on damage.
    Costs about 0.35 s per 200 MB, so the app runs it at launch and `rolecall db check` on demand."""
    try:
        result = store.db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(store.path, str(exc)) from exc
    if result != "ok":
        raise CorruptDatabaseError(store.path, result)


def _refuse_empty_file(path: Path) -> None:
    """SQLite takes a zero-byte file for a new, empty database; for us it is a database that was cut
    off (or never written), so it is reported like any damaged one and never silently replaced."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    except OSError as exc:
        raise CorruptDatabaseError(path, f"it cannot be read: {exc.strerror or exc}") from exc
    if size == 0 and path.is_file():
        raise CorruptDatabaseError(path, "the file is empty (0 bytes)")


def open_store(data_dir: Path | str, full_check: bool = False) -> Store:
    """Open (creating and migrating as needed) the station database in ``data_dir``.

    Opening reads the header and the schema, which finds a file that is not a database or whose
    start is damaged; ``full_check=True`` also reads every page (:func:`check_integrity`)."""
    data_dir = Path(data_dir).expanduser()
    _check_data_dir(data_dir)
    path = data_dir / DB_NAME
    _refuse_empty_file(path)
    store = Store(data_dir, path)
    try:
        db = store.db
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if full_check:
            check_integrity(store)
        version = store.user_version()
        if version > len(schema.MIGRATIONS):
            raise NewerDatabaseError(path, version, len(schema.MIGRATIONS), _written_by(store))
        with store.transaction() as tx:
            schema.migrate(tx.conn)
            if store.get_meta("station_id") is None:
                tx.execute("INSERT INTO station(key, value) VALUES('station_id', ?)", [new_id()])
            if store.get_meta("app_version") != app_version():   # an older build names it when refusing
                tx.execute("INSERT OR REPLACE INTO station(key, value) VALUES('app_version', ?)",
                           [app_version()])
        store.station_id = store.get_meta("station_id") or ""
    except sqlite3.DatabaseError as exc:
        store.close()
        raise CorruptDatabaseError(path, str(exc)) from exc
    except BaseException:
        store.close()
        raise
    store.media_dir.mkdir(exist_ok=True)
    return store


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its WAL/SHM) out of the way; return the new name."""
    stamp = now_iso().replace(":", "").replace("-", "").replace(".", "")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target
