"""`rolecall lrs`: send practice and certification records to the company's learning record store.

    rolecall lrs set URL --key KEY [--secret S | --secret-file F]   (asked hidden when not given)
                 [--home-page URL] [--pseudonymise/--named] [--scope own|all] [--auto/--no-auto]
                 [--since DATE] [--no-check]
    rolecall lrs push [--retry-held | --resend-all]
    rolecall lrs status [--format text|json]

Statements queue on the station as records are made and go to the LRS in batches when it answers;
exit status 1 with one plain message when the LRS cannot be reached or refuses the key.
"""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from cli import cli
from cli.export_xapi import parse_moment
from store.xapi import queue
from store.xapi.config import ConfigError, LrsConfig, PushState, normal_endpoint, normal_home_page
from store.xapi.push import NotSetUp, PushBusy, Pusher, check_connection, open_client
from store.xapi.secret import SecretError, SecretStore

SCOPE_TEXT = {"own": "records made on this station", "all": "every record this station holds (a gateway)"}


@cli.group("lrs")
def lrs_group() -> None:
    """The company's learning record store (xAPI): set it up, send the queue, see what waits."""


@lrs_group.command("set")
@click.argument("url")
@click.option("--key", default=None, help="The LRS key (basic-auth user name) for Rolecall.")
@click.option("--secret", default=None, help="Its secret (asked hidden when neither this nor --secret-file is given).")
@click.option("--secret-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Read the secret from this file (first line).")
@click.option("--home-page", default=None, metavar="URL",
              help="A URL your organisation controls: the home page of accounts for people without an "
                   "email, and the base of activity ids. Set it once, before the first push.")
@click.option("--pseudonymise/--named", default=None,
              help="Send a hash of each email and no names (mbox_sha1sum), or names and emails.")
@click.option("--scope", type=click.Choice(queue.SCOPES), default=None,
              help="Send records made on this station (own, the default), or every record it holds "
                   "(all: one online station sending for offline ones it syncs with).")
@click.option("--auto/--no-auto", default=None, help="Send by itself while the app runs and the LRS answers.")
@click.option("--batch-size", type=click.IntRange(1, 1000), default=None, help="Statements per request (100).")
@click.option("--since", default=None, metavar="DATE",
              help="On first set-up, queue only the facts since this date (default: all the station holds).")
@click.option("--check/--no-check", default=True, show_default=True, help="Try the LRS now.")
@click.pass_obj
def lrs_set(obj, url: str, key: str | None, secret: str | None, secret_file: Path | None, home_page: str | None,
            pseudonymise: bool | None, scope: str | None, auto: bool | None, batch_size: int | None,
            since: str | None, check: bool) -> None:
    """Set up (or change) this station's LRS. The secret goes to the OS keyring (or, on a computer with
    none, a file only you can read); it never goes into the database, a sync batch or a set-up file."""
    store = obj.store()
    try:
        endpoint = normal_endpoint(url)
        page = normal_home_page(home_page) if home_page else None
    except ConfigError as exc:
        raise click.BadParameter(str(exc)) from None
    config = LrsConfig.load(store)
    old_url = config.url
    config.url, config.key = endpoint, (key or config.key or "").strip()
    if not config.key:
        raise click.BadParameter("give the LRS key with --key.", param_hint="--key")
    if page:
        config.home_page = page
    for name, value in (("pseudonymise", pseudonymise), ("scope", scope), ("auto", auto),
                        ("batch_size", batch_size)):
        if value is not None:
            setattr(config, name, value)
    secrets = SecretStore(store.data_dir, store.station_id)
    if secret_file is not None:
        secret = secret_file.read_text(encoding="utf-8").splitlines()[0].strip() if secret_file.stat().st_size else ""
    if secret is None and secrets.load() is None:
        secret = click.prompt("LRS secret", hide_input=True)
    if secret is not None:
        try:
            saved = secrets.save(secret)
        except (SecretError, OSError) as exc:
            raise click.ClickException(f"The secret was not saved: {exc}") from exc
        click.echo(f"Secret saved {'in the OS keyring' if saved.where == 'keyring' else 'in ' + saved.detail}.")
    config.save(store)
    state = PushState.load(store)
    state.blocked = ""
    state.next_attempt_at = ""
    state.save(store)
    first = not queue.is_enabled(store)
    queued = queue.enable(store, parse_moment(since, "--since"))
    if first:
        click.echo(f"Queued {queued:,} statement(s) for what this station already holds.")
    elif old_url and old_url != endpoint:
        again = queue.requeue_all(store)
        click.echo(f"A new LRS: {again:,} statement(s) sent or held for {old_url} will be sent to it.")
    click.echo(f"LRS {endpoint}, key {config.key}; sends {SCOPE_TEXT[config.scope]}; "
               f"automatic sending {'on' if config.auto else 'off'}.")
    if check:
        try:
            client = open_client(store, config, secrets)
        except (NotSetUp, SecretError) as exc:
            raise click.ClickException(str(exc)) from exc
        try:
            result = check_connection(client)
        finally:
            client.close()
        click.echo(result.message)
        if result.refused:
            sys.exit(1)


@lrs_group.command("push")
@click.option("--retry-held", is_flag=True, help="Send the statements the LRS refused before once more.")
@click.option("--resend-all", is_flag=True,
              help="Send every statement again, those already sent too (an LRS that lost data; harmless "
                   "otherwise: the LRS keeps one statement per id).")
@click.pass_obj
def lrs_push(obj, retry_held: bool, resend_all: bool) -> None:
    """Send the queued statements now, in batches; a statement the LRS refuses is held with its message
    and the rest go on. Exit 1 when the LRS cannot be reached or refuses the key (nothing is lost)."""
    store = obj.store()
    config = LrsConfig.load(store)
    try:
        client = open_client(store, config)
    except (NotSetUp, SecretError) as exc:
        raise click.ClickException(str(exc)) from exc
    if resend_all:
        click.echo(f"{queue.requeue_all(store):,} statement(s) queued again.")
    elif retry_held:
        click.echo(f"{queue.retry_held(store):,} held statement(s) queued again.")
    waiting = queue.counts(store, config.scope).queued
    click.echo(f"Sending {waiting:,} statement(s) to {config.url} …", err=True)

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            click.echo(f"\r{done:,} / {total:,}", err=True, nl=False)

    try:
        report = Pusher(store, client, config, progress=progress).run()
    except PushBusy as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        client.close()
    if sys.stderr.isatty():
        click.echo("", err=True)
    click.echo(report.summary(config.url))
    for line in report.held[:5]:
        click.echo(f"  held {line}")
    if not report.ok:
        sys.exit(1)


def status_data(store) -> dict:
    config = LrsConfig.load(store)
    state = PushState.load(store)
    counts = queue.counts(store, config.scope)
    now = datetime.now(timezone.utc)
    return {"url": config.url, "key": config.key, "configured": config.configured, "auto": config.auto,
            "scope": config.scope, "home_page": config.identity.home_page, "pseudonymise": config.pseudonymise,
            "secret": SecretStore(store.data_dir, store.station_id).where(), "queue_on": queue.is_enabled(store),
            "waiting": counts.queued, "waiting_by_kind": counts.queued_by_kind, "held": counts.held,
            "sent": counts.sent, "skipped": counts.skipped, "elsewhere": counts.elsewhere,
            "held_list": [{"kind": k, "record": r, "reason": why} for k, r, why in queue.held(store, 10)],
            "last_push_at": state.last_push_at, "last_sent": state.last_sent, "last_error": state.last_error,
            "blocked": state.blocked, "failures": state.failures,
            "next_attempt_at": state.next_attempt_at if not state.due(now) else ""}


@lrs_group.command("status")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.pass_obj
def lrs_status(obj, fmt: str) -> None:
    """The LRS set up here, what waits to be sent, what the LRS refused and why, the last push."""
    data = status_data(obj.store())
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for line in status_lines(data):
        click.echo(line)


def status_lines(d: dict) -> list[str]:
    if not d["configured"]:
        return ["No LRS is set up on this station: `rolecall lrs set URL --key KEY`."]
    kinds = ", ".join(f"{n:,} {k}" for k, n in sorted(d["waiting_by_kind"].items()))
    lines = [f"LRS: {d['url']} (key {d['key']}; secret {d['secret']})",
             f"Sends: {SCOPE_TEXT[d['scope']]}; automatic sending {'on' if d['auto'] else 'off'}",
             f"People: {'pseudonymised (mbox_sha1sum, no names)' if d['pseudonymise'] else 'email where known'}"
             f", else an account on {d['home_page']}",
             f"Waiting: {d['waiting']:,}" + (f" ({kinds})" if kinds else ""),
             f"Sent: {d['sent']:,}" + (f"; last push {d['last_push_at']} sent {d['last_sent']:,}"
                                       if d["last_push_at"] else "; never pushed")]
    if d["elsewhere"]:
        lines.append(f"Not sent from here: {d['elsewhere']:,} made on other stations (they send their own; "
                     "`--scope all` sends them from here)")
    if d["skipped"]:
        lines.append(f"Skipped: {d['skipped']:,} (their records make no statement)")
    if d["held"]:
        lines.append(f"Held: {d['held']:,} the LRS refused (`rolecall lrs push --retry-held` sends them again):")
        lines += [f"  {h['kind']} {h['record']}: {h['reason']}" for h in d["held_list"]]
    if d["blocked"]:
        lines.append(f"Stopped: {d['blocked']}")
    elif d["last_error"]:
        lines.append(f"Last problem: {d['last_error']}"
                     + (f"; next automatic try after {d['next_attempt_at']}" if d["next_attempt_at"] else ""))
    return lines


def lrs_summary(store) -> list[str]:
    """The LRS in a line or two, for `rolecall sync status` (nothing when no LRS is set up)."""
    d = status_data(store)
    if not d["configured"]:
        return []
    line = f"LRS {d['url']}: {d['waiting']:,} statement(s) waiting, {d['sent']:,} sent"
    if d["held"]:
        line += f", {d['held']:,} held (`rolecall lrs status`)"
    lines = [line]
    if d["blocked"] or d["last_error"]:
        lines.append(f"LRS problem: {d['blocked'] or d['last_error']}")
    return lines
