"""Recording takes from a real video file (as the camera) and a real speech WAV (as the microphone)."""
from __future__ import annotations

import threading
from pathlib import Path

import av
import numpy as np
import pytest

from recorder.camera import CameraSource
from recorder.microphone import MicrophoneSource
from recorder.probe import probe
from recorder.take import TakeRecorder, file_sha256

DATA = Path(__file__).parent / "data"
CAMERA_FILE = DATA / "rec_camera_320x240_30fps.mp4"
SPEECH_WAV = DATA / "speech" / "rec_teachback.wav"


def record_for(rec: TakeRecorder, seconds: float):
    """Run a take until ``seconds`` of it have been captured, then stop it."""
    rec.start()
    threading.Event().wait(seconds)
    return rec.stop()


def audio_rms_db(path: str) -> float:
    with av.open(path) as c:
        chunks = [f.to_ndarray().reshape(-1) for f in c.decode(audio=0)]
    a = np.concatenate(chunks)
    return 20 * np.log10(max(float(np.sqrt(np.mean(a.astype(np.float64) ** 2))), 1e-9))


def test_camera_and_microphone_files_make_a_synced_h264_aac_take(tmp_path):
    previews, levels, warnings = [], [], []
    rec = TakeRecorder(tmp_path / "take.mp4", CameraSource(CAMERA_FILE), MicrophoneSource(SPEECH_WAV),
                       on_preview=lambda img, t: previews.append((img.shape, t)),
                       on_level=lambda db, peak: levels.append(db), on_warning=warnings.append)
    result = record_for(rec, 2.5)

    info = probe(result.path)
    assert info.is_h264_aac_mp4
    assert (info.video.width, info.video.height) == (320, 240)
    assert info.audio.samplerate == 48000
    assert abs(info.video.end - info.audio.end) < 0.1
    assert 2.4 <= info.duration <= 2.5 + 1.0     # the take lasts as long as it was recorded
    assert abs(result.duration - info.duration) < 0.1
    assert result.has_video and result.has_audio and result.stop_reason == "stopped"
    assert result.dropped_frames == 0 and result.gaps == [] and warnings == []
    assert result.sha256 == file_sha256(result.path)
    assert result.size == Path(result.path).stat().st_size
    assert 60 <= info.video.packets <= 90          # ~30 fps paced at real time, not as fast as possible
    assert previews and previews[0][0] == (240, 320, 3)
    assert levels and max(levels) > -30            # speech, not silence
    assert audio_rms_db(result.path) > -35
    assert result.started_at < result.ended_at


def test_frames_are_placed_by_capture_time_not_declared_rate(tmp_path):
    """A 30 fps file delivered at half speed must still last as long as it was recorded."""

    class HalfSpeed(CameraSource):
        def _deliver(self, sink, img, t):
            if self.frames_read % 2 == 0:
                super()._deliver(sink, img, t)
            else:
                self.frames_read += 1

    rec = TakeRecorder(tmp_path / "take.mp4", HalfSpeed(CAMERA_FILE), None)
    result = record_for(rec, 2.0)
    info = probe(result.path)
    assert info.has_video and not info.has_audio
    assert 1.9 <= info.video.end <= 2.6
    assert info.video.packets <= 40                # 15 fps worth of frames, spread over the take


def test_audio_only_take(tmp_path):
    result = record_for(TakeRecorder(tmp_path / "a.mp4", None, MicrophoneSource(SPEECH_WAV)), 1.5)
    info = probe(result.path)
    assert info.has_audio and not info.has_video and info.audio.codec == "aac"
    assert result.has_audio and not result.has_video
    assert 1.4 <= info.audio.end <= 2.0


def test_time_limit_stops_the_take_by_itself(tmp_path):
    finished = []
    rec = TakeRecorder(tmp_path / "t.mp4", CameraSource(CAMERA_FILE), MicrophoneSource(SPEECH_WAV),
                       max_seconds=1.5, on_finished=finished.append)
    rec.start()
    result = rec.wait(timeout=60)
    assert result is not None and result.stop_reason == "time_limit"
    assert "limit" in result.message
    assert finished == [result]
    assert rec.stop() is result                    # stopping again returns the same take
    info = probe(result.path)
    assert abs(info.duration - 1.5) < 0.1
    assert abs(info.video.end - info.audio.end) < 0.1


def test_needs_a_device_and_a_start(tmp_path):
    from recorder.errors import NothingToRecordError, RecorderError
    with pytest.raises(NothingToRecordError):
        TakeRecorder("x.mp4", None, None)
    with pytest.raises(RecorderError, match="never started"):
        TakeRecorder(tmp_path / "x.mp4", CameraSource(CAMERA_FILE)).stop()
