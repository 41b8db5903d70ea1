"""recorder/transcription/speech_only.py: Whisper on the speech only, stopping where the speech ends (issue #13).

Real model, real recordings (tests/data/realspeech), compared with faster-whisper's own
``vad_filter=True`` on the same samples."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recorder.transcription.audio_decode import decode_audio
from recorder.transcription.speech_only import speech_segments
from recorder.transcription.transcriber import Transcriber
from recorder.transcription.pipeline import bias_phrases
from scoring.kit import default_kit_path
from scoring.terms import load_vocabulary_file

REAL = Path(__file__).parent / "data" / "realspeech"
KIT = bias_phrases(load_vocabulary_file(default_kit_path()))


@pytest.fixture(scope="module")
def tr():
    return Transcriber(threads=2, biasing="hotwords")


def counted(model):
    """Count the windows the model decodes (one generate_with_fallback call per 30 s window)."""
    calls = []
    real = type(model).generate_with_fallback

    def wrapped(*a, **k):
        calls.append(1)
        return real(model, *a, **k)
    model.generate_with_fallback = wrapped
    return calls


def test_no_window_is_decoded_after_the_speech(tr):
    """With the kit's hotwords, faster-whisper decodes the VAD's padding after the last word as
    windows of their own and writes "questions." in each; speech_segments stops at the speech."""
    samples = decode_audio(REAL / "tel_confbridge-participants.flac").samples
    kw = tr.model_kwargs(KIT)
    calls = counted(tr.model)
    try:
        bare = list(tr.model.transcribe(samples, **kw)[0])
        bare_windows = len(calls)
        calls.clear()
        ours = list(speech_segments(tr.model, samples, kw))
    finally:
        del tr.model.generate_with_fallback
    assert bare_windows > 1 and len(bare) > 1  # the behaviour this module exists for
    assert len(calls) == 1
    assert [s.text for s in ours] == [bare[0].text]
    assert ours[0].text.strip().lower().startswith("participants in the conference")


def test_same_segments_and_times_as_vad_filter_up_to_the_end_of_speech(tr):
    """Silence before, between and after the speech: the times map back to the file as
    faster-whisper's own VAD filter maps them."""
    a = decode_audio(REAL / "tel_vm-reenterpassword.flac").samples
    b = decode_audio(REAL / "tel_conf-full.flac").samples
    silence = np.zeros(16000 * 3, dtype=np.float32)
    samples = np.concatenate([silence, a, silence, silence, b, silence])
    kw = Transcriber(threads=2, biasing="none").model_kwargs(())
    bare = list(tr.model.transcribe(samples, **kw)[0])
    ours = list(speech_segments(tr.model, samples, kw))
    assert ours and len(ours) <= len(bare)
    for o, r in zip(ours, bare):
        assert o.text == r.text and o.start == r.start and o.end == r.end
        assert [(w.word, w.start, w.end) for w in o.words] == [(w.word, w.start, w.end) for w in r.words]
    assert ours[0].words[0].start >= 2.5  # after the leading silence, in the file's time
    assert ours[-1].words[-1].end > 3 + len(a) / 16000 + 6  # the second clip, after 6 s of silence


def test_silence_gives_nothing_and_no_vad_passes_through(tr):
    silence = np.zeros(16000 * 5, dtype=np.float32)
    assert list(speech_segments(tr.model, silence, tr.model_kwargs(()))) == []
    samples = decode_audio(REAL / "tel_conf-full.flac").samples
    kw = {**tr.model_kwargs(()), "vad_filter": False}
    assert [s.text for s in speech_segments(tr.model, samples, kw)] == \
        [s.text for s in tr.model.transcribe(samples, **kw)[0]]
