"""`rolecall people add|list`."""
from __future__ import annotations

import click

from cli import cli
from cli.output import format_option, render
from store.people import ROLES, PeopleError, PeopleRepo


@cli.group("people")
def people_group() -> None:
    """Reps, coaches and certifiers at this station."""


@people_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What they do here.")
@click.option("--team", default=None, help="Team or cohort.")
@click.pass_obj
def people_add(obj, name: str, role: str, team: str | None) -> None:
    """Add a person."""
    try:
        person = PeopleRepo(obj.store()).add(name, role, team)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Added {person.label}: {person.id}")


@people_group.command("list")
@format_option(("text", "csv", "json"))
@click.option("--team", default=None, help="Only this team or cohort.")
@click.pass_obj
def people_list(obj, fmt: str, team: str | None) -> None:
    """List people."""
    rows = [{"id": p.id, "name": p.name, "role": p.role, "team": p.team}
            for p in PeopleRepo(obj.store()).list(team)]
    click.echo(render(rows, ["id", "name", "role", "team"], fmt), nl=False)
