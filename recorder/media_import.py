"""A recording made elsewhere (a phone, another app) added to the station like a take: copied when it is
already H.264/AAC MP4, else re-encoded; refused, with nothing stored, when it is not readable media.
`rolecall import` and the Record page's "Import a recording…" both call :func:`import_recording`.

    imported = import_recording(store, Path("phone.mov"), rep_id, exercise_id, submit=True)
    imported.recording, imported.path, imported.how     # the row, the stored file, what was done
"""
from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

from recorder.encoder_transcode import transcode
from recorder.errors import MediaError, RecorderError
from recorder.probe import probe
from recorder.take import file_sha256
from store.clock import now_iso, to_iso
from store.recordings import Recording, RecordingRepo


class ImportFailed(RecorderError):
    """The file could not be imported; ``str(err)`` says why and that nothing was stored."""


@dataclass(frozen=True)
class ImportedRecording:
    recording: Recording
    path: Path               # where the station keeps it now
    how: str                 # "copied as it is: H.264 video, AAC audio in MP4" / "re-encoded to ..."
    duration: float
    has_audio: bool


def import_recording(store, file: Path, rep_id: str, exercise_id: str, partner_id: str | None = None,
                     *, submit: bool = True) -> ImportedRecording:
    """Store ``file`` as a finished take of ``rep_id`` for ``exercise_id``. Raises :class:`ImportFailed`.
    The file is in place before any row refers to it; a failure leaves neither behind."""
    file = Path(file)
    try:
        info = probe(file)
    except MediaError as exc:
        raise ImportFailed(f"{exc} Nothing was stored.") from exc
    relative = Path("media") / "imports" / f"{uuid.uuid4()}.mp4"
    dest = store.data_dir / relative
    part = dest.with_suffix(".part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if info.is_h264_aac_mp4:
            shutil.copyfile(file, part)
            how = f"copied as it is: {_streams(info)} in MP4"
        else:
            transcode(file, part, info)
            how = "re-encoded to H.264/AAC MP4"
        stored_info = probe(part)
        part.replace(dest)
    except (MediaError, RecorderError, OSError) as exc:
        part.unlink(missing_ok=True)
        raise ImportFailed(f"{exc} Nothing was stored.") from exc
    mtime = datetime.fromtimestamp(file.stat().st_mtime, timezone.utc)
    result = SimpleNamespace(
        started_at=to_iso(mtime), ended_at=now_iso(), duration=round(stored_info.duration, 3),
        sha256=file_sha256(dest), size=dest.stat().st_size, has_video=stored_info.has_video,
        has_audio=stored_info.has_audio, dropped_frames=0, gaps=[])
    repo = RecordingRepo(store)
    rec = repo.add_finished(rep_id, exercise_id, result, source="import", media_path=str(relative),
                            partner_id=partner_id)
    if submit:
        rec = repo.submit(rec.id)
    return ImportedRecording(rec, dest, how, result.duration, result.has_audio)


def _streams(info) -> str:
    parts = []
    if info.has_video:
        parts.append("H.264 video")
    parts.append("AAC audio" if info.has_audio else "no sound")
    return ", ".join(parts)
