"""`rolecall export partner-kit PROGRAM --out DIR`, and the exemplar half of `rolecall import-kit DIR`."""
from __future__ import annotations

from pathlib import Path

import click

from cli.export import export_group
from store.partner_kit import PartnerKitError, export_partner_kit, import_exemplars


@export_group.command("partner-kit")
@click.argument("program")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="A new (or empty) folder to write the kit into.")
@click.option("--with-names", is_flag=True,
              help="Name the reps whose takes are the exemplars (left out by default: the kit leaves the company).")
@click.pass_obj
def export_partner(obj, program: str, out: Path, with_names: bool) -> None:
    """A folder a partner organisation imports with `rolecall import-kit DIR`: the program, its rubric,
    exercises and vocabulary as kit.yaml, and the program's exemplar takes with their transcripts."""
    try:
        manifest = export_partner_kit(obj.store(), program, out, with_names)
    except PartnerKitError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote partner kit for '{manifest['program']}' to {out}: kit.yaml and "
               f"{len(manifest['exemplars'])} exemplar take(s).")


def import_partner_exemplars(store, folder: Path) -> None:
    """Called by `import-kit` for a folder: bring in the exemplar takes listed in exemplars.json."""
    if not (Path(folder) / "exemplars.json").is_file():
        return
    try:
        report = import_exemplars(store, folder)
    except PartnerKitError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Exemplars from {folder}: {report.summary()}.")
    if report.problems:
        raise SystemExit(1)
