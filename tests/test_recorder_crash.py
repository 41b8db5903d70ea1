"""kill -9 of a recording process: the fragmented MP4 opens and holds the take up to ~2 s of the kill."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from recorder.probe import probe

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data"

CHILD = """
import sys, threading
from recorder.camera import CameraSource
from recorder.microphone import MicrophoneSource
from recorder.take import TakeRecorder
out, status, cam, mic = sys.argv[1:5]
rec = TakeRecorder(out, CameraSource(cam, loop=True), MicrophoneSource(mic, loop=True))
rec.start()
tick = threading.Event()
while True:
    with open(status + '.tmp', 'w') as f:
        f.write(f'{rec.elapsed:.3f}')
    import os; os.replace(status + '.tmp', status)
    tick.wait(0.05)
"""


@pytest.mark.parametrize("kill_after", [1.5, 4.0])
def test_kill_9_mid_take_leaves_a_playable_file(tmp_path, kill_after):
    out, status = tmp_path / "take.mp4", tmp_path / "elapsed"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(out), str(status),
                             str(DATA / "rec_camera_320x240_30fps.mp4"),
                             str(DATA / "speech" / "rec_teachback.wav")],
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stderr=subprocess.PIPE, text=True)
    pause = threading.Event()
    elapsed = 0.0
    try:
        while elapsed < kill_after:
            assert proc.poll() is None, proc.stderr.read()
            pause.wait(0.02)
            if status.exists():
                elapsed = float(status.read_text() or 0)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    info = probe(out, allow_empty=True)         # opens: header and every finished fragment
    assert info.duration >= elapsed - 2.0, (info.duration, elapsed)
    if elapsed > 2.5:
        assert info.has_video and info.has_audio
        assert abs(info.video.end - info.audio.end) < 1.1   # each is cut at a fragment boundary
    assert info.duration <= elapsed + 0.2
