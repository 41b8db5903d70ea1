"""`rolecall import FILE`: add a recording made elsewhere; re-encode only if it is not H.264/AAC MP4."""
from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import click

from cli import cli
from cli.record import resolve_rep_and_exercise


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rep", required=True, help="Who is in the recording (name or id).")
@click.option("--exercise", required=True, help="Exercise slug or id.")
@click.option("--partner", default=None, help="For a role-play: who played the buyer.")
@click.option("--submit/--keep-open", default=True, show_default=True,
              help="Submit it (and queue it for transcription) or leave it open to review.")
@click.pass_obj
def import_cmd(obj, file: Path, rep, exercise, partner, submit) -> None:
    """Add a video or audio FILE recorded elsewhere. A corrupt or non-media file is refused."""
    from recorder.encoder_transcode import transcode
    from recorder.errors import MediaError, RecorderError
    from recorder.probe import probe
    from recorder.take import file_sha256
    from store.clock import now_iso, to_iso
    from store.recordings import RecordingRepo

    store = obj.store()
    rep_row, ex, partner_row = resolve_rep_and_exercise(store, rep, exercise, partner)
    try:
        info = probe(file)
    except MediaError as exc:
        raise click.ClickException(f"{exc} Nothing was stored.") from exc
    relative = Path("media") / "imports" / f"{uuid.uuid4()}.mp4"
    dest = store.data_dir / relative
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_suffix(".part")
    try:
        if info.is_h264_aac_mp4:
            shutil.copyfile(file, part)
            how = f"copied as it is: {_streams(info)} in MP4"
        else:
            transcode(file, part, info)
            how = "re-encoded to H.264/AAC MP4"
        stored_info = probe(part)
        part.replace(dest)          # the file is in place before any row refers to it
    except (MediaError, RecorderError, OSError) as exc:
        part.unlink(missing_ok=True)
        raise click.ClickException(f"{exc} Nothing was stored.") from exc
    mtime = datetime.fromtimestamp(file.stat().st_mtime, timezone.utc)
    result = SimpleNamespace(
        started_at=to_iso(mtime), ended_at=now_iso(), duration=round(stored_info.duration, 3),
        sha256=file_sha256(dest), size=dest.stat().st_size, has_video=stored_info.has_video,
        has_audio=stored_info.has_audio, dropped_frames=0, gaps=[])
    repo = RecordingRepo(store)
    rec = repo.add_finished(rep_row.id, ex["id"], result, source="import", media_path=str(relative),
                            partner_id=partner_row.id if partner_row else None)
    if submit:
        rec = repo.submit(rec.id)
    click.echo(f"Recording {rec.id}")
    click.echo(f"File {dest} ({how}, {result.duration:.1f} s)")
    if not result.has_audio:
        click.echo("It has no sound, so there is nothing to transcribe (its transcription job will fail "
                   "with \"no audio stream\"); peers can score only what they see.")


def _streams(info) -> str:
    parts = []
    if info.has_video:
        parts.append("H.264 video")
    parts.append("AAC audio" if info.has_audio else "no sound")
    return ", ".join(parts)
