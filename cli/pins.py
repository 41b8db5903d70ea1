"""`rolecall people set-pin NAME [--pin-file FILE]`: a certifier's PIN, stored only as a scrypt hash."""
from __future__ import annotations

from pathlib import Path

import click

from cli.people import people_group
from store.people import PeopleError, PeopleRepo
from store.pins import PinError, PinRepo


@people_group.command("set-pin")
@click.argument("name")
@click.option("--pin-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Read the PIN from the first line of this file instead of asking (for scripts).")
@click.pass_obj
def set_pin(obj, name: str, pin_file: Path | None) -> None:
    """Set or change a person's PIN (certifiers confirm sign-offs with it). Asked for twice, hidden."""
    store = obj.store()
    try:
        person = PeopleRepo(store).find(name)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from exc
    if pin_file is not None:
        lines = pin_file.read_text(encoding="utf-8").splitlines()
        pin = lines[0] if lines else ""
    else:
        pin = click.prompt(f"New PIN for {person.name}", hide_input=True, confirmation_prompt=True)
    try:
        PinRepo(store).set_pin(person.id, pin)
    except PinError as exc:
        raise click.ClickException(str(exc)) from exc
    note = "" if person.role == "certifier" else f" (note: {person.name} is a {person.role}; only certifiers sign off)"
    click.echo(f"PIN set for {person.label}{note}.")
