"""Statements from records (store/xapi): what each record becomes, identities, fixed ids, the export
command, and docs/xapi.md naming every IRI the code uses."""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from pathlib import Path

import pytest

from cli_helpers import run_cli
from store.people import PeopleRepo
from store.xapi import export, profile as P
from store.xapi.statements import Identity
from store.xapi.validate import problems
from xapi_support import add_person, demo_station, first_exercise, score, submitted_take

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def event(tmp_path_factory):
    store = demo_station(tmp_path_factory.mktemp("xapi") / "station", recordings=100, seed=3)
    yield store
    store.close()


def all_statements(store, identity=Identity(), **filters):
    from store.xapi.records import Filters

    report = export.ExportReport()
    return list(export.statements(store, identity, Filters(**filters), report)), report


def who(store, agent: dict) -> str:
    """The person id an agent names (an account carries it; an mbox is looked up)."""
    if "account" in agent:
        return agent["account"]["name"]
    return store.db.execute("SELECT id FROM people WHERE 'mailto:' || email = ?", [agent["mbox"]]).fetchone()[0]


def by_verb(statements, verb):
    return [s for s in statements if s["verb"]["id"] == P.VERBS[verb]]


def test_every_record_makes_a_valid_statement_with_a_fixed_id(event):
    statements, report = all_statements(event)
    db = event.db
    takes = db.execute("SELECT count(*) FROM recordings WHERE status='submitted'").fetchone()[0]
    cards = db.execute("SELECT count(*) FROM scorecards").fetchone()[0]
    revisions = db.execute("SELECT count(*) FROM scorecards WHERE supersedes IS NOT NULL").fetchone()[0]
    decisions = db.execute("SELECT decision, count(*) FROM signoffs GROUP BY decision").fetchall()
    exemplars = db.execute("SELECT count(*) FROM exemplars WHERE promoted_by IS NOT NULL").fetchone()[0]
    assert len(by_verb(statements, "attempted")) == len(by_verb(statements, "completed")) == takes
    assert len(by_verb(statements, "scored")) == cards and len(by_verb(statements, "voided")) == revisions
    assert {"certified": len(by_verb(statements, "passed")), "needs_rework": len(by_verb(statements, "failed"))} \
        == dict(decisions) and decisions
    assert len(by_verb(statements, "promoted")) == exemplars > 0
    assert report.invalid == [] and report.skipped == {}
    assert all(problems(s) == [] for s in statements)
    ids = [s["id"] for s in statements]
    assert len(set(ids)) == len(ids)
    again, _ = all_statements(event)
    assert [s["id"] for s in again] == ids                      # the same fact, the same id
    card = db.execute("SELECT id FROM scorecards LIMIT 1").fetchone()[0]
    assert str(uuid.uuid5(P.STATEMENT_NAMESPACE, f"scored:{card}")) in ids


def test_a_scored_statement_carries_the_scores_the_scorer_and_the_evidence(event):
    statements, _ = all_statements(event)
    card_id, take, scorer, rep = event.db.execute(
        "SELECT c.id, c.recording_id, c.scorer_id, r.rep_id FROM scorecards c JOIN recordings r ON r.id = c.recording_id "
        "WHERE c.supersedes IS NULL LIMIT 1").fetchone()
    s = next(x for x in statements if x["id"] == P.statement_id("scored", card_id))
    rows = event.db.execute("SELECT cr.slug, sc.score, cr.weight, sc.evidence_s FROM scores sc "
                            "JOIN criteria cr ON cr.id = sc.criterion_id WHERE sc.scorecard_id=?", [card_id]).fetchall()
    total = sum(w * v for _s, v, w, _e in rows) / sum(w for _s, _v, w, _e in rows)
    assert s["result"]["score"] == {"scaled": round((total - 1) / 4, 4), "raw": round(total, 4), "min": 1, "max": 5}
    criteria = s["result"]["extensions"][P.EXTENSIONS["criterion-scores"]]
    assert {(c["criterion"], c["score"]) for c in criteria} == {(slug, v) for slug, v, _w, _e in rows}
    evidence = s["result"]["extensions"][P.EXTENSIONS["evidence"]]
    assert {(e["criterion"], e["at_s"]) for e in evidence} == {(slug, round(e, 2)) for slug, _v, _w, e in rows
                                                               if e is not None}
    assert who(event, s["context"]["instructor"]) == scorer
    assert who(event, s["actor"]) == rep
    assert s["context"]["statement"] == {"objectType": "StatementRef", "id": P.statement_id("completed", take)}
    assert s["context"]["registration"] == P.registration(take)


def test_a_revision_voids_the_version_it_supersedes(event):
    statements, _ = all_statements(event)
    new, old = event.db.execute("SELECT id, supersedes FROM scorecards WHERE supersedes IS NOT NULL LIMIT 1").fetchone()
    voiding = next(s for s in statements if s["id"] == P.statement_id("voided", new))
    assert voiding["object"] == {"objectType": "StatementRef", "id": P.statement_id("scored", old)}
    assert "platform" not in voiding.get("context", {})


def test_a_decision_is_passed_or_failed_with_the_certifier_and_the_evidence(event):
    statements, _ = all_statements(event)
    row = event.db.execute("SELECT id, decision, certifier_id, evidence, valid_until, rep_id FROM signoffs "
                           "WHERE decision='certified' LIMIT 1").fetchone()
    s = next(x for x in statements if x["id"] == P.statement_id("decision", row[0]))
    assert s["verb"]["id"] == P.VERBS["passed"] and s["result"]["success"] is True
    assert who(event, s["context"]["instructor"]) == row[2]
    others = {a["id"] for a in s["context"]["contextActivities"]["other"]}
    assert others == {P.activity_id(P.DEFAULT_HOME_PAGE, "takes", t) for t in json.loads(row[3])}
    assert s["result"]["extensions"][P.EXTENSIONS["valid-until"]] == row[4]
    assert s["object"]["definition"]["type"] == P.ACTIVITY_TYPES["program"]
    failed = by_verb(statements, "failed")[0]
    assert failed["result"]["success"] is False


def test_actors_by_email_else_an_account_and_pseudonymised_on_request(event):
    people = PeopleRepo(event)
    rep_id, email = event.db.execute("SELECT id, email FROM people WHERE email IS NOT NULL LIMIT 1").fetchone()
    assert email == email.lower()
    statements, _ = all_statements(event)
    mine = [s for s in by_verb(statements, "attempted") if s["actor"].get("mbox") == f"mailto:{email}"]
    assert mine and mine[0]["actor"]["name"] == people.get(rep_id).name
    hashed, _ = all_statements(event, Identity("https://learning.example.com/rolecall", pseudonymise=True))
    actors = [s["actor"] for s in hashed]
    digest = hashlib.sha1(f"mailto:{email}".encode()).hexdigest()
    assert any(a.get("mbox_sha1sum") == digest for a in actors)
    assert not any("name" in a or "mbox" in a for a in actors)
    assert any(a.get("account", {}).get("homePage") == "https://learning.example.com/rolecall" for a in actors)
    assert all(s["object"]["id"].startswith("https://learning.example.com/rolecall/")
               for s in hashed if s["object"].get("objectType") == "Activity")


def test_a_role_play_names_its_partner_as_the_team(store):
    rep, partner, peer = add_person(store, "Ana Lopez"), add_person(store, "Bo Chen"), add_person(store, "Cy Peer")
    PeopleRepo(store).set_email(rep, " Ana.Lopez@ACME.example.com ")
    exercise, rubric = first_exercise(store, "role-play")
    take = submitted_take(store, rep, exercise, partner)
    score(store, take, peer, rubric, 4, evidence=0.5)
    statements, report = all_statements(store)
    done = next(s for s in statements if s["id"] == P.statement_id("completed", take))
    assert done["actor"]["mbox"] == "mailto:ana.lopez@acme.example.com"
    assert done["context"]["team"] == {"objectType": "Group", "member": [
        {"objectType": "Agent", "name": "Bo Chen", "account": {"homePage": P.DEFAULT_HOME_PAGE, "name": partner}}]}
    assert done["context"]["extensions"][P.EXTENSIONS["exercise-kind"]] == "role-play"
    assert done["result"] == {"duration": "PT1.5S", "completion": True}
    scored = next(s for s in statements if s["verb"]["id"] == P.VERBS["scored"])
    assert scored["result"]["score"]["scaled"] == 0.75
    assert report.invalid == []


def test_export_command_json_jsonl_since_and_team(event, tmp_path):
    out = tmp_path / "all.json"
    result = run_cli(event, "export", "xapi", "--out", str(out))
    assert result.exit_code == 0, result.output
    every = json.loads(out.read_text())
    assert f"Wrote {len(every):,} statements" in result.output
    lines = tmp_path / "all.jsonl"
    assert run_cli(event, "export", "xapi", "--format", "jsonl", "--out", str(lines)).exit_code == 0
    assert [json.loads(x) for x in lines.read_text().splitlines()] == every
    middle = sorted(s["timestamp"] for s in every)[len(every) // 2][:10]
    later = tmp_path / "later.json"
    assert run_cli(event, "export", "xapi", "--since", middle, "--out", str(later)).exit_code == 0
    kept = json.loads(later.read_text())
    assert kept and all(s["timestamp"] >= middle for s in kept)
    assert {s["id"] for s in every if s["timestamp"] >= middle} == {s["id"] for s in kept}
    team = event.db.execute("SELECT team FROM people WHERE role='rep' AND team IS NOT NULL LIMIT 1").fetchone()[0]
    members = {r[0] for r in event.db.execute("SELECT id FROM people WHERE team=?", [team])}
    team_file = tmp_path / "team.json"
    assert run_cli(event, "export", "xapi", "--team", team, "--out", str(team_file)).exit_code == 0
    learners = [s for s in json.loads(team_file.read_text()) if s["verb"]["id"] != P.VERBS["voided"]]
    reps = {who(event, s["actor"]) for s in learners if s["verb"]["id"] != P.VERBS["promoted"]}
    assert learners and reps <= members


def test_export_refuses_bad_options_with_a_clear_message(event, tmp_path):
    result = run_cli(event, "export", "xapi", "--since", "last week")
    assert result.exit_code == 2 and "not a date" in result.output
    result = run_cli(event, "export", "xapi", "--team", "Atlantis")
    assert result.exit_code == 2 and "Atlantis" in result.output
    result = run_cli(event, "export", "xapi", "--home-page", "rolecall")
    assert result.exit_code == 2 and "home page" in result.output


def test_docs_name_every_iri_the_profile_uses():
    text = (REPO / "docs" / "xapi.md").read_text(encoding="utf-8")
    for iri in [*P.VERBS.values(), *P.ACTIVITY_TYPES.values(), *P.EXTENSIONS.values(), P.PROFILE]:
        assert iri in text, f"docs/xapi.md does not describe {iri}"
    code_iris = set(re.findall(r"https://w3id\.org/xapi/rolecall[^\s`'\")|]*", text))
    known = {*P.VERBS.values(), *P.ACTIVITY_TYPES.values(), *P.EXTENSIONS.values(), P.PROFILE}
    assert code_iris <= known, f"docs/xapi.md names IRIs the code does not use: {code_iris - known}"
