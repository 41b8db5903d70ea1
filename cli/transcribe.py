"""`rolecall transcribe FILE...` (no store writes) and `rolecall transcribe-queue` (the station's jobs)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from cli import cli
from recorder.transcription.audio_decode import AudioDecodeError
from recorder.transcription.subtitles import FORMATS, render
from recorder.transcription.transcriber import ModelNotFoundError, Transcriber, resolve_model
from recorder.transcription.pipeline import transcribe_file
from scoring.terms import VocabTerm, load_vocabulary_file


def default_vocabulary(data_dir: Path) -> tuple[list[VocabTerm], str]:
    """The station's vocabulary (read-only), else the default kit's."""
    from store.transcripts import read_station_terms
    terms = read_station_terms(data_dir)
    if terms:
        return terms, f"station {data_dir}"
    from scoring.kit import default_kit_path
    path = default_kit_path()
    return load_vocabulary_file(path), f"default kit {path}"


@cli.command("transcribe")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--model", "model", default=None, metavar="NAME|DIR",
              help="A faster-whisper model name (base.en, small.en...) or a local CTranslate2 "
                   "directory. Default: the bundled tiny.en.")
@click.option("--vocabulary", "vocabulary", default=None, type=click.Path(path_type=Path),
              help="Terms to bias recognition and find: a text file (one term per line, "
                   "'term | alias' for aliases) or a kit YAML. Default: the station's vocabulary.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="txt", show_default=True,
              help="json: one object per file per line, with segments, words, terms and metrics.")
@click.option("--threads", type=click.IntRange(1, 64), default=2, show_default=True,
              help="CPU threads for the model.")
@click.pass_obj
def transcribe(obj, files: tuple[Path, ...], model: str | None, vocabulary: Path | None, fmt: str,
               threads: int) -> None:
    """Transcribe audio or video FILES offline and print the result; the store is not touched."""
    if vocabulary is not None:
        try:
            terms = load_vocabulary_file(vocabulary)
        except (OSError, ValueError, UnicodeDecodeError) as e:
            raise click.ClickException(f"cannot read vocabulary {vocabulary}: {getattr(e, 'strerror', None) or e}")
    else:
        terms, _ = default_vocabulary(obj.data_dir)
    try:
        transcriber = Transcriber(model=model, threads=threads)
    except ModelNotFoundError as e:
        raise click.ClickException(str(e))
    failed = 0
    for f in files:
        try:
            result = transcribe_file(transcriber, f, terms)
        except AudioDecodeError as e:
            click.echo(f"rolecall transcribe: {e}", err=True)
            failed += 1
            continue
        except ModelNotFoundError as e:
            raise click.ClickException(str(e))
        tr = result.transcript
        for problem in tr.info.problems[:3]:
            click.echo(f"rolecall transcribe: {f}: damaged input, transcribed what decodes: {problem}", err=True)
        out = render(fmt, str(f), tr.duration, result.segments, result.hits, result.metrics)
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
        sys.stdout.flush()
    if failed:
        raise SystemExit(1)


@cli.command("transcribe-queue")
@click.option("--threads", type=click.IntRange(1, 64), default=None,
              help="CPU threads (default: the station's setting, 2 unless changed).")
@click.option("--model", default=None, metavar="NAME|DIR", help="Default: the station's setting.")
@click.option("--retry-failed", is_flag=True, help="Queue failed and cancelled jobs again first.")
@click.pass_obj
def transcribe_queue(obj, threads: int | None, model: str | None, retry_failed: bool) -> None:
    """Process the station's queued transcription jobs (headless), then exit."""
    from recorder.transcription.process import TranscriptionProcess
    from recorder.transcription.jobs import TranscriptionJobRunner, station_settings
    from store.transcripts import TranscriptRepo

    store = obj.store()
    settings = station_settings(store)
    settings.model = model or settings.model
    settings.threads = threads or settings.threads
    try:
        resolve_model(settings.model)
    except ModelNotFoundError as e:
        raise click.ClickException(str(e))
    repo = TranscriptRepo(store)
    runner = TranscriptionJobRunner(repo, TranscriptionProcess(settings))
    n = runner.recover()
    if n:
        click.echo(f"{n} interrupted job(s) put back in the queue")
    if retry_failed:
        for job in repo.jobs(10_000):
            if job["status"] in ("failed", "cancelled") and not (job["error"] or "").startswith("permanent"):
                repo.retry(job["recording_id"])
    done = failed = 0
    try:
        while (outcome := runner.run_next()) is not None:
            if outcome.status == "done":
                done += 1
                click.echo(f"{outcome.recording_id}: done")
            else:
                failed += 1
                click.echo(f"{outcome.recording_id}: {outcome.status}: {outcome.error}", err=True)
    finally:
        runner.process.close()
    click.echo(f"{done} transcribed, {failed} failed")
    if failed:
        raise SystemExit(1)


@cli.command("transcript-search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.pass_obj
def transcript_search(obj, query: tuple[str, ...], limit: int) -> None:
    """Full-text search over the station's transcripts ("quoted phrase" for a phrase).

    Prints one line per matching segment: recording id, time, the segment with the match in [ ]."""
    from store.transcripts import TranscriptRepo

    hits = TranscriptRepo(obj.store()).search(" ".join(query), limit)
    for h in hits:
        m, s = divmod(int(h["start"]), 60)
        click.echo(f"{h['recording_id']}  {m}:{s:02d}  {h['snippet']}")
    if not hits:
        click.echo("no match", err=True)
        raise SystemExit(1)
