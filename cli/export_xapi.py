"""`rolecall export xapi`: the station's practice and certification records as xAPI 1.0.3 statements
(docs/xapi.md), for an LRS or LMS import, as a JSON array or JSON lines."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from cli.export import export_group
from store.clock import to_iso
from store.xapi import export, records
from store.xapi.config import ConfigError, LrsConfig, normal_home_page
from store.xapi.statements import Identity


def parse_moment(value: str | None, option: str) -> str | None:
    """A date (YYYY-MM-DD, midnight UTC) or an ISO date and time, as the store writes times."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD) or an ISO date and time.",
                                 param_hint=option) from None
    return to_iso(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))


@export_group.command("xapi")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(("json", "jsonl")), default="json", show_default=True,
              help="A JSON array, or one statement per line (JSON lines).")
@click.option("--since", default=None, metavar="DATE", help="Only facts at or after this date or time (UTC).")
@click.option("--until", default=None, metavar="DATE", help="Only facts before this date or time (UTC).")
@click.option("--team", default=None, help="Only the records of this team's reps.")
@click.option("--home-page", default=None, metavar="URL",
              help="Base of account and activity ids (default: the one set with `rolecall lrs set`).")
@click.option("--pseudonymise/--named", default=None,
              help="Identify people by a hash of their email (no names); default: the LRS setting.")
@click.pass_obj
def export_xapi(obj, out: Path | None, fmt: str, since: str | None, until: str | None, team: str | None,
                home_page: str | None, pseudonymise: bool | None) -> None:
    """Every take (attempted, completed), scorecard (scored; voided for a revised one), certification
    decision (passed, failed) and promoted exemplar as an xAPI statement, validated against xAPI 1.0.3.
    Statement ids are fixed per record, so importing the same export twice stores each statement once."""
    store = obj.store()
    config = LrsConfig.load(store)
    try:
        page = normal_home_page(home_page) if home_page else config.identity.home_page
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint="--home-page") from None
    identity = Identity(page, config.pseudonymise if pseudonymise is None else pseudonymise)
    filters = records.Filters(parse_moment(since, "--since"), parse_moment(until, "--until"), team)
    if team and team not in {t for (t,) in store.db.execute("SELECT DISTINCT team FROM people WHERE team IS NOT NULL")}:
        raise click.BadParameter(f"no one at this station is in a team called '{team}'.", param_hint="--team")
    report = export.ExportReport()
    try:
        handle = open(out, "w", encoding="utf-8", newline="\n") if out else sys.stdout
    except OSError as exc:
        raise click.ClickException(f"Cannot write {out}: {exc.strerror or exc}") from exc
    try:
        export.write(export.statements(store, identity, filters, report), handle, fmt, report)
    finally:
        if out:
            handle.close()
    verbs = ", ".join(f"{n:,} {v}" for v, n in sorted(report.by_verb.items()))
    click.echo(f"Wrote {report.written:,} statements{f' ({verbs})' if verbs else ''}"
               + (f" to {out}" if out else ""), err=True)
    for reason, n in sorted(report.skipped.items()):
        click.echo(f"Skipped {n:,}: {reason}", err=True)
    if report.invalid:
        click.echo(f"Left out {len(report.invalid):,} that are not valid xAPI (a fault in Rolecall; "
                   f"please report it): {report.invalid[0]}", err=True)
        sys.exit(1)
