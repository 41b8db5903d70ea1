"""`rolecall record`: a take from the command line, stored like the Record page stores one."""
from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from cli import cli
from store.kit import KitRepo
from store.people import PeopleError, PeopleRepo


def resolve_rep_and_exercise(store, rep: str, exercise: str, partner: str | None = None):
    people = PeopleRepo(store)
    try:
        rep_row = people.find(rep)
        partner_row = people.find(partner) if partner else None
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from exc
    ex = KitRepo(store).exercise(exercise)
    if ex is None:
        known = ", ".join(e["slug"] for e in KitRepo(store).exercises())
        raise click.ClickException(f"There is no exercise '{exercise}'. Known exercises: {known}.")
    return rep_row, ex, partner_row


def _list_devices(ctx: click.Context, _param, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from recorder.devices import list_cameras, list_microphones
    from recorder.errors import RecorderError
    cams = list_cameras()
    click.echo("Cameras (pass the name or the index):")
    for cam in cams:
        click.echo(f"  {cam.label}")
    if not cams:
        click.echo("  none found (a video file can stand in: --camera clip.mp4)")
    click.echo("Microphones:")
    try:
        mics = list_microphones()
        for mic in mics:
            click.echo(f"  {mic.label}")
        if not mics:
            click.echo("  none found (an audio file can stand in: --mic speech.wav)")
    except RecorderError as exc:
        click.echo(f"  {exc}")
    ctx.exit(0)


@cli.command("record")
@click.option("--list-devices", is_flag=True, expose_value=False, is_eager=True, callback=_list_devices,
              help="List the cameras and microphones this station sees, then exit.")
@click.option("--camera", "camera_spec", default="0", show_default=True,
              help="Camera: a device index, a device name, a video file, or 'none'.")
@click.option("--mic", "mic_spec", default="default", show_default=True,
              help="Microphone: a device index or name, an audio file, or 'none'.")
@click.option("--seconds", type=click.FloatRange(min=0.5), required=True, help="How long to record.")
@click.option("--rep", required=True, help="Who is recorded (name or id).")
@click.option("--exercise", required=True, help="Exercise slug or id.")
@click.option("--partner", default=None, help="For a role-play: who plays the buyer (name or id).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the MP4 (default: the station's media folder).")
@click.option("--submit/--keep-open", default=True, show_default=True,
              help="Submit the take (and queue it for transcription) or leave it open to review.")
@click.pass_obj
def record_cmd(obj, camera_spec, mic_spec, seconds, rep, exercise, partner, out, submit) -> None:
    """Record a take headless and store it; prints the recording id and the file."""
    from recorder.camera import CameraSource
    from recorder.errors import NothingToRecordError, RecorderError
    from recorder.microphone import MicrophoneSource
    from recorder.probe import probe
    from recorder.take import TakeRecorder
    from store.recordings import RecordingRepo

    store = obj.store()
    rep_row, ex, partner_row = resolve_rep_and_exercise(store, rep, exercise, partner)
    cam = None if camera_spec.strip().lower() == "none" else CameraSource(camera_spec)
    mic = None if mic_spec.strip().lower() == "none" else MicrophoneSource(mic_spec)
    if cam is None and mic is None:
        raise click.ClickException(str(NothingToRecordError()))
    try:  # check the devices before anything is stored
        for source in (cam, mic):
            if source is not None:
                source.open()
    except RecorderError as exc:
        for source in (cam, mic):
            if source is not None:
                source.stop()
        raise click.ClickException(str(exc)) from exc
    repo = RecordingRepo(store)
    repo.recover_interrupted(probe)
    row = repo.begin(rep_row.id, ex["id"], partner_row.id if partner_row else None,
                     media_path=out.resolve() if out else None,
                     has_video=cam is not None, has_audio=mic is not None)
    path = repo.absolute(row.media_path)
    take = TakeRecorder(path, cam, mic, max_seconds=seconds,
                        on_warning=lambda text: click.echo(f"Warning: {text}", err=True))
    try:
        take.start()
    except RecorderError as exc:
        repo.abandon(row.id)
        raise click.ClickException(str(exc)) from exc
    interrupted = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.set())
    try:
        while take.wait(0.2) is None and not interrupted.is_set():
            pass
    finally:
        signal.signal(signal.SIGINT, previous)
    result = take.stop()
    stored = repo.finish(row.id, result)
    if submit and result.stop_reason != "disk_full":
        stored = repo.submit(row.id)
    click.echo(f"Recording {stored.id}")
    click.echo(f"File {path}")
    click.echo(f"Duration {result.duration:.1f} s, {result.video_frames} frames, "
               f"{result.dropped_frames} dropped, {len(result.gaps)} gaps; {stored.status}")
    for gap in result.gaps:
        click.echo(f"Gap: {gap.source} {gap.reason} from {gap.start:.1f} s to {gap.end:.1f} s", err=True)
    if result.stop_reason in ("disk_full", "error"):
        raise click.ClickException(result.message)
