"""`rolecall export scores`: one row per criterion score, for spreadsheets and BI tools."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from cli.export import export_group
from scoring.csv_safe import safe_row
from store.review_queries import EXPORT_COLUMNS, score_rows


@export_group.command("scores")
@click.option("--format", "fmt", type=click.Choice(("csv", "json")), default="csv", show_default=True,
              help="Output format.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
@click.option("--all-versions", is_flag=True,
              help="Include superseded scorecard versions (default: each scorer's current scorecard).")
@click.pass_obj
def export_scores(obj, fmt: str, out: Path | None, all_versions: bool) -> None:
    """Peer scores with the columns recording_id, exercise, rep, team, scorer, criterion, score, weight,
    evidence_s, comment, scored_at, version (exercise and criterion by id slug)."""
    rows = score_rows(obj.store(), all_versions)
    try:
        handle = open(out, "w", newline="", encoding="utf-8") if out else sys.stdout
    except OSError as exc:
        raise click.ClickException(f"Cannot write {out}: {exc.strerror or exc}") from exc
    count = 0
    try:
        if fmt == "csv":
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(EXPORT_COLUMNS)
            for row in rows:
                writer.writerow(safe_row("" if row[c] is None else row[c] for c in EXPORT_COLUMNS))
                count += 1
        else:
            handle.write("[")
            for row in rows:
                handle.write(("," if count else "") + "\n  " + json.dumps(row, ensure_ascii=False))
                count += 1
            handle.write("\n]\n")
    finally:
        if out:
            handle.close()
    if out:
        click.echo(f"Wrote {count:,} scores to {out}", err=True)
