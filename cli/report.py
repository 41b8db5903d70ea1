"""`rolecall report NAME`: the dashboard's figures (issue #8) as a table, CSV or JSON.

The numbers are the page's own (store/analytics/ computes both). Hidden reps never appear on the
leaderboard here: the command line has no viewer. Read-only: a report writes nothing to the store.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli import cli
from cli.output import emit, format_option, render
from store.analytics import REPORTS, Filters


def _day(_ctx, _param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from exc


@cli.command("report")
@click.argument("name", type=click.Choice(list(REPORTS)))
@click.option("--team", default=None, help="Only this team or cohort.")
@click.option("--exercise", default=None, help="Only this exercise (id or slug).")
@click.option("--from", "date_from", default=None, callback=_day, help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, callback=_day, help="Last day, inclusive (YYYY-MM-DD).")
@click.option("--bucket", type=click.Choice(("week", "day")), default="week", show_default=True,
              help="Time buckets for the over-time reports.")
@format_option(("text", "csv", "json"))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of the terminal.")
@click.pass_obj
def report(obj, name: str, team: str | None, exercise: str | None, date_from: str | None,
           date_to: str | None, bucket: str, fmt: str, out: Path | None) -> None:
    """Print a dashboard figure: leaderboard, teams, adoption, adoption-over-time, adoption-by-team,
    engagement, events, scores (distribution per criterion) or agreement (over time)."""
    if date_from and date_to and date_from > date_to:
        raise click.BadParameter("--from is after --to")
    store = obj.store()
    if exercise and store.db.execute("SELECT 1 FROM exercises WHERE id=? OR slug=?",
                                     [exercise, exercise]).fetchone() is None:
        raise click.ClickException(f"No exercise '{exercise}'; `rolecall kit list` shows them.")
    table = REPORTS[name](store, Filters(date_from, date_to, team, exercise, bucket))
    emit(render(table.rows, table.columns, fmt), out)
