"""`rolecall people add|list|set-role`.

Adding a certifier or changing a role to or from certifier needs a certifier's PIN on this station
(``--confirm-by NAME``; the PIN is asked hidden, or read from ``--confirm-pin-file``). On a station
where no certifier has a PIN yet, the team sync key confirms it instead (asked hidden, or read from
``--team-key-file``; store/pin_auth.py), and the command says so.
"""
from __future__ import annotations

from pathlib import Path

import click

from cli import cli
from cli.output import format_option, render
from store.people import ROLES, PeopleError, PeopleRepo, Person

BOOTSTRAP_NOTE = ("No certifier has a PIN on this station yet, so the team key confirmed this; once "
                  "one has, their PIN is needed for this.")


@cli.group("people")
def people_group() -> None:
    """Reps, coaches and certifiers at this station."""


def read_pin(prompt: str, pin_file: Path | None, twice: bool = False, what: str = "a PIN") -> str:
    """A PIN from the first line of ``pin_file``, or asked hidden (twice for a new one)."""
    if pin_file is not None:
        if not pin_file.is_file():              # /dev/zero or a FIFO would never end
            raise click.ClickException(f"Cannot read {what} from {pin_file}: not a regular file.")
        try:
            with open(pin_file, "rb") as handle:
                lines = handle.read(4096).decode("utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"Cannot read {what} from {pin_file}: {exc}") from exc
        return lines[0] if lines else ""
    return click.prompt(prompt, hide_input=True, confirmation_prompt=twice)


def team_key_option(command):
    return click.option("--team-key-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        default=None, help="On a station where no certifier has a PIN yet: read the team "
                        "sync key, which confirms instead, from this file's first line instead of asking "
                        "(the organiser's key file).")(command)


def confirm_with_team_key(store, key_file: Path | None) -> None:
    """Bootstrap: the team sync key vouches (store/pin_auth.py); refuse unless it is this station's."""
    from store.pin_auth import WHAT_THE_KEY_IS, team_key_set
    from store.pins import PinError, PinRepo
    pins = PinRepo(store)
    if not team_key_set(store.data_dir):
        from store.pin_auth import NO_TEAM_KEY
        raise click.ClickException(NO_TEAM_KEY)
    if key_file is None:
        click.echo(WHAT_THE_KEY_IS, err=True)
    text = read_pin("Team sync key", key_file, what="the team key")
    try:
        pins.check_team_key(text)
    except PinError as exc:
        raise click.ClickException(str(exc)) from exc


def find(people: PeopleRepo, key: str) -> Person:
    try:
        return people.find(key)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from exc


def confirm_options(command):
    command = click.option("--confirm-pin-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                           default=None, help="Read the confirming PIN (set-pin: the current PIN, or that of "
                           "--confirm-by) from this file's first line instead of asking (for scripts).")(command)
    return click.option("--confirm-by", default=None, metavar="NAME",
                        help="A certifier with a PIN on this station who confirms with their PIN.")(command)


def certifier_confirmation(people: PeopleRepo, confirm_by: str | None, pin_file: Path | None,
                           what: str, key_file: Path | None = None) -> tuple[str | None, str]:
    """(confirming certifier id, PIN) for a certifier change, or (None, '') on a bootstrap station
    once the team key has confirmed it."""
    if not people.needs_certifier_confirmation():
        confirm_with_team_key(people.store, key_file)
        return None, ""
    if confirm_by is None:
        from store.pins import PinRepo
        names = ", ".join(n for _, n in PinRepo(people.store).certifiers_with_pin())
        raise click.ClickException(f"{what} needs a certifier's PIN: add --confirm-by NAME "
                                   f"(certifiers with a PIN on this station: {names}).")
    confirmer = find(people, confirm_by)
    return confirmer.id, read_pin(f"PIN of {confirmer.name} (confirming)", pin_file)


@people_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What they do here.")
@click.option("--team", default=None, help="Team or cohort.")
@confirm_options
@team_key_option
@click.pass_obj
def people_add(obj, name: str, role: str, team: str | None, confirm_by: str | None,
               confirm_pin_file: Path | None, team_key_file: Path | None) -> None:
    """Add a person (a certifier: confirmed by a certifier's PIN, see --confirm-by; on a station
    where no certifier has a PIN yet, by the team sync key)."""
    people = PeopleRepo(obj.store())
    by, pin = (certifier_confirmation(people, confirm_by, confirm_pin_file, "Adding a certifier", team_key_file)
               if role == "certifier" else (None, ""))
    try:
        person = people.add(name, role, team, confirm_by=by, confirm_pin=pin)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Added {person.label}: {person.id}")
    if role == "certifier":
        if by is None:
            click.echo(f"Note: {BOOTSTRAP_NOTE}")
        click.echo(f"Set their PIN on this station with: rolecall people set-pin \"{person.name}\"")


@people_group.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@confirm_options
@team_key_option
@click.pass_obj
def people_set_role(obj, name: str, role: str, confirm_by: str | None, confirm_pin_file: Path | None,
                    team_key_file: Path | None) -> None:
    """Change someone's role (to or from certifier: confirmed by a certifier's PIN, or by the team
    sync key while no certifier has a PIN on this station)."""
    people = PeopleRepo(obj.store())
    person = find(people, name)
    if person.role == role:
        click.echo(f"{person.label} already.")
        return
    by, pin = (certifier_confirmation(people, confirm_by, confirm_pin_file, "A change to or from certifier",
                                      team_key_file)
               if "certifier" in (role, person.role) else (None, ""))
    try:
        changed = people.update(person.id, role=role, confirm_by=by, confirm_pin=pin)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{changed.name} is now a {changed.role}.")
    if by is None and "certifier" in (role, person.role):
        click.echo(f"Note: {BOOTSTRAP_NOTE}")


@people_group.command("list")
@format_option(("text", "csv", "json"))
@click.option("--team", default=None, help="Only this team or cohort.")
@click.pass_obj
def people_list(obj, fmt: str, team: str | None) -> None:
    """List people."""
    rows = [{"id": p.id, "name": p.name, "role": p.role, "team": p.team}
            for p in PeopleRepo(obj.store()).list(team)]
    click.echo(render(rows, ["id", "name", "role", "team"], fmt), nl=False)


@people_group.command("rename")
@click.argument("name")
@click.argument("new_name")
@click.pass_obj
def people_rename(obj, name: str, new_name: str) -> None:
    """Change someone's name; they keep their id, so their takes, scores and sign-offs stay theirs."""
    people = PeopleRepo(obj.store())
    person = find(people, name)
    try:
        changed = people.update(person.id, name=new_name)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{person.name} is now called {changed.name} (id {changed.id}, as before).")


@people_group.command("set-email")
@click.argument("name")
@click.argument("email")
@click.pass_obj
def people_set_email(obj, name: str, email: str) -> None:
    """Give a person their work email (an LRS identifies people by it; "" clears it)."""
    people = PeopleRepo(obj.store())
    person = find(people, name)
    try:
        value = people.set_email(person.id, email)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{person.name}: {value or 'no email'}")
