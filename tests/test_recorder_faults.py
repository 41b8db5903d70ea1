"""Faults during a take: a camera that stops, freezes or blocks; a microphone that goes quiet; a full
disk; missing devices. The camera is a real OpenCV capture of a video file with the fault wrapped around it.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import cv2
import pytest

from recorder.camera import CameraSource
from recorder.errors import (NoCameraError, NoMicrophoneError, NoPortAudioError, NothingToRecordError)
from recorder.microphone import MicrophoneSource
from recorder.probe import decode_audio, probe
from recorder.take import TakeRecorder

DATA = Path(__file__).parent / "data"
CAMERA_FILE = DATA / "rec_camera_320x240_30fps.mp4"
SPEECH_WAV = DATA / "speech" / "rec_teachback.wav"


class FaultyCapture:
    """A real cv2.VideoCapture on the file that misbehaves after ``good`` frames."""

    def __init__(self, fault: str, good: int, release_event: threading.Event | None = None):
        self.cap = cv2.VideoCapture(str(CAMERA_FILE))
        self.fault, self.good, self.reads = fault, good, 0
        self.release_event = release_event or threading.Event()
        self.last = None

    def isOpened(self):
        return self.cap.isOpened()

    def get(self, prop):
        return self.cap.get(prop)

    def set(self, prop, value):
        return self.cap.set(prop, value)

    def release(self):
        self.cap.release()

    def read(self):
        self.reads += 1
        if self.reads <= self.good:
            ok, img = self.cap.read()
            self.last = img
            return ok, img
        if self.fault == "stop":
            return False, None
        if self.fault == "freeze":
            self.cap.read()        # time still passes at the file's pace
            return True, self.last.copy()
        self.release_event.wait()  # "block": stuck in the driver until the test ends
        return False, None


def run_take(tmp_path, camera, microphone, until, **kw):
    warnings = []
    rec = TakeRecorder(tmp_path / "take.mp4", camera, microphone, on_warning=warnings.append, **kw)
    rec.start()
    done = threading.Event()
    while not until(rec):           # wait for the condition the test is about, then a little more
        done.wait(0.05)
    done.wait(0.5)
    return rec.stop(), warnings


def camera_gap_open(rec):
    return any(g.source == "camera" for g in rec.gaps)


@pytest.mark.parametrize("fault,reason", [("stop", "stopped"), ("freeze", "frozen"), ("block", "blocked")])
def test_camera_fault_is_noticed_and_audio_continues(tmp_path, fault, reason):
    unblock = threading.Event()
    cam = CameraSource("faulty.mp4", capture_factory=lambda spec: FaultyCapture(fault, 20, unblock))
    cam.is_file  # noqa: B018 - the spec is a "file": pacing comes from the wrapped file
    try:
        result, warnings = run_take(tmp_path, cam, MicrophoneSource(SPEECH_WAV), camera_gap_open)
    finally:
        unblock.set()
    gaps = [g for g in result.gaps if g.source == "camera"]
    assert len(gaps) == 1 and gaps[0].reason == reason
    assert gaps[0].noticed - gaps[0].start <= 2.0           # the watchdog's promise
    assert 0.4 <= gaps[0].start <= 1.5                       # 20 good frames at 30 fps (~0.67 s)
    # the gap runs to the end of the take (closed at stop; on a loaded machine the stop lands a few
    # frames after the last sample written, so this is "at the end", not a timing check)
    assert gaps[0].end == pytest.approx(result.duration, abs=0.3)
    assert any("camera" in w.lower() for w in warnings)
    info = probe(result.path)
    assert info.has_video and info.has_audio
    assert info.audio.end >= gaps[0].noticed                # the microphone kept recording
    assert result.stop_reason == "stopped"


def test_microphone_that_goes_quiet_leaves_a_gap_filled_with_silence(tmp_path):
    import wave
    samples = decode_audio(SPEECH_WAV, 16000)[:8000]         # half a second of speech, then nothing
    short = tmp_path / "short.wav"
    with wave.open(str(short), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes((samples * 32767).astype("<i2").tobytes())
    result, warnings = run_take(tmp_path, CameraSource(CAMERA_FILE), MicrophoneSource(short),
                                lambda rec: any(g.source == "microphone" for g in rec.gaps))
    gap = next(g for g in result.gaps if g.source == "microphone")
    assert gap.reason == "no sound" and 0.3 <= gap.start <= 0.8
    assert gap.noticed - gap.start <= 2.0
    assert any("microphone" in w.lower() for w in warnings)
    info = probe(result.path)
    assert abs(info.audio.end - info.video.end) < 0.1       # the audio track runs to the end anyway


def _mount_tmpfs(path: Path, size: str) -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    path.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


def test_disk_full_stops_cleanly_and_keeps_what_was_written(tmp_path):
    disk = tmp_path / "small"
    if not _mount_tmpfs(disk, "256k"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs as root and must be able to mount a small tmpfs")
        pytest.skip("needs root to mount a small tmpfs")
    try:
        (disk / "filler").write_bytes(b"\0" * (256 * 1024 - 96 * 1024))   # leave ~96 KiB free
        finished = []
        rec = TakeRecorder(disk / "take.mp4", CameraSource(CAMERA_FILE, loop=True),
                           MicrophoneSource(SPEECH_WAV, loop=True), on_finished=finished.append)
        rec.start()
        result = rec.wait(timeout=120)
        assert result is not None, "the take never hit the full disk"
        assert result.stop_reason == "disk_full"
        assert "disk is full" in result.message and str(disk / "take.mp4") in result.message
        assert finished == [result]
        info = probe(result.path)                        # what was written before the disk filled
        assert info.has_video and info.duration > 0.5
        assert result.size == (disk / "take.mp4").stat().st_size > 0
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_no_camera_no_microphone_clear_messages(tmp_path):
    with pytest.raises(NoCameraError, match="/dev/video97"):
        CameraSource("/dev/video97").open()
    with pytest.raises(NoCameraError, match="camera 'none'"):
        CameraSource(97).open()
    with pytest.raises(NoCameraError, match="No camera"):
        CameraSource(tmp_path / "missing.mp4").open()
    with pytest.raises(NoCameraError):
        CameraSource("Imaginary Webcam 3000").open()
    with pytest.raises(NoMicrophoneError, match="could not be read"):
        MicrophoneSource(tmp_path / "missing.wav").open()
    with pytest.raises(NothingToRecordError):
        TakeRecorder(tmp_path / "x.mp4", None, None)
    # a take that cannot open its camera leaves nothing running and no file behind
    with pytest.raises(NoCameraError):
        TakeRecorder(tmp_path / "y.mp4", CameraSource(97), MicrophoneSource(SPEECH_WAV)).start()
    assert not (tmp_path / "y.mp4").exists()


def test_unknown_microphone_name_lists_what_exists():
    pytest.importorskip("sounddevice")
    with pytest.raises(NoMicrophoneError, match="Imaginary Mic"):
        MicrophoneSource("Imaginary Mic").open()


def test_no_portaudio_gives_install_advice(tmp_path):
    """A process where PortAudio cannot be loaded (sounddevice's import fails like it does then)."""
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "sounddevice.py").write_text("raise OSError('PortAudio library not found')\n")
    code = ("from recorder.microphone import MicrophoneSource\n"
            "from recorder.errors import NoPortAudioError\n"
            "try:\n    MicrophoneSource('default').open()\n"
            "except NoPortAudioError as e:\n    print('CLEAR:', e)\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(fake), str(Path(__file__).parents[1])]))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "CLEAR:" in out.stdout and "libportaudio2" in out.stdout, out.stderr
    assert NoPortAudioError  # the class the UI and CLI catch
