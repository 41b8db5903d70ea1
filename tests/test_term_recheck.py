"""The near-miss recheck of the team's terms (issue #13), with the bundled model on real audio.

Fixtures: tests/data/speech/tr_nearmiss_* (espeak-ng; with the kit's hotwords tiny.en writes
"this company call" and "mid-ot reach email" for the terms) and tests/data/realspeech (human
recordings that never say a term)."""
from __future__ import annotations

from pathlib import Path

import pytest

from recorder.transcription.audio_decode import decode_audio
from recorder.transcription.forced_score import ForcedScorer
from recorder.transcription.term_recheck import Candidate, TermRecheck, with_plurals
from recorder.transcription.transcriber import Transcriber
from recorder.transcription.results import Word
from recorder.transcription.pipeline import bias_phrases, said_forms
from scoring.kit import default_kit_path
from scoring.terms import find_terms, load_vocabulary_file

DATA = Path(__file__).parent / "data"
KIT = load_vocabulary_file(default_kit_path())


@pytest.fixture(scope="module")
def transcriber():
    return Transcriber(threads=2)


def found(transcript) -> set[str]:
    return {h.term for h in find_terms(transcript.words, KIT)}


def test_plurals_are_added_once():
    assert with_plurals(["discovery call", "reframing", "deal clinics", " cold  call ", "cold call"]) == [
        "discovery call", "discovery calls", "reframing", "deal clinics", "cold call", "cold calls"]


@pytest.mark.parametrize("clip, term", [("tr_nearmiss_discovery", "discovery call"),
                                        ("tr_nearmiss_outreach", "email outreach")])
def test_a_near_miss_the_audio_supports_becomes_the_term(transcriber, clip, term):
    path = DATA / "speech" / f"{clip}.wav"
    tr = transcriber.transcribe_all(path, bias_phrases(KIT), said_forms(KIT))
    assert term in found(tr), tr.text
    hit = next(h for h in find_terms(tr.words, KIT) if h.term == term)
    assert 0.0 < hit.start < hit.end < tr.info.duration
    plain = Transcriber(recheck_terms=False)
    plain._model = transcriber.model  # the same model without the recheck: the miss is real
    assert term not in found(plain.transcribe_all(path, bias_phrases(KIT), said_forms(KIT)))


def test_real_speech_keeps_its_words(transcriber):
    """Recordings that never say a term: every near miss is scored (the unsure-word gate is
    lifted, so the audio alone decides), and none is taken."""
    plain = Transcriber(recheck_terms=False)
    plain._model = transcriber.model
    hot = transcriber.model_kwargs(bias_phrases(KIT))["hotwords"]
    scored = 0
    for clip in sorted((DATA / "realspeech").glob("*.flac")):
        samples = decode_audio(clip).samples
        tr = plain.transcribe_all(samples, bias_phrases(KIT), said_forms(KIT))
        recheck = TermRecheck(ForcedScorer(transcriber.model, samples), said_forms(KIT), prompt=hot,
                              unsure_below=1.01)
        assert [recheck.apply(s).text for s in tr.segments] == [s.text for s in tr.segments], clip.name
        scored += recheck.scored
        assert recheck.replaced == 0
    assert scored >= 5  # the scorer was asked, and said no


def test_candidates_skip_terms_and_sure_words(transcriber):
    silence = decode_audio(DATA / "speech" / "tr_silence.wav").samples
    recheck = TermRecheck(ForcedScorer(transcriber.model, silence), ["discovery call", "cold call"])

    def ws(*pairs):
        return [Word(i * 0.5, i * 0.5 + 0.4, f" {w}", p) for i, (w, p) in enumerate(pairs)]
    spans = {(c.first, c.stop, c.form) for c in recheck.candidates(
        ws(("in", 0.9), ("this", 0.9), ("company", 0.1), ("call", 0.6), ("today", 0.9)))}
    assert (1, 4, "discovery call") in spans
    sure = ws(("in", 0.9), ("this", 0.9), ("company", 0.9), ("call", 0.9))
    assert recheck.candidates(sure) == []  # the model was sure of every word
    said = ws(("a", 0.2), ("cold", 0.3), ("call", 0.3), ("today", 0.9))
    assert all(not (c.first <= 1 < c.stop) for c in recheck.candidates(said))  # already the term


def test_new_words_share_the_time_and_keep_punctuation():
    old = [Word(1.0, 1.4, " this", 0.9), Word(1.4, 2.0, " company", 0.1), Word(2.0, 2.5, " call,", 0.6)]
    new = TermRecheck._new_words(old, Candidate(0, 3, "discovery call", form_probs=[0.5, 0.5, 0.5]))
    assert [w.word for w in new] == [" discovery", " call,"]
    assert new[0].start == 1.0 and new[-1].end == 2.5 and new[0].end == new[1].start
    assert new[0].end - new[0].start > new[1].end - new[1].start  # longer word, longer time
    assert new[0].probability == pytest.approx(0.5)
