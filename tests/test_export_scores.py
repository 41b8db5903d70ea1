"""`rolecall export scores`: exactly the agreed columns, the values of a known scorecard, revisions."""
import csv
import io
import json

from click.testing import CliRunner

from cli import cli
from demo.takes import add_take
from store.kit import KitRepo
from store.people import PeopleRepo
from store.scores import CriterionScore, ScorecardDraft, ScoreRepo
from store.station import open_station

COLUMNS = ["recording_id", "exercise", "rep", "team", "scorer", "criterion", "score", "weight",
           "evidence_s", "comment", "scored_at", "version"]


def _world(data_dir):
    store = open_station(data_dir)
    people = PeopleRepo(store)
    ann = people.add("Ann Rep", "rep", "North")
    bob = people.add("Bob Peer", "rep", "South")
    take = add_take(store, ann.id, "cold-call", duration_s=20.0, segments=[(0.0, 3.0, "hello")])
    kit = KitRepo(store)
    crit = kit.criteria(kit.exercise("cold-call")["rubric_id"])      # weights 2, 2, 1
    repo = ScoreRepo(store)
    first = repo.submit(ScorecardDraft(take, bob.id, [CriterionScore(crit[0]["id"], 2, 1.5, "too closed"),
                                                      CriterionScore(crit[1]["id"], 3),
                                                      CriterionScore(crit[2]["id"], 4, 12.25)]))
    second = repo.submit(ScorecardDraft(take, bob.id, [CriterionScore(crit[0]["id"], 3, 1.5, "on reflection"),
                                                       CriterionScore(crit[1]["id"], 3),
                                                       CriterionScore(crit[2]["id"], 4, 12.25)]))
    store.close()
    return take, first, second


def _run(data_dir, *args):
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "export", "scores", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_csv_columns_and_values(data_dir):
    take, _first, second = _world(data_dir)
    out = _run(data_dir)
    reader = csv.DictReader(io.StringIO(out))
    assert reader.fieldnames == COLUMNS
    rows = list(reader)
    assert len(rows) == 3                                      # the current version only
    assert rows[0] == {"recording_id": take, "exercise": "cold-call", "rep": "Ann Rep", "team": "North",
                       "scorer": "Bob Peer", "criterion": "socratic-question", "score": "3", "weight": "2.0",
                       "evidence_s": "1.5", "comment": "on reflection", "scored_at": second.submitted_at,
                       "version": "2"}
    assert [r["criterion"] for r in rows] == ["socratic-question", "reframe-objection", "call-to-action"]
    assert rows[1]["evidence_s"] == "" and rows[2]["evidence_s"] == "12.25" and rows[2]["weight"] == "1.0"


def test_json_to_a_file_with_all_versions(data_dir, tmp_path):
    _world(data_dir)
    target = tmp_path / "scores.json"
    _run(data_dir, "--format", "json", "--out", str(target), "--all-versions")
    rows = json.loads(target.read_text())
    assert len(rows) == 6 and all(list(r) == COLUMNS for r in rows)
    first_crit = [(r["version"], r["score"], r["comment"]) for r in rows if r["criterion"] == "socratic-question"]
    assert first_crit == [(1, 2, "too closed"), (2, 3, "on reflection")]
    assert rows[0]["evidence_s"] == 1.5 and isinstance(rows[0]["weight"], float)


def test_empty_store_gives_just_the_header(data_dir):
    assert _run(data_dir).splitlines() == [",".join(COLUMNS)]
    assert json.loads(_run(data_dir, "--format", "json")) == []
