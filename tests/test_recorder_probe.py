"""The media probe on good, truncated and bogus files."""
from __future__ import annotations

from pathlib import Path

import pytest

from recorder.errors import MediaError
from recorder.probe import decode_audio, probe

DATA = Path(__file__).parent / "data"


def test_probe_reports_streams_of_a_video_and_a_wav():
    v = probe(DATA / "rec_camera_320x240_30fps.mp4")
    assert v.has_video and not v.has_audio and v.video.codec == "h264" and v.is_h264_aac_mp4
    assert v.duration == pytest.approx(6.0, abs=0.1) and (v.video.width, v.video.height) == (320, 240)
    w = probe(DATA / "speech" / "rec_teachback.wav")
    assert w.has_audio and not w.has_video and not w.is_h264_aac_mp4
    assert w.duration == pytest.approx(9.05, abs=0.05) and w.audio.samplerate == 16000


def test_decode_audio_resamples_to_the_asked_rate():
    samples = decode_audio(DATA / "speech" / "rec_teachback.wav", 48000)
    assert samples.dtype.name == "float32" and len(samples) / 48000 == pytest.approx(9.05, abs=0.05)


@pytest.mark.parametrize("content", [b"", b"not a video at all\n" * 100, bytes(range(256)) * 64])
def test_non_media_is_refused_with_a_clear_message(tmp_path, content):
    bad = tmp_path / "clip.mp4"
    bad.write_bytes(content)
    with pytest.raises(MediaError, match="clip.mp4"):
        probe(bad)


def test_missing_file(tmp_path):
    with pytest.raises(MediaError, match="does not exist"):
        probe(tmp_path / "nope.mp4")


def test_a_cut_off_fragmented_mp4_keeps_its_whole_fragments(tmp_path):
    from recorder.encoder import Encoder
    import numpy as np
    enc = Encoder(tmp_path / "full.mp4", video_size=(160, 120), fps=30, samplerate=48000)
    enc.open()
    for i in range(150):            # 5 s, keyframe (and fragment) every second
        img = np.full((120, 160, 3), (i * 7) % 255, np.uint8)
        enc.add_video(img, i / 30)
        enc.add_audio(np.zeros(1600, np.float32))
    enc.close(end_time=5.0)
    data = (tmp_path / "full.mp4").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    full, part = probe(tmp_path / "full.mp4"), probe(cut)
    assert full.duration == pytest.approx(5.0, abs=0.05)
    assert 1.5 <= part.duration < full.duration and part.has_video and part.has_audio
