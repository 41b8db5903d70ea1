"""SRT / WebVTT / TXT / JSON writers (recorder/transcription/subtitles.py) and the segment filters."""
import json

import pytest

from recorder.transcription.subtitles import render, to_record, to_srt, to_txt, to_vtt
from recorder.transcription.filters import (SegmentFilter, collapse_loops, looks_invented, split_sentences,
                                         squeezed_loop)
from recorder.transcription.results import Segment, Word
from scoring.terms import VocabTerm, find_terms

SEGS = [
    Segment(0, 0.0, 2.5, " Start with a Socratic question.",
            [Word(0.0, 0.4, " Start", 0.9), Word(0.4, 0.6, " with", 0.9), Word(0.6, 0.7, " a", 0.9),
             Word(0.7, 1.4, " Socratic", 0.8), Word(1.4, 2.5, " question.", 0.95)]),
    Segment(1, 3661.25, 3663.0, "Then reframe --> it.", [Word(3661.25, 3663.0, " reframe", 0.7)]),
]


def test_srt():
    assert to_srt(SEGS) == (
        "1\n00:00:00,000 --> 00:00:02,500\nStart with a Socratic question.\n\n"
        "2\n01:01:01,250 --> 01:01:03,000\nThen reframe --> it.\n")


def test_vtt_header_dot_millis_and_no_arrow_in_text():
    out = to_vtt(SEGS)
    assert out.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nStart with a Socratic question.\n")
    assert "01:01:01.250 --> 01:01:03.000\nThen reframe -> it.\n" in out


def test_txt_and_empty():
    assert to_txt(SEGS) == "Start with a Socratic question. Then reframe --> it.\n"
    assert to_srt([]) == "" and to_vtt([]) == "WEBVTT\n" and to_txt([]) == "\n"


def test_json_record_shape_matches_the_cli_contract():
    hits = find_terms([w for s in SEGS for w in s.words], [VocabTerm("Socratic question"), VocabTerm("reframe")])
    rec = json.loads(render("json", "a.wav", 3663.0, SEGS, hits, {"wpm": 100}))
    assert set(rec) == {"file", "duration", "text", "segments", "terms", "metrics"}
    assert rec["segments"][0]["words"][3] == {"start": 0.7, "end": 1.4, "word": " Socratic", "probability": 0.8}
    assert rec["terms"] == [
        {"term": "Socratic question", "start": 0.7, "end": 2.5, "text": "Socratic question."},
        {"term": "reframe", "start": 3661.25, "end": 3663.0, "text": "reframe"}]
    assert to_record("a", 1, [])["text"] == ""
    with pytest.raises(ValueError):
        render("doc", "a", 1, SEGS)


def squeezed(text: str, t0: float = 0.0, prob: float = 0.9) -> list[Word]:
    """Words as Whisper times a loop or an invented tail: 0.02 s each."""
    return [Word(t0 + i * 0.02, t0 + i * 0.02 + 0.02, " " + t, prob) for i, t in enumerate(text.split())]


def spoken(text: str, t0: float = 0.0, prob: float = 0.9) -> list[Word]:
    return [Word(t0 + i * 0.35, t0 + i * 0.35 + 0.3, " " + t, prob) for i, t in enumerate(text.split())]


def test_loops_are_collapsed():
    ws = squeezed("we ask we ask we ask we ask then go go go go")
    assert [w.word.strip() for w in collapse_loops(ws)] == ["we", "ask", "then", "go"]
    ok = squeezed("no no this is fine")
    assert collapse_loops(ok) == ok
    # untimed text (no word timestamps) is collapsed on the text alone
    assert [w.word for w in collapse_loops([Word(0, 0, t) for t in "go go go".split()], timed=False)] == ["go"]


def test_repeats_that_sound_spoken_are_kept():
    """People say "words words words" (issue #13: a real repetition was collapsed to one word)."""
    ws = spoken("words words words and no no no")
    assert collapse_loops(ws) == ws
    unsure = spoken("thank you thank you thank you", prob=0.3)
    assert [w.word.strip() for w in collapse_loops(unsure)] == ["thank", "you"]


def test_invented_tails_are_recognised():
    """Shapes measured on real recordings with a vocabulary prompt (issue #13)."""
    tail = Segment(0, 3.16, 3.28, "tips.", [Word(3.16, 3.28, " tips.", 0.004)], avg_logprob=-1.03,
                   no_speech_prob=0.56)
    assert looks_invented(tail)
    call = Segment(0, 1.46, 1.52, "call.", [Word(1.46, 1.52, " call.", 0.003)], avg_logprob=-0.64,
                   no_speech_prob=0.61)
    assert looks_invented(call)
    call.words[0].probability = 0.3  # unsure, but not that unsure: kept
    assert not looks_invented(call)
    probs = [0.0, 0.07, 0.16, 0.04, 0.99, 0.24, 0.09, 0.85, 0.14]
    greeting = Segment(0, 5.74, 6.02, "Good morning, everyone, thank you for joining us today.",
                       [Word(5.74 + i * 0.03, 5.77 + i * 0.03, " " + t, p) for i, (t, p) in enumerate(
                           zip("Good morning, everyone, thank you for joining us today.".split(), probs))],
                       avg_logprob=-1.57, no_speech_prob=0.58)
    assert looks_invented(greeting)
    thanks = Segment(0, 2.88, 3.14, "Thank you", [Word(2.88, 3.14, " Thank", 0.01), Word(3.14, 3.14, " you", 0.97)],
                     avg_logprob=-1.93, no_speech_prob=0.5)
    assert looks_invented(thanks)
    # a real, badly heard short answer: one unsure word, the other clear
    five = Segment(0, 0.0, 1.2, "Five, five.", [Word(0.0, 0.72, " Five,", 0.08), Word(1.0, 1.2, " five.", 0.91)],
                   avg_logprob=-0.45, no_speech_prob=0.64)
    assert not looks_invented(five)
    # spoken words, all unsure but at a speaking pace and with most probabilities above 0.15
    assert not looks_invented(Segment(0, 0, 2, "who said that", spoken("who said that", prob=0.3),
                                      avg_logprob=-0.9))
    f = SegmentFilter()
    assert f.accept(tail) is None and f.dropped == 1


def test_a_loop_squeezed_into_a_moment_is_dropped_whole():
    """Measured on a real take (issue #13): a 0.5 s segment after the last word, 27 loops long."""
    text = "for you. " + "Thank you very much for joining us. " * 27
    words = [Word(29.0 + i * 0.003, 29.0 + i * 0.003, " " + t, 0.6) for i, t in enumerate(text.split())]
    loop = Segment(0, 29.0, 29.5, text, words, avg_logprob=-0.33, no_speech_prob=0.41, compression_ratio=17.86)
    assert squeezed_loop(loop)
    f = SegmentFilter()
    assert f.accept(loop) is None and f.dropped == 1
    # the same words said at a speaking pace, or a short squeezed phrase without a loop, are not this
    said = Segment(0, 0, 60, text, spoken(text), compression_ratio=17.86)
    assert not squeezed_loop(said)
    assert not squeezed_loop(Segment(0, 0, 1, "go on now then", spoken("go on now then"), compression_ratio=1.1))
    # no loop, but 21 words in 0.36 s after the last spoken word (a synthetic clip, kit hotwords)
    tail = "call to action. Thank you for watching. Thank you for watching. Thank you for watching. Bye bye."
    ws = [Word(3.76 + i * 0.017, 3.76 + i * 0.017, " " + t, 0.5) for i, t in enumerate(tail.split())]
    assert squeezed_loop(Segment(0, 3.76, 4.12, tail, ws, avg_logprob=-0.85, no_speech_prob=0.76,
                                 compression_ratio=2.14))
    assert not squeezed_loop(Segment(0, 0, 1, "go on now", squeezed("go on now"), compression_ratio=1.1))


def test_filter_drops_no_speech_stock_phrases_and_repeats():
    f = SegmentFilter(no_speech_threshold=0.6)
    assert f.accept(Segment(0, 0, 1, "Reframe it.", no_speech_prob=0.7, avg_logprob=-0.6)) is None
    assert f.accept(Segment(0, 0, 1, "We tested the new messaging before every call.", no_speech_prob=0.9,
                            avg_logprob=-1.2)) is None
    assert f.accept(Segment(0, 0, 1, "Thank you so much for joining us today, thank you so much.",
                            no_speech_prob=0.93, avg_logprob=-0.39, compression_ratio=12.5)) is None
    # confident speech in a window the model rated "no speech" (measured: 0.93 on continuous speech)
    assert f.accept(Segment(0, 0, 1, "We practiced the cold call opener.", no_speech_prob=0.93,
                            avg_logprob=-0.33)) is not None
    assert f.accept(Segment(0, 0, 1, "Thank you.", no_speech_prob=0.3)) is None
    assert f.accept(Segment(0, 0, 1, "Thank you.", no_speech_prob=0.01, avg_logprob=-0.2)) is not None
    assert f.accept(Segment(0, 0, 1, " . .")) is None
    assert f.accept(Segment(0, 0, 1, "Ask the champion.")) is not None
    assert f.accept(Segment(0, 1, 2, "Ask the champion.")) is None  # a repeated segment
    loop = spoken("then we") + squeezed("go on go on go on go on", t0=0.7)
    kept = f.accept(Segment(0, 0, 1, "then we go on go on go on go on", loop))
    assert kept is not None and kept.text == "then we go on" and len(kept.words) == 4
    assert f.dropped == 6


def test_silence_guards_keep_what_the_audio_says_is_speech():
    """Short doubtful segments, stock phrases and repeats are dropped only where VAD hears no speech."""
    heard: list[tuple[float, float]] = []

    def vad(start, end):
        heard.append((start, end))
        return start >= 10  # speech from 10 s on

    f = SegmentFilter(no_speech_threshold=0.6, has_speech=vad)
    assert f.accept(Segment(0, 1, 2, "Okay.", no_speech_prob=0.5)) is None
    assert f.accept(Segment(0, 11, 12, "Okay.", no_speech_prob=0.5)) is not None
    assert f.accept(Segment(0, 12, 13, "Who?", no_speech_prob=0.7, avg_logprob=-0.6)) is not None
    assert f.accept(Segment(0, 3, 4, "Who?", no_speech_prob=0.7, avg_logprob=-0.6)) is None
    assert f.accept(Segment(0, 14, 16, "Press one to continue.")) is not None
    assert f.accept(Segment(0, 17, 19, "Press one to continue.")) is not None  # said twice
    # Whisper's own no-speech rule stays, whatever VAD says
    assert f.accept(Segment(0, 20, 21, "Reframe the buyer's view.", no_speech_prob=0.7, avg_logprob=-1.2)) is None
    assert heard  # the VAD was asked


def test_long_segments_split_at_sentence_ends():
    ws = [Word(i * 2.0, i * 2.0 + 1.5, " " + t) for i, t in enumerate("One two. Three four? Five six seven".split())]
    long = Segment(3, 0.0, 13.5, "One two. Three four? Five six seven", ws, avg_logprob=-0.2)
    parts = split_sentences(long)
    assert [p.text for p in parts] == ["One two.", "Three four?", "Five six seven"]
    assert [(p.start, p.end) for p in parts] == [(0.0, 3.5), (4.0, 7.5), (8.0, 13.5)]
    assert all(p.avg_logprob == -0.2 for p in parts)
    short = Segment(0, 0.0, 3.5, "One two. Three", ws[:3])
    assert split_sentences(short) == [short]
