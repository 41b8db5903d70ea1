"""Issue #12, station side: a partner kit folder can never replace, reach or break a station's files."""
from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest
from click.testing import CliRunner

from cli import cli
from conftest import DATA
from store.station import open_station
from test_certif_support import add_take, add_transcript, cast

VIDEO = DATA / "rec_camera_320x240_30fps.mp4"


def _run(data_dir, *args):
    return CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], catch_exceptions=False)


@pytest.fixture
def kit(store, tmp_path):
    """A partner kit folder exported from a station: one exemplar take with its transcript."""
    people, _ = cast(store)
    shutil.copy(VIDEO, store.data_dir / "media" / "take.mp4")
    rid = add_take(store, people["Ana"].id, media_path="media/take.mp4")
    add_transcript(store, rid)
    with store.transaction() as db:
        f = store.record_fields()
        db["exemplars"].insert({**f, "updated_at": f["created_at"], "recording_id": rid,
                                "exercise_id": db.execute("SELECT exercise_id FROM recordings WHERE id=?",
                                                          [rid]).fetchone()[0], "reason": "best"})
    out = tmp_path / "kit-a"
    assert _run(store.data_dir, "export", "partner-kit", "new-messaging-certification", "--out", str(out)).exit_code == 0
    return out


def _manifest(folder):
    return json.loads((folder / "exemplars.json").read_text())


def _write(folder, manifest):
    (folder / "exemplars.json").write_text(json.dumps(manifest))


def _other_kit(kit, tmp_path, name, content: bytes, new_ids=True):
    """A copy of ``kit`` whose take has other bytes under the same file name (and other ids)."""
    other = tmp_path / name
    shutil.copytree(kit, other)
    m = _manifest(other)
    e = m["exemplars"][0]
    (other / e["media"]).write_bytes(content)
    e["sha256"] = hashlib.sha256(content).hexdigest()
    if new_ids:
        e["recording_id"], e["exemplar_id"], e["transcript"] = f"{name}-take", f"{name}-exemplar", None
    _write(other, m)
    return other


def _stored(station):
    s = open_station(station)
    try:
        rows = s.db.execute("SELECT id, media_path, media_sha256 FROM recordings ORDER BY id").fetchall()
        return {rid: (path, sha, hashlib.sha256((station / path).read_bytes()).hexdigest()) for rid, path, sha in rows}
    finally:
        s.close()


def test_two_kits_with_the_same_file_name_keep_both_files(kit, tmp_path):
    b = _other_kit(kit, tmp_path, "kit-b", VIDEO.read_bytes()[:-100] + b"B" * 100)
    station = tmp_path / "partner"
    assert _run(station, "import-kit", str(kit)).exit_code == 0
    assert _run(station, "import-kit", str(b)).exit_code == 0
    stored = _stored(station)
    assert len(stored) == 2 and len({path for path, _, _ in stored.values()}) == 2
    assert all(sha == actual for _, sha, actual in stored.values())          # each take kept its own bytes


def test_same_content_is_stored_once_and_a_different_file_is_never_replaced(kit, tmp_path):
    again = _other_kit(kit, tmp_path, "kit-again", VIDEO.read_bytes())
    station = tmp_path / "partner"
    assert _run(station, "import-kit", str(kit)).exit_code == 0
    assert _run(station, "import-kit", str(again)).exit_code == 0
    assert len({path for path, _, _ in _stored(station).values()}) == 1
    content = b"C" * 5000
    c = _other_kit(kit, tmp_path, "kit-c", content)
    squatter = station / "media" / "partner" / f"{hashlib.sha256(content).hexdigest()}.mp4"
    squatter.write_bytes(b"something else")
    result = _run(station, "import-kit", str(c))
    assert result.exit_code == 1 and "already here with other content" in result.output
    assert squatter.read_bytes() == b"something else" and "kit-c-take" not in _stored(station)


def test_links_out_of_the_folder_or_into_the_data_folder_are_refused(kit, tmp_path):
    station = tmp_path / "partner"
    assert _run(station, "people", "list").exit_code == 0            # the station exists
    media = kit / _manifest(kit)["exemplars"][0]["media"]
    secret = tmp_path / "secret.mp4"
    secret.write_bytes(media.read_bytes())
    media.unlink()
    os.symlink(secret, media)                                        # a link out of the kit folder
    result = _run(station, "import-kit", str(kit))
    assert result.exit_code == 1 and "missing from the kit folder" in result.output
    inside = station / "kit-inside"                                  # the whole kit inside the data folder
    shutil.copytree(kit, inside, symlinks=False)
    result = _run(station, "import-kit", str(inside))
    assert result.exit_code == 1 and "inside this station's data folder" in result.output
    assert _stored(station) == {}


BAD_ENTRIES = [
    ("not an object", "take", "must be a JSON object"),
    ("path as id", {"recording_id": "../../etc/x"}, "recording_id must be an id"),
    ("sha not hex", {"sha256": "zz"}, "sha256 must be 64"),
    ("media not text", {"media": 5}, "media must be text"),
    ("flag not bool", {"has_video": "yes"}, "has_video must be true or false"),
    ("nan duration", {"duration_s": float("nan")}, "duration_s must be a finite number"),
]


@pytest.mark.parametrize("name,change,says", BAD_ENTRIES, ids=[c[0] for c in BAD_ENTRIES])
def test_a_malformed_exemplar_is_skipped_with_a_reason(kit, tmp_path, name, change, says):
    m = _manifest(kit)
    m["exemplars"][0] = change if not isinstance(change, dict) else {**m["exemplars"][0], **change}
    _write(kit, m)
    result = _run(tmp_path / "partner", "import-kit", str(kit))
    assert result.exit_code == 1 and says in result.output and "exemplars.json" in result.output
    assert _stored(tmp_path / "partner") == {}


def test_malformed_manifests_and_transcripts_give_reasons_not_tracebacks(kit, tmp_path):
    m = _manifest(kit)
    transcript = kit / m["exemplars"][0]["transcript"]
    good = json.loads(transcript.read_text())
    station = tmp_path / "partner"
    for body, says in ((json.dumps(good | {"segments": [{"idx": 0, "start_s": 0, "end_s": 1, "text": {"x": 1}}]}),
                        "segment 1: text must be text"),
                       (json.dumps(good | {"segments": good["segments"] * 2}), "idx must be a new whole number"),
                       ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
                       ("{", "not valid JSON: Expecting property name")):
        transcript.write_text(body)
        result = _run(station, "import-kit", str(kit))
        assert result.exit_code == 1 and says in result.output, (says, result.output)
    transcript.write_text(json.dumps(good))
    for manifest, says in (([1, 2], "not a Rolecall partner kit"),
                           ({"format": "rolecall-partner-kit/1", "exemplars": {"a": 1}}, "'exemplars' must be a list")):
        (kit / "exemplars.json").write_text(json.dumps(manifest))
        result = _run(station, "import-kit", str(kit))
        assert result.exit_code == 1 and says in result.output
    (kit / "exemplars.json").write_text("[" * 100_000 + "]" * 100_000)
    result = _run(station, "import-kit", str(kit))
    assert result.exit_code == 1 and "nested too deeply" in result.output
    assert _stored(station) == {}


def test_an_id_already_used_here_skips_that_take(kit, tmp_path):
    m = _manifest(kit)
    station = tmp_path / "partner"
    assert _run(station, "import-kit", str(kit)).exit_code == 0
    second = _other_kit(kit, tmp_path, "kit-d", b"D" * 4000)
    md = _manifest(second)
    md["exemplars"][0]["exemplar_id"] = m["exemplars"][0]["exemplar_id"]        # clashes with the first
    _write(second, md)
    result = _run(station, "import-kit", str(second))
    assert result.exit_code == 1 and "an id may already be in use here" in result.output
    assert list(_stored(station)) == [m["exemplars"][0]["recording_id"]]


def test_a_partner_kit_does_not_quietly_change_this_stations_program(store, tmp_path):
    with store.transaction() as db:             # their version of the program everyone has by default
        db.execute("UPDATE programs SET pass_threshold=1.0, min_scorecards=1 WHERE slug='new-messaging-certification'")
    out = tmp_path / "theirs"
    assert _run(store.data_dir, "export", "partner-kit", "new-messaging-certification", "--out", str(out)).exit_code == 0
    station = tmp_path / "ours"
    refused = CliRunner().invoke(cli, ["--data-dir", str(station), "import-kit", str(out)])
    assert refused.exit_code == 2 and "--update-existing" in refused.output
    assert "programs 'new-messaging-certification': pass_threshold, min_scorecards" in refused.output
    ours = open_station(station)
    try:
        row = ours.db.execute("SELECT pass_threshold, min_scorecards FROM programs "
                              "WHERE slug='new-messaging-certification'").fetchone()
        assert row == (3.5, 2)
    finally:
        ours.close()
    accepted = _run(station, "import-kit", str(out), "--update-existing")
    assert accepted.exit_code == 0 and "1 programs updated" in accepted.output
