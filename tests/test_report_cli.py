"""`rolecall report` prints the dashboard's figures (the hand-built store of tests/test_analytics.py),
and demo-data's engagement-events generator."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from cli import cli
from test_analytics import build_hand_store


@pytest.fixture
def run(data_dir, store):
    hand = build_hand_store(store)
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, ["--data-dir", str(data_dir), *args], catch_exceptions=False)
    invoke.hand = hand
    return invoke


def test_leaderboard_csv_and_json(run):
    result = run("report", "leaderboard", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["rank"], r["rep"], r["avg_score"]) for r in rows] == [("1", "Cy", "4.0"), ("2", "Ana", "3.8")]
    assert rows[1]["improvement"] == "1.5" and rows[1]["certifications"] == "1"
    north = json.loads(run("report", "leaderboard", "--team", "North", "--format", "json").output)
    assert [r["rep"] for r in north] == ["Ana"]          # Ben is hidden


def test_adoption_and_engagement(run, tmp_path):
    out = tmp_path / "adoption.json"
    assert run("report", "adoption", "--format", "json", "--out", str(out)).exit_code == 0
    terms = {r["term"]: r for r in json.loads(out.read_text())}
    assert terms["reframe"]["used_share"] == 0.75 and terms["reframe"]["scored_high_share"] == 0.5
    result = run("report", "engagement", "--team", "South", "--format", "csv")
    rows = {r["exercise"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert rows["Role-play: cold call"]["completion"] == "0.5"
    assert rows["Role-play: cold call"]["exemplar_views"] == "1"
    text = run("report", "engagement").output          # the default text table
    assert text.splitlines()[0].split()[:3] == ["exercise", "reps", "reps_done"]
    assert any(line.startswith("Role-play: cold call") for line in text.splitlines())


def test_filters_and_other_reports(run):
    window = json.loads(run("report", "leaderboard", "--from", "2026-11-10", "--to", "2026-11-11",
                            "--format", "json").output)
    assert [(r["rep"], r["avg_score"]) for r in window] == [("Ana", 4.1)]
    weeks = json.loads(run("report", "agreement", "--format", "json").output)
    assert [w["bucket"] for w in weeks] == ["2026-11-02", "2026-11-09"]
    scores = json.loads(run("report", "scores", "--exercise", "cold-call", "--format", "json").output)
    assert len(scores) == 3
    bad = run("report", "leaderboard", "--from", "soon")
    assert bad.exit_code == 2 and "not a date" in bad.output
    unknown = run("report", "leaderboard", "--exercise", "juggling")
    assert unknown.exit_code == 1 and "No exercise 'juggling'" in unknown.output


def test_report_to_a_file_writes_nothing_to_the_store(run, store, tmp_path):
    before = store.db.execute("SELECT value FROM station WHERE key='clock'").fetchone()
    run("report", "teams", "--format", "csv", "--out", str(tmp_path / "teams.csv"))
    assert (tmp_path / "teams.csv").read_text().startswith("rank,team,reps")
    assert store.db.execute("SELECT value FROM station WHERE key='clock'").fetchone() == before


def test_demo_data_adds_engagement_events(tmp_path):
    import demo
    from demo.events import generate_engagement_events
    from store.station import open_station
    assert generate_engagement_events in demo.EXTRA_GENERATORS      # registered by cli/demo.py
    counts = []
    for name in ("a", "b"):
        station = open_station(tmp_path / name)
        summary = demo.generate(station, recordings=40, seed=3)
        rows = station.db.execute("SELECT kind, created_at, person_id FROM events WHERE kind != 'transcript_view' "
                                  "OR created_at > ? ORDER BY id", [summary.event_end]).fetchall()
        counts.append(rows)
        assert summary.extra["engagement_events"] == len(rows)
        assert {r[0] for r in rows} >= {"exemplar_view", "transcript_view"}
        assert all(r[1] > summary.event_end for r in rows)
        station.close()
    assert counts[0] == counts[1]          # deterministic for a seed
