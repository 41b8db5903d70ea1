"""`rolecall db` maintenance: check the database, move a damaged one aside."""
from __future__ import annotations

import click

from cli import cli
from store.db import DB_NAME, CorruptDatabaseError, check_integrity, move_aside


@cli.group("db")
def db_group() -> None:
    """The station database."""


@db_group.command("move-aside")
@click.pass_obj
def db_move_aside(obj) -> None:
    """Keep a damaged database under a new name and let the next start create a fresh one."""
    path = obj.data_dir / DB_NAME
    if not path.exists():
        raise click.ClickException(f"There is no database at {path}.")
    target = move_aside(path)
    click.echo(f"Moved {path} to {target}. The next start creates a fresh database.")


@db_group.command("check")
@click.pass_obj
def db_check(obj) -> None:
    """Open the database, read every page for damage, apply pending migrations, report its state."""
    store = obj.store()
    try:
        check_integrity(store)
    except CorruptDatabaseError as exc:
        raise click.ClickException(f"{exc}\nTo keep it and start fresh: rolecall db move-aside") from exc
    counts = {t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("people", "terms", "exercises", "recordings", "scorecards")}
    click.echo(f"{store.path}: schema {store.user_version()}, station {store.station_name} "
               f"({store.station_id})")
    click.echo(", ".join(f"{n} {t}" for t, n in counts.items()))
