"""The `rolecall` command line (click). No Qt here: starting the window is injected by main.py.

Each command group lives in its own module and is registered below with one line.
"""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Callable

import click

from cli.context import CliContext
from store.station import ENV_DATA_DIR, default_data_dir


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Where the station keeps its database and media (default: ${ENV_DATA_DIR} or "
                   "the user data folder).")
@click.version_option(package_name="rolecall", prog_name="rolecall")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """Rolecall: record teach-backs and role-plays, transcribe them offline, score them with the
    team's shared vocabulary. With no command, the app's window opens."""
    launch = ctx.obj if callable(ctx.obj) else None
    ctx.obj = CliContext(data_dir=data_dir or default_data_dir(), launch_app=launch)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        if ctx.obj.launch_app is None:
            click.echo(ctx.get_help())
            return
        ctx.exit(ctx.obj.launch_app(ctx.obj.data_dir))


def _register() -> None:
    from cli import db, kit, people  # noqa: F401  (each module adds its commands to `cli`)
    # further command modules: one import line each below
    # -- registration points --
    from cli import transcribe  # noqa: F401  (issue #4)
    from cli import record, media_import  # noqa: F401  (issue #3)
    from cli import sync  # noqa: F401  (issue #7)
    from cli import export, export_certifications, partner_kit, pins  # noqa: F401  (issue #6)
    from cli import export_scores, demo  # noqa: F401  (issue #5)
    from cli import report  # noqa: F401  (issue #8)
    from cli import export_xapi, lrs  # noqa: F401  (issue #25)


def main(argv: list[str] | None = None, launch_app: Callable[[Path], int] | None = None) -> None:
    """Run the command line; ``launch_app(data_dir) -> exit code`` opens the window."""
    try:
        cli.main(args=argv, prog_name="rolecall", obj=launch_app)
    except sqlite3.DatabaseError as exc:  # surfaced by a command, after opening went well
        click.echo(f"Error: {database_problem(exc)}", err=True)
        sys.exit(1)


def database_problem(exc: sqlite3.DatabaseError) -> str:
    """A database error in words a person at a station can act on."""
    text = str(exc)
    if "full" in text:
        return ("The disk is full, so the database could not be written; the last change was not "
                "saved. Free some space and try again.")
    if "locked" in text or "busy" in text:
        return "The database is busy in another Rolecall window or command. Close it and try again."
    return (f"The station database could not be read ({text}); it may be damaged. "
            "Run `rolecall db check`; to keep it and start fresh, `rolecall db move-aside`.")


_register()
