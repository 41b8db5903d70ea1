"""`rolecall export ...`: the shared click group for exports.

NOTE for #5 (export scores) and others: this group was created by #6 (certification). Add your
subcommand to it from your own module, e.g. in cli/export_scores.py:

    from cli.export import export_group

    @export_group.command("scores")
    ...

and register your module with one line in cli/__init__.py. #6's subcommands live in
cli/export_certifications.py (`export certifications`) and cli/partner_kit.py (`export partner-kit`).
"""
from __future__ import annotations

from cli import cli


@cli.group("export")
def export_group() -> None:
    """Export data from this station: certifications, partner kits, scores."""
