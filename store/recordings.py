"""Recordings (takes): a row exists BEFORE capture starts, so a crash leaves something findable.

Life of a take: ``begin`` (status 'recording', media path chosen, a lock file held while capturing) ->
``finish`` ('take': duration, sha256, gaps ...) -> ``submit`` ('submitted', queued for transcription in
the same transaction; the rep's other open takes of that exercise become 'discarded') or ``discard``.
On start, ``recover_interrupted`` turns rows left 'recording' by a crash into 'recovered' with what the
probe finds in their file. Files are never deleted here: nothing recorded is lost.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from store.clock import now_iso
from store.db import Store
from store.hashing import sha256_file

COLUMNS = ("id", "created_at", "station_id", "rep_id", "exercise_id", "partner_id", "status", "source",
           "started_at", "ended_at", "submitted_at", "duration_s", "media_path", "media_sha256",
           "media_size", "has_video", "has_audio", "dropped_frames", "gaps")
OPEN = ("take", "recovered")   # finished takes a rep may still submit or discard
RECOVERED_META = "recordings_recovered_at_open"


def _try_lock(fd: int) -> bool:
    """Take an exclusive lock on an open lock file without waiting; False if another process holds it.
    The OS drops the lock when its holder dies, however it dies (that is how a crash is told apart
    from a take still being recorded)."""
    try:
        if sys.platform == "win32":
            import msvcrt  # noqa: PLC0415
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl  # noqa: PLC0415
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:   # BlockingIOError / PermissionError: held elsewhere
        return False
    return True


class MediaFacts(Protocol):
    """What a media probe tells about a file (recorder.probe.MediaInfo has these)."""
    duration: float
    has_video: bool
    has_audio: bool


class MediaProbe(Protocol):
    def __call__(self, path: Path, *, allow_empty: bool = False) -> MediaFacts: ...


class RecordingError(ValueError):
    """A request the store refuses (unknown take, wrong state), phrased for a person."""


@dataclass
class Recording:
    id: str
    created_at: str
    station_id: str
    rep_id: str | None
    exercise_id: str | None
    partner_id: str | None
    status: str
    source: str
    started_at: str | None
    ended_at: str | None
    submitted_at: str | None
    duration_s: float | None
    media_path: str | None
    media_sha256: str | None
    media_size: int | None
    has_video: bool
    has_audio: bool
    dropped_frames: int
    gaps: list = field(default_factory=list)

    @classmethod
    def from_row(cls, row) -> "Recording":
        d = dict(zip(COLUMNS, row))
        d["gaps"] = json.loads(d["gaps"] or "[]")
        d["has_video"], d["has_audio"] = bool(d["has_video"]), bool(d["has_audio"])
        return cls(**d)


class RecordingRepo:
    def __init__(self, store: Store):
        self.store = store
        self._locks: dict[str, int] = {}   # recording id -> fd holding the capture lock

    # -- paths ---------------------------------------------------------------------------------
    def absolute(self, media_path: str | None) -> Path | None:
        if not media_path:
            return None
        p = Path(media_path)
        return p if p.is_absolute() else self.store.data_dir / p

    def _lock_path(self, rec: Recording) -> Path:
        return Path(str(self.absolute(rec.media_path)) + ".lock")

    # -- reading -------------------------------------------------------------------------------
    def get(self, recording_id: str) -> Recording | None:
        row = self.store.db.execute(f"SELECT {', '.join(COLUMNS)} FROM recordings WHERE id=?",
                                    [recording_id]).fetchone()
        return Recording.from_row(row) if row else None

    def _require(self, recording_id: str) -> Recording:
        rec = self.get(recording_id)
        if rec is None:
            raise RecordingError(f"There is no recording {recording_id}.")
        return rec

    def list(self, *, rep_id: str | None = None, exercise_id: str | None = None,
             statuses: tuple[str, ...] | None = None, limit: int = 500) -> list[Recording]:
        where, params = ["deleted=0"], []
        if rep_id:
            where.append("rep_id=?"), params.append(rep_id)
        if exercise_id:
            where.append("exercise_id=?"), params.append(exercise_id)
        if statuses:
            where.append(f"status IN ({', '.join('?' * len(statuses))})"), params.extend(statuses)
        rows = self.store.db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM recordings WHERE {' AND '.join(where)} "
            f"ORDER BY started_at DESC, created_at DESC LIMIT ?", [*params, limit]).fetchall()
        return [Recording.from_row(r) for r in rows]

    def open_takes(self, rep_id: str, exercise_id: str) -> list[Recording]:
        """Finished takes of this rep and exercise that are neither submitted nor discarded."""
        return self.list(rep_id=rep_id, exercise_id=exercise_id, statuses=OPEN)

    # -- writing -------------------------------------------------------------------------------
    def begin(self, rep_id: str | None, exercise_id: str | None, partner_id: str | None = None, *,
              source: str = "station", media_path: str | Path | None = None,
              has_video: bool = True, has_audio: bool = True) -> Recording:
        """Create the row (status 'recording') and take the capture lock. Call before capture starts."""
        with self.store.transaction() as db:
            fields = self.store.record_fields()
            rid = fields["id"]
            path = str(media_path) if media_path else f"media/{now_iso()[:10]}/{rid}.mp4"
            now = now_iso()
            db.execute(
                "INSERT INTO recordings (id, created_at, station_id, clock, updated_at, rep_id, exercise_id, "
                "partner_id, status, source, started_at, media_path, has_video, has_audio) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'recording', ?, ?, ?, ?, ?)",
                [rid, fields["created_at"], fields["station_id"], fields["clock"], now, rep_id,
                 exercise_id, partner_id, source, now, path, int(has_video), int(has_audio)])
        rec = self._require(rid)
        abs_path = self.absolute(rec.media_path)
        abs_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lock_path(rec), os.O_CREAT | os.O_RDWR, 0o644)
        os.write(fd, str(os.getpid()).encode())
        os.lseek(fd, 0, os.SEEK_SET)
        _try_lock(fd)
        self._locks[rid] = fd
        return rec

    def media_file(self, recording_id: str) -> Path | None:
        rec = self.get(recording_id)
        return self.absolute(rec.media_path) if rec else None

    def _release(self, rec: Recording) -> None:
        fd = self._locks.pop(rec.id, None)
        if fd is not None:
            os.close(fd)
        try:
            self._lock_path(rec).unlink()
        except OSError:
            pass

    def finish(self, recording_id: str, result) -> Recording:
        """Store what the take produced (a recorder.take.TakeResult or anything with its fields)."""
        rec = self._require(recording_id)
        gaps = [g.as_dict() if hasattr(g, "as_dict") else dict(g) for g in result.gaps]
        with self.store.transaction() as db:
            db.execute(
                "UPDATE recordings SET status='take', started_at=?, ended_at=?, duration_s=?, "
                "media_sha256=?, media_size=?, has_video=?, has_audio=?, dropped_frames=?, gaps=?, "
                "updated_at=? WHERE id=? AND status='recording'",
                [result.started_at or rec.started_at, result.ended_at, result.duration, result.sha256,
                 result.size, int(result.has_video), int(result.has_audio), result.dropped_frames,
                 json.dumps(gaps), now_iso(), recording_id])
        self._release(rec)
        return self._require(recording_id)

    def abandon(self, recording_id: str) -> None:
        """Capture never started (no device): the row is marked discarded, any empty file removed."""
        rec = self._require(recording_id)
        with self.store.transaction() as db:
            db.execute("UPDATE recordings SET status='discarded', ended_at=?, updated_at=? WHERE id=?",
                       [now_iso(), now_iso(), recording_id])
        self._release(rec)
        path = self.absolute(rec.media_path)
        if path is not None and path.exists() and path.stat().st_size == 0:
            path.unlink()

    def discard(self, recording_id: str) -> Recording:
        rec = self._require(recording_id)
        if rec.status not in OPEN:
            raise RecordingError(f"Only an unsubmitted take can be discarded (this one is {rec.status}).")
        with self.store.transaction() as db:
            db.execute("UPDATE recordings SET status='discarded', updated_at=? WHERE id=?",
                       [now_iso(), recording_id])
        return self._require(recording_id)

    def submit(self, recording_id: str) -> Recording:
        """Submit a take: it is queued for transcription in the same transaction, and the rep's other
        open takes of the same exercise are discarded (their files stay on disk)."""
        rec = self._require(recording_id)
        if rec.status not in OPEN:
            raise RecordingError(f"This take cannot be submitted: it is {rec.status}.")
        now = now_iso()
        with self.store.transaction() as db:
            db.execute("UPDATE recordings SET status='submitted', submitted_at=?, updated_at=? WHERE id=?",
                       [now, now, recording_id])
            db.execute("UPDATE recordings SET status='discarded', updated_at=? WHERE id<>? AND "
                       "status IN ('take', 'recovered') AND rep_id IS ? AND exercise_id IS ?",
                       [now, recording_id, rec.rep_id, rec.exercise_id])
            if rec.has_audio:
                db.execute(
                    "INSERT INTO transcription_jobs(recording_id, status, progress, attempts, queued_at, "
                    "updated_at) VALUES(?, 'queued', 0, 0, ?, ?) ON CONFLICT(recording_id) DO NOTHING",
                    [recording_id, now, now])
        return self._require(recording_id)

    def add_finished(self, rep_id: str | None, exercise_id: str | None, result, *,
                     partner_id: str | None = None, source: str = "import",
                     media_path: str | Path) -> Recording:
        """A recording made elsewhere (``rolecall import``): begin + finish in one go."""
        rec = self.begin(rep_id, exercise_id, partner_id, source=source, media_path=media_path)
        return self.finish(rec.id, result)

    # -- crash recovery ------------------------------------------------------------------------
    def recover_interrupted(self, probe: MediaProbe | None = None) -> list[Recording]:
        """Rows of THIS station left 'recording' by a crashed process become 'recovered' with what their
        file holds. A take still being captured by a live process (its lock is held) is left alone, and
        so are rows synced in from other stations (they may still be recording them).

        ``probe`` reads the file's duration and streams (the composition root passes recorder.probe's:
        store/ holds no media code). Without one, or when the file cannot be read, the take is still
        kept, with its size and hash and the streams it was begun with, and duration 0."""
        recovered = []
        for rec in self.list(statuses=("recording",)):
            if rec.station_id != self.store.station_id:
                continue          # synced in from a station that may still be recording it
            if rec.id in self._locks or self._locked_elsewhere(rec):
                continue
            path = self.absolute(rec.media_path)
            duration, has_v, has_a, sha, size = 0.0, False, False, None, 0
            if path is not None and path.exists() and path.stat().st_size > 0:
                has_v, has_a = bool(rec.has_video), bool(rec.has_audio)
                if probe is not None:
                    try:
                        info = probe(path, allow_empty=True)
                        duration, has_v, has_a = info.duration, info.has_video, info.has_audio
                    except Exception:  # noqa: BLE001 - unreadable: keep the file, record nothing in it
                        has_v = has_a = False
                sha, size = sha256_file(path), path.stat().st_size
            ended = None
            if path is not None and path.exists():
                from datetime import datetime, timezone  # noqa: PLC0415
                from store.clock import to_iso  # noqa: PLC0415
                ended = to_iso(datetime.fromtimestamp(path.stat().st_mtime, timezone.utc))
            with self.store.transaction() as db:
                db.execute("UPDATE recordings SET status='recovered', ended_at=?, duration_s=?, "
                           "media_sha256=?, media_size=?, has_video=?, has_audio=?, updated_at=? "
                           "WHERE id=? AND status='recording'",
                           [ended, round(duration, 3), sha, size, int(has_v), int(has_a), now_iso(), rec.id])
            try:
                self._lock_path(rec).unlink()
            except OSError:
                pass
            recovered.append(self._require(rec.id))
        if recovered:   # for the Record page to tell the station what happened
            self.store.set_meta(RECOVERED_META, json.dumps([r.id for r in recovered]))
        return recovered

    def take_recovery_notice(self) -> list[Recording]:
        """The takes recovered when the station last opened, once (the list is cleared when read)."""
        ids = json.loads(self.store.get_meta(RECOVERED_META) or "[]")
        if ids:
            self.store.set_meta(RECOVERED_META, "[]")
        return [rec for rec in (self.get(i) for i in ids) if rec is not None]

    def _locked_elsewhere(self, rec: Recording) -> bool:
        lock = self._lock_path(rec)
        if not lock.exists():
            return False
        fd = os.open(lock, os.O_RDWR)
        try:
            return not _try_lock(fd)
        finally:
            os.close(fd)
