"""The command line through click's runner, plus one real process."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli import cli
from conftest import REPO


@pytest.fixture
def run(data_dir):
    runner = CliRunner()

    def invoke(*args, **kwargs):
        return runner.invoke(cli, ["--data-dir", str(data_dir), *args], catch_exceptions=False, **kwargs)
    return invoke


def test_help_lists_the_commands(run):
    result = run("--help")
    assert result.exit_code == 0
    for command in ("import-kit", "people", "kit"):
        assert command in result.output


def test_people_add_and_list(run):
    assert run("people", "add", "Ana Lopez", "--role", "rep", "--team", "North").exit_code == 0
    assert run("sync", "set-key", input="our team key\n").exit_code == 0   # a first certifier: the key confirms
    assert run("people", "add", "Cy Chen", "--role", "certifier", input="our team key\n").exit_code == 0
    as_json = json.loads(run("people", "list", "--format", "json").output)
    assert [(p["name"], p["role"], p["team"]) for p in as_json] == [
        ("Ana Lopez", "rep", "North"), ("Cy Chen", "certifier", None)]
    rows = list(csv.DictReader(io.StringIO(run("people", "list", "--format", "csv").output)))
    assert rows[0]["name"] == "Ana Lopez" and set(rows[0]) == {"id", "name", "role", "team"}
    assert "Ana Lopez" in run("people", "list").output
    duplicate = run("people", "add", "ana lopez", "--role", "rep")
    assert duplicate.exit_code == 1 and "already someone" in duplicate.output
    bad_role = run("people", "add", "Bo", "--role", "boss")
    assert bad_role.exit_code == 2


def test_kit_list_json(run):
    data = json.loads(run("kit", "list", "--format", "json").output)
    assert set(data) >= {"terms", "rubrics", "exercises"}
    assert all(item["id"] for section in data.values() for item in section)
    assert any(e["slug"] == "cold-call" for e in data["exercises"])
    assert "Exercises (5)" in run("kit", "list").output


def test_import_kit_good_and_bad(run, tmp_path):
    good = tmp_path / "kit.yaml"
    good.write_text("vocabulary:\n  - id: mutual-plan\n    term: mutual action plan\n", encoding="utf-8")
    result = run("import-kit", str(good))
    assert result.exit_code == 0 and "1 terms added" in result.output
    again = run("import-kit", str(good))
    assert "nothing changed" in again.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("vocabulary:\n  - id: x\n    term: fine\n    defintion: typo\n", encoding="utf-8")
    result = run("import-kit", str(bad))
    assert result.exit_code == 2
    assert "line 4" in result.output and "did you mean 'definition'" in result.output
    assert "Nothing was imported" in result.output
    terms = json.loads(run("kit", "list", "--format", "json").output)["terms"]
    assert "x" not in {t["slug"] for t in terms}


def test_data_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLECALL_DATA_DIR", str(tmp_path / "env-station"))
    result = CliRunner().invoke(cli, ["people", "add", "Env Person", "--role", "coach"])
    assert result.exit_code == 0
    assert (tmp_path / "env-station" / "rolecall.db").exists()


def test_corrupt_database_message_and_move_aside(run, data_dir):
    (data_dir / "rolecall.db").write_bytes(b"garbage" * 1000)
    result = run("people", "list")
    assert result.exit_code == 1
    assert "damaged" in result.output and "db move-aside" in result.output
    moved = run("db", "move-aside")
    assert moved.exit_code == 0 and list(data_dir.glob("rolecall.db.damaged-*"))
    assert run("people", "list").exit_code == 0


def test_real_process_help_and_no_display(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "ROLECALL_DATA_DIR": str(tmp_path / "s")}
    result = subprocess.run([sys.executable, str(REPO / "main.py"), "--help"], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0 and "import-kit" in result.stdout
    no_display = subprocess.run([sys.executable, str(REPO / "main.py")], capture_output=True, text=True,
                                env=env, timeout=120)
    assert no_display.returncode == 1
    assert "No display found" in no_display.stderr and "Traceback" not in no_display.stderr


def test_damage_past_the_header_is_reported_without_a_traceback(data_dir, tmp_path):
    from store.station import open_station

    store = open_station(data_dir)
    with store.transaction() as db:
        for i in range(400):
            db["people"].insert({**store.record_fields(), "name": f"Person {i} " + "x" * 400,
                                 "role": "rep"})
    store.close()
    path = data_dir / "rolecall.db"
    blob = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, len(blob) - page, page):   # wreck every page after the schema
        blob[offset:offset + 100] = b"\xff" * 100
    path.write_bytes(bytes(blob))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    listed = subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(data_dir),
                             "people", "list"], capture_output=True, text=True, env=env, timeout=120)
    assert listed.returncode == 1 and "Traceback" not in listed.stderr
    assert "db move-aside" in listed.stderr
    checked = subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(data_dir),
                              "db", "check"], capture_output=True, text=True, env=env, timeout=120)
    assert checked.returncode == 1 and "damaged" in checked.stderr and "Traceback" not in checked.stderr
