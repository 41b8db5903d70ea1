"""`rolecall export certifications` and `rolecall people set-pin`."""
import csv
import io
import json

from click.testing import CliRunner

from cli import cli
from cli.export_certifications import COLUMNS
from store.certification import CertificationRepo
from store.pins import PinRepo, verify_hash
from store.sync.keys import save_key
from test_certif_support import PROGRAM, cast, crit


def _run(data_dir, *args, **kw):
    return CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], catch_exceptions=False, **kw)


def test_set_pin_from_file_and_prompt(store, tmp_path):
    people, _ = cast(store)
    pin_file = tmp_path / "pin"
    pin_file.write_text("482117\n")
    save_key(store.data_dir, "our team's sync key")          # the first PIN here: the team key confirms
    result = _run(store.data_dir, "people", "set-pin", "Eve", "--pin-file", str(pin_file),
                  input="our team's sync key\n")
    assert result.exit_code == 0 and "PIN set for Eve" in result.output
    stored = store.db.execute("SELECT h.pin_hash FROM pin_hashes h JOIN people p ON p.id = h.person_id "
                              "WHERE p.name='Eve'").fetchone()[0]
    assert verify_hash("482117", stored) and "482117" not in stored
    result = _run(store.data_dir, "people", "set-pin", "Flo", input="917344\n917344\n")
    assert result.exit_code == 1 and "only certifiers have a PIN" in result.output
    changed = _run(store.data_dir, "people", "set-pin", "Eve", input="482117\n917344\n917344\n")
    assert changed.exit_code == 0 and "917344" not in changed.output
    assert _run(store.data_dir, "people", "set-pin", "Eve", input="917344\n12\n12\n").exit_code == 1
    assert _run(store.data_dir, "people", "set-pin", "Nobody", input="123456\n123456\n").exit_code == 1


def test_export_certifications_csv_and_json(store, tmp_path):
    people, takes = cast(store)
    PinRepo(store).set_pin(people["Eve"].id, "739184")
    repo = CertificationRepo(store)
    repo.decide(certifier_id=people["Eve"].id, pin="739184", rep_id=people["Ana"].id, program_key=PROGRAM,
                decision="certified")
    repo.decide(certifier_id=people["Eve"].id, pin="739184", rep_id=people["Ben"].id, program_key=PROGRAM,
                decision="needs_rework", reasons={crit("messaging-pillars"): "One pillar missing."})
    result = _run(store.data_dir, "export", "certifications")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert tuple(rows[0].keys()) == COLUMNS == ("rep", "team", "program", "decision", "decided_at",
                                                 "certifier", "valid_until", "evidence_recordings")
    assert [(r["rep"], r["team"], r["decision"], r["certifier"]) for r in rows] == [
        ("Ana", "North", "certified", "Eve"), ("Ben", "South", "needs_rework", "Eve")]
    assert rows[0]["program"] == PROGRAM and rows[0]["evidence_recordings"] == takes["Ana"]
    assert rows[0]["valid_until"] and not rows[1]["valid_until"]
    out = tmp_path / "c.json"
    assert _run(store.data_dir, "export", "certifications", "--format", "json", "--out", str(out)).exit_code == 0
    data = json.loads(out.read_text())
    assert data[0]["evidence_recordings"] == [takes["Ana"]] and set(data[0]) == set(COLUMNS)


def test_kit_list_json_has_the_programs(store):
    data = json.loads(_run(store.data_dir, "kit", "list", "--format", "json").output)
    programs = {p["slug"]: p for p in data["programs"]}
    program = programs["new-messaging-certification"]
    assert program["id"] and program["pass_threshold"] == 3.5 and program["valid_days"] == 180
    assert program["min_scorecards"] == 2 and len(program["required_criteria"]) == 1
