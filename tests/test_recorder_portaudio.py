"""The real microphone path: PortAudio records a PulseAudio null sink's monitor while a WAV plays into it."""
from __future__ import annotations

import threading
from pathlib import Path

import av
import numpy as np

from recorder.camera import CameraSource
from recorder.devices import list_microphones
from recorder.microphone import MicrophoneSource
from recorder.probe import probe
from recorder.take import TakeRecorder

DATA = Path(__file__).parent / "data"


def rms_db(samples: np.ndarray) -> float:
    return 20 * np.log10(max(float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))), 1e-9))


def test_portaudio_records_what_the_virtual_microphone_hears(tmp_path, virtual_mic):
    assert any(d.spec == virtual_mic.device for d in list_microphones())
    levels = []
    rec = TakeRecorder(tmp_path / "take.mp4", CameraSource(DATA / "rec_camera_320x240_30fps.mp4"),
                       MicrophoneSource(virtual_mic.device), on_level=lambda db, peak: levels.append(db))
    rec.start()
    player = virtual_mic.play(DATA / "speech" / "rec_teachback.wav")
    heard = threading.Event()
    while not (levels and max(levels) > -30):       # until the speech reaches the microphone
        assert player.poll() is None or levels, "paplay ended before anything was heard"
        heard.wait(0.05)
    heard.wait(1.5)
    result = rec.stop()
    virtual_mic.stop_players()

    info = probe(result.path)
    assert info.has_video and info.has_audio and result.gaps == []
    assert abs(info.video.end - info.audio.end) < 0.1
    with av.open(result.path) as c:
        audio = np.concatenate([f.to_ndarray().reshape(-1) for f in c.decode(audio=0)])
    assert rms_db(audio) > -40                      # speech, recorded through PortAudio


def test_silence_through_portaudio_is_quiet_but_continuous(tmp_path, virtual_mic):
    rec = TakeRecorder(tmp_path / "quiet.mp4", None, MicrophoneSource(virtual_mic.device))
    rec.start()
    threading.Event().wait(1.5)
    result = rec.stop()
    info = probe(result.path)
    assert info.has_audio and result.gaps == [] and 1.4 <= info.audio.end <= 2.0


def test_microphone_that_stops_and_a_sound_server_that_dies_are_survived(tmp_path, virtual_mic):
    """A suspended device, then the sound server killed and started again (a USB microphone pulled
    out and plugged back): each is a gap noticed within 2 s, and the take goes on to the end."""
    rec = TakeRecorder(tmp_path / "survive.mp4", CameraSource(DATA / "rec_camera_320x240_30fps.mp4", loop=True),
                       MicrophoneSource(virtual_mic.device))
    rec.start()
    wait = threading.Event().wait

    def mic_gaps(closed: bool):
        return [g for g in rec.gaps if g.source == "microphone" and (g.end is not None) == closed]

    try:
        wait(1.0)
        virtual_mic.pactl("suspend-sink", "virtmic", "1")
        while not mic_gaps(False):
            wait(0.05)
        virtual_mic.pactl("suspend-sink", "virtmic", "0")
        while mic_gaps(False):
            wait(0.05)
        virtual_mic.kill_server()
        while not mic_gaps(False):
            wait(0.05)
        virtual_mic.start_server()
        while mic_gaps(False):               # the watchdog reopens the stream on the new server
            wait(0.05)
        wait(0.5)
    finally:
        result = rec.stop()
    gaps = [g for g in result.gaps if g.source == "microphone"]
    assert len(gaps) == 2 and all(g.noticed - g.start <= 2.0 for g in gaps)
    assert rec.microphone.restarts >= 1
    assert not any(g.source == "camera" for g in result.gaps)
    info = probe(result.path)
    assert abs(info.video.end - info.audio.end) < 0.1    # silence fills the gaps: one continuous track
