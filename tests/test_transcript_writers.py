"""SRT / WebVTT / TXT / JSON writers (recorder/subtitles.py) and the segment filters."""
import json

import pytest

from recorder.subtitles import render, to_record, to_srt, to_txt, to_vtt
from recorder.transcript_filters import SegmentFilter, collapse_loops, split_sentences
from recorder.transcript_types import Segment, Word
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


def test_loops_are_collapsed():
    ws = [Word(i, i + 1, " " + t) for i, t in enumerate("we ask we ask we ask we ask then go go go go".split())]
    assert [w.word.strip() for w in collapse_loops(ws)] == ["we", "ask", "then", "go"]
    ok = [Word(i, i + 1, " " + t) for i, t in enumerate("no no this is fine".split())]
    assert collapse_loops(ok) == ok


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
    loop = [Word(i, i + 1, " " + t) for i, t in enumerate("go on go on go on go on".split())]
    kept = f.accept(Segment(0, 0, 1, "go on go on go on go on", loop))
    assert kept is not None and kept.text == "go on" and len(kept.words) == 2
    assert f.dropped == 6


def test_long_segments_split_at_sentence_ends():
    ws = [Word(i * 2.0, i * 2.0 + 1.5, " " + t) for i, t in enumerate("One two. Three four? Five six seven".split())]
    long = Segment(3, 0.0, 13.5, "One two. Three four? Five six seven", ws, avg_logprob=-0.2)
    parts = split_sentences(long)
    assert [p.text for p in parts] == ["One two.", "Three four?", "Five six seven"]
    assert [(p.start, p.end) for p in parts] == [(0.0, 3.5), (4.0, 7.5), (8.0, 13.5)]
    assert all(p.avg_logprob == -0.2 for p in parts)
    short = Segment(0, 0.0, 3.5, "One two. Three", ws[:3])
    assert split_sentences(short) == [short]
