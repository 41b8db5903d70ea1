"""`rolecall import FILE`: add a recording made elsewhere; re-encode only if it is not H.264/AAC MP4."""
from __future__ import annotations

from pathlib import Path

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
    from recorder.media_import import ImportFailed, import_recording

    store = obj.store()
    rep_row, ex, partner_row = resolve_rep_and_exercise(store, rep, exercise, partner)
    try:
        imported = import_recording(store, file, rep_row.id, ex["id"],
                                    partner_row.id if partner_row else None, submit=submit)
    except ImportFailed as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Recording {imported.recording.id}")
    click.echo(f"File {imported.path} ({imported.how}, {imported.duration:.1f} s)")
    if not imported.has_audio:
        click.echo("It has no sound, so there is nothing to transcribe (its transcription job will fail "
                   "with \"no audio stream\"); peers can score only what they see.")
