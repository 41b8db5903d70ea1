"""`rolecall sync`: push this station's changes to the hub, then pull everyone else's.

    rolecall sync [--hub DIR|s3://bucket/prefix] [--endpoint-url URL] [--key-file FILE]
    rolecall sync set-key [--generate | --from-file FILE]     (once, at station set-up)
    rolecall sync set-hub DIR|s3://bucket/prefix [--endpoint-url URL] [--fetch-all-media]
    rolecall sync status
    rolecall sync fetch-media
    rolecall sync forget-station-key STATION_ID    (a station that really lost its signing key)

Safe to re-run at any time; exit status 1 with a plain message when something went wrong.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from cli import cli
from store.sync import SyncConfig, SyncError, Syncer, load_key, open_hub, save_key, status
from store.sync.keys import generate_key_text, key_path, read_key_file


@cli.group("sync", invoke_without_command=True)
@click.option("--hub", "hub_location", default=None, metavar="DIR|s3://bucket/prefix",
              help="The hub (default: the one set with `rolecall sync set-hub` or in Settings).")
@click.option("--endpoint-url", default=None, help="S3-compatible endpoint (MinIO, Ceph ...).")
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Read the team key from this file for this run (default: the station's saved key).")
@click.option("--fetch-all-media/--media-on-demand", default=None,
              help="Also download every take's video now (default: the station's setting).")
@click.option("--resend", is_flag=True,
              help="Send everything this station ever made again (when another station reports a "
                   "damaged batch from this one; harmless otherwise).")
@click.pass_context
def sync_group(ctx: click.Context, hub_location: str | None, endpoint_url: str | None,
               key_file: Path | None, fetch_all_media: bool | None, resend: bool) -> None:
    """Send this station's changes to the hub, then receive everyone else's."""
    if ctx.invoked_subcommand is not None:
        return
    obj = ctx.obj
    store = obj.store()
    config = SyncConfig.load(store)
    location = hub_location or config.hub
    endpoint = endpoint_url or (config.endpoint_url if not hub_location else None) or None
    fetch = config.fetch_all_media if fetch_all_media is None else fetch_all_media
    try:
        key = load_key(store.data_dir, key_file)
        hub = open_hub(location, endpoint)
    except SyncError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Syncing with {hub.describe()} …")
    try:
        syncer = Syncer(store, hub, key, fetch_all_media=fetch)
        if resend:
            click.echo(f"Sending {syncer.resend_all()} change(s) again.")
        report = syncer.run()
    except SyncError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        raise click.ClickException("Sync interrupted; what was already sent or received is kept. "
                                   "Run it again to finish.") from None
    finally:
        hub.close()
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        click.echo("Sync finished with problems (see above); everything else was synced.", err=True)
        sys.exit(1)


@sync_group.command("set-key")
@click.option("--generate", is_flag=True, help="Make a new random team key and print it (first station).")
@click.option("--from-file", "from_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Read the key from a file (e.g. one handed out on a USB stick).")
@click.pass_obj
def sync_set_key(obj, generate: bool, from_file: Path | None) -> None:
    """Store the team's sync key for this station (a 0600 file in the data folder, not the database)."""
    data_dir = obj.store().data_dir
    try:
        if generate:
            text = generate_key_text()
        elif from_file is not None:
            text = from_file.read_text(encoding="utf-8")
        else:
            text = click.prompt("Team sync key", hide_input=True)
        key = save_key(data_dir, text)
    except OSError as exc:
        raise click.ClickException(f"Cannot store the key: {exc.strerror or exc}") from exc
    except SyncError as exc:
        raise click.ClickException(str(exc)) from exc
    if generate:
        click.echo(f"New team key: {text.strip()}\nGive it to every station (rolecall sync set-key).")
    click.echo(f"Saved to {key_path(data_dir)} (fingerprint {key.fingerprint}).")


@sync_group.command("set-hub")
@click.argument("location")
@click.option("--endpoint-url", default="", help="S3-compatible endpoint (MinIO, Ceph ...).")
@click.option("--fetch-all-media/--media-on-demand", default=None,
              help="Download every take's video at each sync (coach and certifier machines).")
@click.pass_obj
def sync_set_hub(obj, location: str, endpoint_url: str, fetch_all_media: bool | None) -> None:
    """Remember this station's hub."""
    store = obj.store()
    config = SyncConfig.load(store)
    config.hub, config.endpoint_url = location, endpoint_url
    if fetch_all_media is not None:
        config.fetch_all_media = fetch_all_media
    config.save(store)
    click.echo(f"Hub set to {location}" + (f" ({endpoint_url})" if endpoint_url else "") + ".")


@sync_group.command("status")
@click.pass_obj
def sync_status(obj) -> None:
    """What waits to be sent, when the last sync was, and the key's fingerprint."""
    store = obj.store()
    config = SyncConfig.load(store)
    st = status(store)
    click.echo(f"Hub: {config.hub or '(not set)'}")
    try:
        click.echo(f"Team key fingerprint: {read_key_file(key_path(store.data_dir)).fingerprint}")
    except SyncError:
        click.echo("Team key: not set (rolecall sync set-key)")
    click.echo(st.summary().capitalize())
    if st.last_error:
        click.echo(f"Last problem: {st.last_error}")
    for gap in st.gaps:
        click.echo(f"Missing batches: {gap}")
    signing = store.get_meta("sync.signing_key")
    if signing:
        from store.sync.station_keys import StationSigner, fingerprint  # noqa: PLC0415
        click.echo(f"Station key fingerprint: {fingerprint(StationSigner(signing).public_hex)}")
    from cli.lrs import lrs_summary  # noqa: PLC0415  (the LRS queue, #25)
    for line in lrs_summary(store):
        click.echo(line)


@sync_group.command("forget-station-key")
@click.argument("station_id")
@click.pass_obj
def sync_forget_station_key(obj, station_id: str) -> None:
    """Forget the signing key this station holds for another station (only when that station really
    lost its key — ask its owner first); its next signed batch is trusted as the first one was."""
    from store.sync.station_keys import forget_pin, get_pin  # noqa: PLC0415

    store = obj.store()
    if station_id == store.station_id:
        raise click.ClickException("That is this station's own id; its key is in its database.")
    if get_pin(store.db.conn, station_id) is None:
        raise click.ClickException(f"This station holds no key for station {station_id}.")
    with store.transaction() as db:
        forget_pin(db.conn, station_id)
    click.echo(f"Forgot the key of station {station_id}; its next signed batch is trusted on first use.")


@sync_group.command("fetch-media")
@click.option("--hub", "hub_location", default=None, metavar="DIR|s3://bucket/prefix")
@click.option("--endpoint-url", default=None)
@click.pass_obj
def sync_fetch_media(obj, hub_location: str | None, endpoint_url: str | None) -> None:
    """Download every take's video this station does not have yet (verified by hash)."""
    store = obj.store()
    config = SyncConfig.load(store)
    try:
        hub = open_hub(hub_location or config.hub, endpoint_url or config.endpoint_url or None)
        report = Syncer(store, hub, load_key(store.data_dir)).fetch_missing()
    except SyncError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Fetched {report.received_media} media file(s).")
    for line in report.warnings + report.problems:
        click.echo(line)
    if not report.ok:
        sys.exit(1)
