"""`rolecall people set-pin NAME`: a certifier's PIN on this station, stored only as a scrypt hash.

Who vouches (store/pin_auth.py): the certifier's current PIN, or another certifier's PIN on this
station (``--confirm-by``: the reset for a forgotten or locked PIN). On a station where no certifier
has a PIN yet, the team sync key confirms the first one (asked hidden, or ``--team-key-file``): a rep
at her own station does not have it. PINs are never synced.
"""
from __future__ import annotations

from pathlib import Path

import click

from cli.people import confirm_options, find, people_group, read_pin, team_key_option
from store.people import PeopleRepo
from store.pin_auth import NO_TEAM_KEY, WHAT_THE_KEY_IS, team_key_set
from store.pins import MIN_PIN_LENGTH, WHERE_PINS_LIVE, PinError, PinRepo


@people_group.command("set-pin")
@click.argument("name")
@click.option("--pin-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Read the new PIN from the first line of this file instead of asking (for scripts).")
@confirm_options
@team_key_option
@click.pass_obj
def set_pin(obj, name: str, pin_file: Path | None, confirm_by: str | None, confirm_pin_file: Path | None,
            team_key_file: Path | None) -> None:
    """Set or change a certifier's PIN on this station (asked twice, hidden; at least
    6 characters). Confirmed with their current PIN, or with another certifier's (--confirm-by NAME),
    which also resets a forgotten or locked PIN. The first PIN on a station is confirmed with the
    team sync key."""
    store = obj.store()
    people, pins = PeopleRepo(store), PinRepo(store)
    person = find(people, name)
    if person.role != "certifier":
        raise click.ClickException(f"{person.name} is a {person.role}: only certifiers have a PIN "
                                   "(they confirm sign-offs with it).")
    confirmer = find(people, confirm_by) if confirm_by else None
    team_key = None
    if confirmer is not None and confirmer.id != person.id:
        confirm_pin = read_pin(f"PIN of {confirmer.name} (confirming)", confirm_pin_file)
    elif pins.has_pin(person.id):
        confirm_pin = read_pin(f"Current PIN of {person.name}", confirm_pin_file)
    elif pins.certifiers_with_pin(person.id):
        names = ", ".join(n for _, n in pins.certifiers_with_pin(person.id))
        raise click.ClickException(
            f"{person.name} has no PIN on this station yet: another certifier with a PIN here confirms the "
            f"first one with --confirm-by NAME ({names}).")
    elif not team_key_set(store.data_dir):
        raise click.ClickException(NO_TEAM_KEY)
    else:
        if team_key_file is None:
            click.echo(WHAT_THE_KEY_IS, err=True)
        team_key = read_pin("Team sync key", team_key_file, what="the team key")
        confirm_pin = ""
        try:
            pins.check_team_key(team_key)           # refused before the new PIN is asked
        except PinError as exc:
            raise click.ClickException(str(exc)) from exc
    new_pin = read_pin(f"New PIN for {person.name} (at least {MIN_PIN_LENGTH} characters)", pin_file, twice=True)
    try:
        how = pins.change_pin(person.id, new_pin, confirmer.id if confirmer else None, confirm_pin,
                              team_key=team_key)
    except PinError as exc:
        raise click.ClickException(str(exc)) from exc
    said = {"own": " (confirmed with the current PIN)",
            "certifier": f" (confirmed by {confirmer.name if confirmer else '?'})",
            "bootstrap": " (confirmed with the team key)"}[how]
    click.echo(f"PIN set for {person.label} on this station{said}.")
    if how == "bootstrap":
        click.echo("No certifier had a PIN on this station, so the team key confirmed this first one. "
                   "From now on a PIN is set with the current PIN or another certifier's.")
    click.echo(WHERE_PINS_LIVE)
