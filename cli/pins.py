"""`rolecall people set-pin NAME`: a certifier's PIN on this station, stored only as a scrypt hash.

Who vouches (store/pin_auth.py): the certifier's current PIN, or another certifier's PIN on this
station (``--confirm-by``: the reset for a forgotten or locked PIN). On a station where no certifier
has a PIN yet, the first one needs neither, and the command says so. PINs are never synced.
"""
from __future__ import annotations

from pathlib import Path

import click

from cli.people import confirm_options, find, people_group, read_pin
from store.people import PeopleRepo
from store.pins import MIN_PIN_LENGTH, WHERE_PINS_LIVE, PinError, PinRepo


@people_group.command("set-pin")
@click.argument("name")
@click.option("--pin-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Read the new PIN from the first line of this file instead of asking (for scripts).")
@confirm_options
@click.pass_obj
def set_pin(obj, name: str, pin_file: Path | None, confirm_by: str | None, confirm_pin_file: Path | None) -> None:
    """Set or change a certifier's PIN on this station (asked twice, hidden; at least
    6 characters). Confirmed with their current PIN, or with another certifier's (--confirm-by NAME),
    which also resets a forgotten or locked PIN."""
    store = obj.store()
    people, pins = PeopleRepo(store), PinRepo(store)
    person = find(people, name)
    if person.role != "certifier":
        raise click.ClickException(f"{person.name} is a {person.role}: only certifiers have a PIN "
                                   "(they confirm sign-offs with it).")
    confirmer = find(people, confirm_by) if confirm_by else None
    if confirmer is not None and confirmer.id != person.id:
        confirm_pin = read_pin(f"PIN of {confirmer.name} (confirming)", confirm_pin_file)
    elif pins.has_pin(person.id):
        confirm_pin = read_pin(f"Current PIN of {person.name}", confirm_pin_file)
    elif pins.certifiers_with_pin(person.id):
        names = ", ".join(n for _, n in pins.certifiers_with_pin(person.id))
        raise click.ClickException(
            f"{person.name} has no PIN on this station yet: another certifier with a PIN here confirms the "
            f"first one with --confirm-by NAME ({names}).")
    else:
        confirm_pin = ""
    new_pin = read_pin(f"New PIN for {person.name} (at least {MIN_PIN_LENGTH} characters)", pin_file, twice=True)
    try:
        how = pins.change_pin(person.id, new_pin, confirmer.id if confirmer else None, confirm_pin)
    except PinError as exc:
        raise click.ClickException(str(exc)) from exc
    said = {"own": " (confirmed with the current PIN)",
            "certifier": f" (confirmed by {confirmer.name if confirmer else '?'})",
            "bootstrap": ""}[how]
    click.echo(f"PIN set for {person.label} on this station{said}.")
    if how == "bootstrap":
        click.echo("No certifier had a PIN on this station, so this first one needed no confirmation. "
                   "From now on a PIN is set with the current PIN or another certifier's.")
    click.echo(WHERE_PINS_LIVE)
