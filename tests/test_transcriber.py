"""The transcription engine on the real bundled tiny.en and the espeak-ng fixtures (issue #4)."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein

from recorder.transcription.audio_decode import AudioDecodeError, decode_audio
from recorder.transcription.transcriber import (ModelNotFoundError, Transcriber, bias_kwargs, bundled_model_dir,
                                  check_model_dir, resolve_model)
from recorder.transcription.pipeline import bias_phrases
from scoring.terms import TimedWord, VocabTerm, find_terms, load_vocabulary_file, vocabulary_phrases

SPEECH = Path(__file__).parent / "data" / "speech"
CLIPS = ["tr_teachback_us", "tr_champion_gb", "tr_outreach_f3", "tr_roleplay_m7", "tr_clinic_us"]
VOCAB = [VocabTerm(t) for t in (
    "teach-back", "Socratic question", "reframe", "champion", "economic buyer", "cold call",
    "email outreach", "deal clinic", "new messaging", "discovery call", "call to action")]
PHRASES = vocabulary_phrases(VOCAB, with_inflections=True)


def norm_words(text: str) -> list[str]:
    text = re.sub(r"[-]", " ", text.lower())
    return [t for t in (re.sub(r"[^a-z0-9']+", "", w) for w in text.split()) if t]


def wer(ref: str, hyp: str) -> float:
    r = norm_words(ref)
    return Levenshtein.distance(r, norm_words(hyp)) / len(r)


def script(name: str) -> dict:
    return json.loads((SPEECH / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def transcriber():
    return Transcriber(threads=2)


@pytest.fixture(scope="module")
def transcripts(transcriber):
    """Each speech clip transcribed once with vocabulary biasing (shared by the tests below)."""
    return {name: transcriber.transcribe_all(SPEECH / f"{name}.wav", PHRASES) for name in CLIPS}


def test_bundled_model_directory_is_found_and_complete():
    d = bundled_model_dir()
    assert d.name == "model" and (d / "model.bin").is_file()
    assert resolve_model(None) == (str(d), True)
    assert resolve_model("base.en") == ("base.en", False)


def test_incomplete_model_directory_names_what_is_missing(tmp_path):
    src = bundled_model_dir()
    for f in ("config.json", "tokenizer.json", "vocabulary.txt"):
        os.symlink(src / f, tmp_path / f)
    with pytest.raises(ModelNotFoundError, match="missing model.bin"):
        check_model_dir(tmp_path)
    (tmp_path / "model.bin").write_bytes(b"")
    with pytest.raises(ModelNotFoundError, match="empty model.bin"):
        Transcriber(model=str(tmp_path))
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        Transcriber(model=str(tmp_path / "nope"))


def test_bias_kwargs_modes():
    assert bias_kwargs(["reframe", "Reframe", " champion "], "prompt") == {
        "initial_prompt": "Glossary: reframe, champion."}
    assert bias_kwargs(["reframe", "champion"], "both") == {  # prompt (first window) + hotwords (all)
        "initial_prompt": "Glossary: reframe, champion.", "hotwords": "reframe, champion"}
    assert bias_kwargs(["reframe", "champion"]) == {"hotwords": "reframe, champion"}  # the default (#13)
    assert bias_kwargs(["reframe"], "hotwords") == {"hotwords": "reframe"}
    assert bias_kwargs(["reframe"], "none") == {} and bias_kwargs([], "both") == {}
    long = bias_kwargs([f"term number {i}" for i in range(200)], "prompt")["initial_prompt"]
    assert len(long) < 700 and long.endswith(".")


@pytest.mark.parametrize("name", CLIPS)
def test_word_error_rate_on_clear_synthetic_speech(transcripts, name):
    tr = transcripts[name]
    assert tr.segments, "no segments"
    assert wer(script(name)["text"], tr.text) <= 0.25, tr.text


def test_overall_word_error_rate_at_most_15_percent(transcripts):
    errors = sum(Levenshtein.distance(norm_words(script(n)["text"]), norm_words(transcripts[n].text))
                 for n in CLIPS)
    total = sum(len(norm_words(script(n)["text"])) for n in CLIPS)
    assert errors / total <= 0.15


@pytest.mark.parametrize("name", CLIPS)
def test_spoken_terms_are_found_at_the_right_times(transcripts, name):
    ref_words = [TimedWord(w["start"], w["end"], w["word"]) for w in script(name)["words"]]
    expected = find_terms(ref_words, VOCAB)
    assert expected, "fixture speaks no vocabulary term"
    got = find_terms(transcripts[name].words, VOCAB)
    for e in expected:
        near = [h for h in got if h.term == e.term and abs(h.start - e.start) <= 0.5]
        assert near, f"{e.term!r} spoken at {e.start:.2f}s not found; got {[(h.term, h.start) for h in got]}"


def test_segments_have_ordered_word_timestamps(transcripts):
    for tr in transcripts.values():
        for seg in tr.segments:
            assert seg.words and seg.start <= seg.words[0].start + 0.01
            assert all(a.start <= b.start for a, b in zip(seg.words, seg.words[1:]))
            assert all(0 <= w.probability <= 1 for w in seg.words)
        assert tr.segments[-1].end <= tr.duration + 0.1


def test_segments_are_yielded_one_by_one(transcriber):
    gen = transcriber.transcribe(SPEECH / "tr_champion_gb.wav", PHRASES)
    first = next(gen)
    assert first.text and first.index == 0
    gen.close()


@pytest.mark.parametrize("name", ["tr_silence", "tr_noise"])
@pytest.mark.parametrize("vad", [True, False])
def test_silence_and_noise_give_no_text(transcriber, name, vad):
    t = Transcriber(vad=vad)  # without VAD the no-speech and stock-phrase guards must hold alone
    t._model = transcriber.model  # the same loaded model
    tr = t.transcribe_all(SPEECH / f"{name}.wav", PHRASES)
    assert tr.text == "" and tr.segments == []


def test_truncated_fragmented_mp4_gives_the_decodable_part(transcriber):
    tr = transcriber.transcribe_all(SPEECH / "tr_truncated.mp4", PHRASES)
    assert tr.info.damaged and tr.info.problems
    full = script("tr_teachback_us")
    assert 2.0 < tr.duration < full["words"][-1]["end"] - 1.0
    spoken = [w for w in full["words"] if w["end"] <= tr.duration - 0.3]
    ref = " ".join(w["word"] for w in spoken)
    hyp = norm_words(tr.text)
    assert len(hyp) >= 0.7 * len(norm_words(ref))
    assert Levenshtein.distance(norm_words(ref), hyp[:len(norm_words(ref))]) / len(norm_words(ref)) <= 0.3
    assert "economic" not in hyp  # said after the cut


def test_truncated_wav_header_promising_more(transcriber):
    audio = decode_audio(SPEECH / "tr_truncated.wav")
    assert audio.damaged and "declares" in audio.problems[-1]
    tr = transcriber.transcribe_all(SPEECH / "tr_truncated.wav", PHRASES)
    hyp = norm_words(tr.text)
    assert hyp[:4] == ["our", "champion", "set", "up"] and "week" not in hyp


def test_undecodable_inputs_raise_clear_errors(tmp_path, transcriber):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises(AudioDecodeError, match="junk.mp4"):
        list(transcriber.transcribe(junk))
    with pytest.raises(AudioDecodeError, match="no such file"):
        list(transcriber.transcribe(tmp_path / "missing.wav"))
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(AudioDecodeError, match="empty"):
        decode_audio(empty)
    with pytest.raises(AudioDecodeError, match="not a readable media file|no decodable audio"):
        decode_audio(SPEECH / "tr_teachback_us.json")


def test_numpy_audio_and_tiny_input(transcriber):
    tr = transcriber.transcribe_all(np.zeros(100, dtype=np.float32))
    assert tr.segments == [] and tr.duration < 0.01


def test_continuous_speech_over_several_windows_is_transcribed_whole(transcriber):
    """Regression: on continuous speech faster-whisper rated a whole 30 s window 0.66-0.93 'no
    speech' while recognising it confidently; a filter on no_speech_prob alone dropped that window."""
    audio = np.concatenate([decode_audio(SPEECH / f"{n}.wav").samples for n in CLIPS])  # ~34 s, no gaps
    tr = transcriber.transcribe_all(audio, PHRASES)
    ref = " ".join(script(n)["text"] for n in CLIPS)
    assert wer(ref, tr.text) <= 0.2
    assert tr.segments[-1].end > 32 and tr.dropped == 0
    words = tr.words
    assert max(b.start - a.end for a, b in zip(words, words[1:])) < 2.0  # no hole in the middle


def test_decoding_is_deterministic(transcriber):
    a = transcriber.transcribe_all(SPEECH / "tr_roleplay_m7.wav", PHRASES)
    b = transcriber.transcribe_all(SPEECH / "tr_roleplay_m7.wav", PHRASES)
    assert [w.to_dict() for w in a.words] == [w.to_dict() for w in b.words]


@pytest.mark.parametrize("name,vocab,opening", [
    ("tr_champion_gb", ["champion", "championing", "deal clinic"], ["champion", "set", "up", "a", "deal", "clinic"]),
    ("tr_outreach_f3", ["email outreach", "call to action"], ["one", "clear", "call", "to", "action"]),
])
def test_opening_skipped_by_biasing_is_recovered(transcriber, name, vocab, opening):
    """With a small vocabulary that the take opens with, biased tiny.en starts after those words
    (measured: 1.2-3.0 s lost); the gap repair transcribes that stretch again (prompt only, then
    unbiased if the opening is still missing)."""
    tr = transcriber.transcribe_all(SPEECH / f"{name}.wav", vocab)
    words = norm_words(tr.text)
    assert tr.words[0].start < 0.5
    assert any(words[i:i + len(opening)] == opening for i in range(10)), tr.text
    unrepaired = Transcriber(repair_gaps=False)
    unrepaired._model = transcriber.model  # same loaded model, repair off: shows the skip is real
    assert unrepaired.transcribe_all(SPEECH / f"{name}.wav", vocab).words[0].start > 1.0


def test_unsure_opening_words_are_counted():
    from recorder.transcription.repair import unsure_opening
    from recorder.transcription.results import Word

    def ws(*probs):
        return [Word(i * 0.4, i * 0.4 + 0.3, f" w{i}", p) for i, p in enumerate(probs)]
    assert unsure_opening(ws(0.0, 0.08, 0.89, 0.5)) == 2
    assert unsure_opening(ws(0.9, 0.01, 0.9)) == 0  # a sure opening
    assert unsure_opening(ws(0.01, 0.02, 0.03, 0.04, 0.9)) == 0  # more than three: not an opening slip
    assert unsure_opening(ws(0.01)) == 0 and unsure_opening([]) == 0


def test_opening_written_over_by_hotwords_is_heard_again(transcriber):
    """Issue #13: with the kit's hotwords tiny.en writes "one[<0.1]" over "The call to action" and
    goes on from "a second meeting"; the unsure opening is transcribed again."""
    kit = bias_phrases(load_vocabulary_file(Path(__file__).parent.parent / "assets" / "kit" / "default.yaml"))
    clip = SPEECH / "tr_opening_cta.wav"
    tr = Transcriber(biasing="hotwords")
    tr._model = transcriber.model
    words = norm_words(tr.transcribe_all(clip, kit).text)
    assert words[:4] == ["the", "call", "to", "action"], words
    unrepaired = Transcriber(biasing="hotwords", repair_gaps=False)
    unrepaired._model = transcriber.model  # the same model, repair off: shows the slip is real
    assert "action" not in norm_words(unrepaired.transcribe_all(clip, kit).text)


def test_a_right_opening_is_not_traded_for_a_surer_looking_guess(transcriber, monkeypatch):
    """Issue #13: "and economic buyer" opens at under 5 % a word; heard again without the
    hotwords it is "Oh, and he could help me, can I ask?", surer word by word but a worse fit to
    the audio (recorder/transcription/repair.reheard_fits_better), so the opening stays."""
    kit = bias_phrases(load_vocabulary_file(Path(__file__).parent.parent / "assets" / "kit" / "default.yaml"))
    clip = SPEECH / "tr_opening_eb.wav"
    tr = Transcriber(biasing="hotwords")
    tr._model = transcriber.model
    assert norm_words(tr.transcribe_all(clip, kit).text)[:3] == ["and", "economic", "buyer"]
    import recorder.transcription.transcriber as module
    monkeypatch.setattr(module, "reheard_fits_better", lambda *a: True)  # the guess always taken
    assert "economic" not in norm_words(tr.transcribe_all(clip, kit).text)
