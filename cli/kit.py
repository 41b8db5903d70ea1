"""`rolecall import-kit` and `rolecall kit list`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cli import cli
from cli.output import format_option, render
from scoring.kit import KitError, read_kit_file
from store.kit import KitRepo


def _kit_file(path: Path) -> Path:
    """A kit is a YAML file, or a folder holding kit.yaml (a partner kit)."""
    if path.is_dir():
        candidate = path / "kit.yaml"
        if not candidate.exists():
            raise click.ClickException(f"{path} is a folder without a kit.yaml in it.")
        return candidate
    return path


@cli.command("import-kit")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--update-existing", is_flag=True,
              help="A partner kit folder may change programs, rubrics, exercises or terms this station "
                   "already has (refused by default, with the list of what would change).")
@click.pass_obj
def import_kit(obj, path: Path, update_existing: bool) -> None:
    """Validate a kit YAML (vocabulary, rubrics, exercises, programs) and import it.

    Nothing is imported unless the whole file is valid (exit status 2 with every problem listed).
    Importing the same kit again changes nothing. A partner kit folder that would change items this
    station already has is refused unless --update-existing."""
    try:
        kit = read_kit_file(_kit_file(path))
    except KitError as exc:
        click.echo(f"Error: {exc}", err=True)
        click.echo("Nothing was imported.", err=True)
        sys.exit(2)
    repo = KitRepo(obj.store())
    changes = repo.changes(kit) if path.is_dir() and not update_existing else []
    if changes:
        click.echo(f"Error: the partner kit {path} would change {len(changes)} item(s) this station already "
                   "has:\n  " + "\n  ".join(changes[:20]) + ("\n  ..." if len(changes) > 20 else ""), err=True)
        click.echo("Nothing was imported. To accept these changes, add --update-existing.", err=True)
        sys.exit(2)
    report = repo.import_kit(kit)
    click.echo(f"Imported kit '{kit.name}' from {path}: {report.summary()}.")
    if path.is_dir():  # a partner kit folder also brings its exemplar takes (issue #6)
        from cli.partner_kit import import_partner_exemplars
        import_partner_exemplars(obj.store(), path)


@cli.group("kit")
def kit_group() -> None:
    """The station's kit: vocabulary terms, rubrics, exercises and programs."""


@kit_group.command("list")
@format_option(("text", "json"))
@click.pass_obj
def kit_list(obj, fmt: str) -> None:
    """List terms, rubrics, exercises and programs with their ids."""
    repo = KitRepo(obj.store())
    data = {"terms": repo.terms(), "rubrics": repo.rubrics(), "exercises": repo.exercises(),
            "programs": repo.programs()}
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    sections = [("Terms", data["terms"], ["slug", "term", "id"]),
                ("Rubrics", data["rubrics"], ["slug", "title", "id"]),
                ("Exercises", data["exercises"], ["slug", "kind", "title", "rubric", "id"]),
                ("Programs", data["programs"], ["slug", "title", "rubric", "id"])]
    for title, rows, columns in sections:
        click.echo(f"{title} ({len(rows)})")
        click.echo(render(rows, columns, "text"))
