"""`rolecall export certifications [--format csv|json] [--out FILE]`: every sign-off decision."""
from __future__ import annotations

from pathlib import Path

import click

from cli.export import export_group
from cli.output import emit, render
from store.certification import CertificationRepo

COLUMNS = ("rep", "team", "program", "decision", "decided_at", "certifier", "valid_until", "evidence_recordings")


def certification_rows(store, program: str | None = None, current_only: bool = False) -> list[dict]:
    repo = CertificationRepo(store)
    decisions = repo.history(program_key=program) if program else repo.history()
    rows, seen = [], set()
    for d in sorted(decisions, key=lambda d: (d.rep.lower() if d.rep else "", d.program, d.decided_at)):
        rows.append({"rep": d.rep, "team": d.team, "program": d.program, "decision": d.decision,
                     "decided_at": d.decided_at, "certifier": d.certifier, "valid_until": d.valid_until,
                     "evidence_recordings": list(d.evidence), "_key": (d.rep_id, d.program_id)})
    if current_only:
        latest: dict = {}
        for row in rows:
            latest[row["_key"]] = row
        rows = [r for r in rows if latest[r["_key"]] is r]
    for row in rows:
        row.pop("_key")
    return rows


@export_group.command("certifications")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of the screen.")
@click.option("--program", default=None, help="Only this program (id or slug).")
@click.option("--current", "current_only", is_flag=True, help="Only the decision in force per rep and program.")
@click.pass_obj
def export_certifications(obj, fmt: str, out: Path | None, program: str | None, current_only: bool) -> None:
    """Sign-off decisions, oldest first per rep and program (a change of mind is a later row).

    Columns: rep, team, program, decision, decided_at, certifier, valid_until, evidence_recordings
    (recording ids; separated by ';' in CSV)."""
    try:
        rows = certification_rows(obj.store(), program, current_only)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    emit(render(rows, COLUMNS, fmt), out)
    if out is not None:
        click.echo(f"Wrote {len(rows)} decision(s) to {out}.", err=True)
