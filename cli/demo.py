"""`rolecall demo-data`: fill a station with a plausible synthetic event (see demo/__init__.py)."""
from __future__ import annotations

import click

from cli import cli
from demo import DemoError, events, generate, signoffs

# demo-data's extra generators are wired here, where the command is: sign-offs (#6), engagement (#8)
signoffs.register()
events.register()


@cli.command("demo-data")
@click.option("--recordings", "recordings", type=click.IntRange(min=1), default=200, show_default=True,
              help="How many takes to make (about six scorecards each).")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.pass_obj
def demo_data(obj, recordings: int, seed: int) -> None:
    """Fill this station with a synthetic kickoff: people in teams, takes with transcripts and term hits,
    peer scorecards that disagree like real peers do, revisions, coach notes and exemplars. Use a fresh
    --data-dir: it refuses a station that already holds demo data."""
    try:
        summary = generate(obj.store(), recordings=recordings, seed=seed)
    except DemoError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in summary.lines():
        click.echo(line)
