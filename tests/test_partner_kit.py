"""Partner kit: export a program with its exemplar takes, import it into a fresh station (CLI)."""
import json
import shutil

from click.testing import CliRunner

from cli import cli
from conftest import DATA
from store.clock import kit_id
from store.kit import KitRepo
from store.station import open_station
from store.transcripts import TranscriptRepo
from test_certif_support import EXERCISE, add_take, add_transcript, cast


def _exemplar(store, recording_id, reason="All three pillars, tied to the buyer."):
    with store.transaction() as db:
        f = store.record_fields()
        exercise = db.execute("SELECT exercise_id FROM recordings WHERE id=?", [recording_id]).fetchone()[0]
        db["exemplars"].insert({**f, "updated_at": f["created_at"], "recording_id": recording_id,
                                "exercise_id": exercise, "reason": reason})


def _run(data_dir, *args):
    return CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], catch_exceptions=False)


def test_round_trip_into_a_fresh_station(store, tmp_path):
    people, takes = cast(store)
    media = store.data_dir / "media" / "ana.mp4"
    shutil.copy(DATA / "rec_camera_320x240_30fps.mp4", media)
    rid = add_take(store, people["Ana"].id, media_path="media/ana.mp4")
    add_transcript(store, rid)
    _exemplar(store, rid)
    other = add_take(store, people["Ben"].id, exercise_id=kit_id("exercise", "cold-call"))
    _exemplar(store, other, "not part of the program")
    out = tmp_path / "partner"
    result = _run(store.data_dir, "export", "partner-kit", "new-messaging-certification", "--out", str(out),
                  "--with-names")
    assert result.exit_code == 0, result.output
    assert "1 exemplar take" in result.output
    manifest = json.loads((out / "exemplars.json").read_text())
    assert [e["recording_id"] for e in manifest["exemplars"]] == [rid]
    assert (out / manifest["exemplars"][0]["media"]).read_bytes() == media.read_bytes()

    fresh = tmp_path / "partner-station"
    result = _run(fresh, "import-kit", str(out))
    assert result.exit_code == 0, result.output
    assert "1 exemplar take(s) imported" in result.output
    theirs = open_station(fresh)
    try:
        program = next(p for p in KitRepo(theirs).programs() if p["slug"] == "new-messaging-certification")
        assert program["exercises"] == [EXERCISE] and program["valid_days"] == 180
        assert program["required_criteria"] == {kit_id("criterion", "new-messaging/messaging-pillars"): 4}
        rec = theirs.db.execute("SELECT exercise_id, source, media_path, status FROM recordings WHERE id=?",
                                [rid]).fetchone()
        assert rec[0] == EXERCISE and rec[1] == "partner-kit" and rec[3] == "submitted"
        assert (theirs.data_dir / rec[2]).read_bytes() == media.read_bytes()
        transcripts = TranscriptRepo(theirs)
        t = transcripts.latest_transcript(rid)
        assert t["text"].startswith("Our new messaging")
        assert len(transcripts.segments(t["id"])[0]["words"]) == 6
        assert [h["term"] for h in transcripts.term_hits(t["id"])] == ["new messaging"]
        reason = theirs.db.execute("SELECT reason FROM exemplars WHERE recording_id=?", [rid]).fetchone()[0]
        assert "Ana" in reason and "pillars" in reason
        from store.scores import ScoreRepo   # the exemplar library the Record and Coach pages show (#5)
        library = ScoreRepo(theirs).exemplars(EXERCISE)
        assert [x["recording_id"] for x in library] == [rid] and library[0]["media_path"] == rec[2]
    finally:
        theirs.close()
    again = _run(fresh, "import-kit", str(out))
    assert "0 exemplar take(s) imported, 1 already here" in again.output


def test_damaged_media_is_refused(store, tmp_path):
    people, _ = cast(store)
    shutil.copy(DATA / "rec_camera_320x240_30fps.mp4", store.data_dir / "media" / "a.mp4")
    rid = add_take(store, people["Ana"].id, media_path="media/a.mp4")
    _exemplar(store, rid)
    out = tmp_path / "pk"
    assert _run(store.data_dir, "export", "partner-kit", "new-messaging-certification", "--out", str(out)).exit_code == 0
    assert json.loads((out / "exemplars.json").read_text())["exemplars"][0]["rep"] is None   # no names by default
    media = next((out / "media").iterdir())
    media.write_bytes(media.read_bytes()[:-10])
    result = _run(tmp_path / "fresh", "import-kit", str(out))
    assert result.exit_code == 1 and "checksum differs" in result.output
    theirs = open_station(tmp_path / "fresh")
    try:
        assert theirs.db.execute("SELECT count(*) FROM recordings").fetchone()[0] == 0
    finally:
        theirs.close()


def test_unknown_program_and_non_empty_folder(store, tmp_path):
    assert _run(store.data_dir, "export", "partner-kit", "nope", "--out", str(tmp_path / "x")).exit_code == 1
    assert not (tmp_path / "x").exists()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "f").write_text("x")
    result = _run(store.data_dir, "export", "partner-kit", "new-messaging-certification", "--out", str(tmp_path / "full"))
    assert result.exit_code == 1 and "not an empty folder" in result.output


def test_manifest_cannot_point_outside_the_folder(store, tmp_path):
    people, _ = cast(store)
    shutil.copy(DATA / "rec_camera_320x240_30fps.mp4", store.data_dir / "media" / "a.mp4")
    rid = add_take(store, people["Ana"].id, media_path="media/a.mp4")
    _exemplar(store, rid)
    out = tmp_path / "pk"
    _run(store.data_dir, "export", "partner-kit", "new-messaging-certification", "--out", str(out))
    manifest = json.loads((out / "exemplars.json").read_text())
    manifest["exemplars"][0]["media"] = "../../station/media/a.mp4"
    (out / "exemplars.json").write_text(json.dumps(manifest))
    result = _run(tmp_path / "fresh", "import-kit", str(out))
    assert result.exit_code == 1 and "missing from the kit folder" in result.output


def test_export_never_copies_a_file_a_synced_row_names(store, tmp_path):
    """A take whose media_path says "rolecall.db" (as a hostile batch could before #12) is not exported
    with the station's database inside the kit: the file is looked up as sync looks it up."""
    people, _ = cast(store)
    rid = add_take(store, people["Ana"].id, media_path="rolecall.db")
    _exemplar(store, rid)
    result = _run(store.data_dir, "export", "partner-kit", "new-messaging-certification",
                  "--out", str(tmp_path / "partner"))
    assert result.exit_code != 0
    assert "missing" in result.output
    assert not any(p.read_bytes()[:16] == b"SQLite format 3\x00"
                   for p in tmp_path.rglob("*") if p.is_file() and "partner" in str(p))
