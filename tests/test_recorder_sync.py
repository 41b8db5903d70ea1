"""Audio and video stay in sync: a camera file with white flashes and a microphone file with beeps at the
same moments are recorded; in the take, each beep starts within about a frame of its flash."""
from __future__ import annotations

import subprocess
import threading

import av
import numpy as np
import pytest

from recorder.camera import CameraSource
from recorder.microphone import MicrophoneSource
from recorder.take import TakeRecorder

EVENTS = (1.0, 3.0, 5.0)   # seconds into the source files
LIT = "+".join(f"between(t,{t},{t + 0.1})" for t in EVENTS)


@pytest.fixture(scope="module")
def flash_and_beep(tmp_path_factory):
    d = tmp_path_factory.mktemp("sync")
    video, audio = d / "flash.mp4", d / "beep.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"color=c=black:s=320x240:r=30:d=6,drawbox=enable='{LIT}':color=white:t=fill",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "30", str(video)], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"aevalsrc='if({LIT}, 0.8*sin(2*PI*1000*t), 0)':s=16000:d=6", str(audio)], check=True)
    return video, audio


def onsets_video(path) -> list[float]:
    times, lit = [], False
    with av.open(str(path)) as c:
        for frame in c.decode(video=0):
            bright = frame.to_ndarray(format="gray").mean() > 128
            if bright and not lit:
                times.append(float(frame.time))
            lit = bright
    return times


def onsets_audio(path) -> list[float]:
    with av.open(str(path)) as c:
        stream = c.streams.audio[0]
        chunks, start = [], None
        for frame in c.decode(stream):
            if start is None:
                start = float(frame.time)
            chunks.append(frame.to_ndarray().reshape(-1))
        rate = stream.codec_context.sample_rate
    loud = np.abs(np.concatenate(chunks)) > 0.2
    edges = np.flatnonzero(loud[1:] & ~loud[:-1]) + 1
    times, last = [], -1.0
    for i in edges:
        t = start + i / rate
        if t - last > 0.5:
            times.append(t)
        last = t
    return times


def test_beeps_start_with_their_flashes(tmp_path, flash_and_beep):
    video, audio = flash_and_beep
    rec = TakeRecorder(tmp_path / "sync.mp4", CameraSource(video), MicrophoneSource(audio))
    rec.start()
    threading.Event().wait(5.6)
    result = rec.stop()
    v, a = onsets_video(result.path), onsets_audio(result.path)
    assert len(v) == len(a) == len(EVENTS), (v, a)
    for tv, ta, te in zip(v, a, EVENTS):
        assert abs(ta - tv) <= 0.045, (tv, ta)          # within about a frame (33 ms) + jitter
        assert abs(tv - te) <= 0.3                       # and where the source put them
