"""`rolecall record` and `rolecall import` through click's CliRunner on a real station."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from recorder.probe import probe

DATA = Path(__file__).parent / "data"
CAMERA = str(DATA / "rec_camera_320x240_30fps.mp4")
SPEECH = str(DATA / "speech" / "rec_teachback.wav")


@pytest.fixture
def station(tmp_path):
    data_dir = tmp_path / "station"
    runner = CliRunner()
    out = runner.invoke(cli, ["--data-dir", str(data_dir), "people", "add", "Dana Rep", "--role", "rep"])
    assert out.exit_code == 0, out.output

    def run(*args):
        return runner.invoke(cli, ["--data-dir", str(data_dir), *args], catch_exceptions=False)
    run.data_dir = data_dir
    return run


def rows(data_dir):
    import sqlite3
    con = sqlite3.connect(data_dir / "rolecall.db")
    try:
        return con.execute("SELECT id, status, source, duration_s, has_video, has_audio, media_path, "
                           "media_sha256 FROM recordings ORDER BY created_at").fetchall()
    finally:
        con.close()


def jobs(data_dir):
    import sqlite3
    con = sqlite3.connect(data_dir / "rolecall.db")
    try:
        return con.execute("SELECT recording_id, status FROM transcription_jobs").fetchall()
    finally:
        con.close()


def test_record_stores_a_submitted_take_and_prints_id_and_file(station, tmp_path):
    out_file = tmp_path / "out" / "take.mp4"
    res = station("record", "--camera", CAMERA, "--mic", SPEECH, "--seconds", "1.5", "--rep", "Dana Rep",
                  "--exercise", "teach-back-reframing", "--out", str(out_file))
    assert res.exit_code == 0, res.output
    (rid, status, source, duration, has_v, has_a, media, sha), = rows(station.data_dir)
    assert f"Recording {rid}" in res.output and f"File {out_file}" in res.output
    assert status == "submitted" and source == "station" and has_v and has_a
    assert media == str(out_file) and duration == pytest.approx(1.5, abs=0.1)
    info = probe(out_file)
    assert abs(info.video.end - info.audio.end) < 0.1
    assert jobs(station.data_dir) == [(rid, "queued")]


def test_record_audio_only_into_the_media_folder(station):
    res = station("record", "--camera", "none", "--mic", SPEECH, "--seconds", "1", "--rep", "Dana Rep",
                  "--exercise", "cold-call", "--keep-open")
    assert res.exit_code == 0, res.output
    (_, status, _, _, has_v, has_a, media, _), = rows(station.data_dir)
    assert status == "take" and not has_v and has_a and media.startswith("media/")
    assert probe(station.data_dir / media).has_audio


@pytest.mark.parametrize("camera,mic,needle", [
    ("7", "none", "No camera could be opened for '7'"),
    ("none", "none", "Neither a camera nor a microphone"),
    (CAMERA, "/nonexistent/mic.wav", "No microphone could be opened"),
])
def test_record_device_errors_exit_non_zero_and_store_nothing(station, camera, mic, needle):
    res = station("record", "--camera", camera, "--mic", mic, "--seconds", "1", "--rep", "Dana Rep",
                  "--exercise", "cold-call")
    assert res.exit_code != 0 and needle in res.output
    assert rows(station.data_dir) == []


def test_record_unknown_rep_or_exercise(station):
    res = station("record", "--camera", CAMERA, "--mic", "none", "--seconds", "1", "--rep", "Nobody",
                  "--exercise", "cold-call")
    assert res.exit_code != 0 and "Nobody" in res.output
    res = station("record", "--camera", CAMERA, "--mic", "none", "--seconds", "1", "--rep", "Dana Rep",
                  "--exercise", "no-such-thing")
    assert res.exit_code != 0 and "teach-back-reframing" in res.output


def test_import_copies_h264_aac_mp4_as_it_is(station):
    res = station("import", CAMERA, "--rep", "Dana Rep", "--exercise", "cold-call")
    assert res.exit_code == 0, res.output
    assert "copied as it is: H.264 video, no sound in MP4" in res.output
    assert "It has no sound" in res.output
    (_, status, source, duration, has_v, has_a, media, sha), = rows(station.data_dir)
    assert source == "import" and status == "submitted" and has_v and not has_a
    assert (station.data_dir / media).read_bytes() == Path(CAMERA).read_bytes()
    assert duration == pytest.approx(6.0, abs=0.05)


def test_import_reencodes_other_media(station, tmp_path):
    res = station("import", SPEECH, "--rep", "Dana Rep", "--exercise", "cold-call")
    assert res.exit_code == 0, res.output
    assert "re-encoded" in res.output
    (rid, status, _, duration, has_v, has_a, media, _), = rows(station.data_dir)
    info = probe(station.data_dir / media)
    assert info.is_h264_aac_mp4 and info.has_audio and not info.has_video
    assert duration == pytest.approx(9.05, abs=0.1)
    assert jobs(station.data_dir) == [(rid, "queued")]


def test_import_reencodes_a_video_with_sound(station, tmp_path):
    import subprocess
    src = tmp_path / "phone.mkv"   # not H.264/AAC MP4: MPEG-4 part 2 video + PCM audio in Matroska
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", CAMERA, "-i", SPEECH, "-t", "3", "-c:v", "mpeg4",
                    "-c:a", "pcm_s16le", str(src)], check=True)
    res = station("import", str(src), "--rep", "Dana Rep", "--exercise", "cold-call")
    assert res.exit_code == 0, res.output
    (_, _, _, duration, has_v, has_a, media, _), = rows(station.data_dir)
    info = probe(station.data_dir / media)
    assert info.is_h264_aac_mp4 and has_v and has_a
    assert abs(info.video.end - info.audio.end) < 0.1 and duration == pytest.approx(3.0, abs=0.1)


@pytest.mark.parametrize("content", [b"", b"hello, this is not a video\n" * 50, bytes(range(256)) * 40])
def test_import_refuses_non_media_and_stores_nothing(station, tmp_path, content):
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(content)
    res = station("import", str(bad), "--rep", "Dana Rep", "--exercise", "cold-call")
    assert res.exit_code != 0 and "Nothing was stored" in res.output
    assert rows(station.data_dir) == []
    assert not list((station.data_dir / "media").rglob("*.mp4"))
    assert not list((station.data_dir / "media").rglob("*.part"))


def test_list_devices_shows_what_portaudio_sees(station, virtual_mic):
    res = station("record", "--list-devices")
    assert res.exit_code == 0 and "Cameras" in res.output
    mics = res.output.split("Microphones:")[1]
    assert f"  {virtual_mic.device} (" in mics                 # the virtual microphone, by name
    assert rows(station.data_dir) == []
