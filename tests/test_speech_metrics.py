"""Speech metrics (scoring/speech_metrics.py) on hand-made word timings."""
import pytest

from scoring.speech_metrics import count_fillers, segment_start_indices, speech_metrics, speech_runs


def w(start, end, word):
    return {"start": start, "end": end, "word": word}


# 0-2 s: 4 words; pause 3 s; 5-6 s: 2 words; pause 1.5 s; 7.5-9 s: 3 words.  Duration 12 s.
WORDS = [w(0.0, 0.5, " So,"), w(0.5, 1.0, " um"), w(1.0, 1.5, " you"), w(1.5, 2.0, " know"),
         w(5.0, 5.5, " like,"), w(5.5, 6.0, " reframe"),
         w(7.5, 8.0, " the"), w(8.0, 8.5, " problem"), w(8.5, 9.0, " basically.")]


def test_runs_split_at_pauses():
    assert speech_runs(WORDS, pause=1.0) == [(0.0, 2.0, 4), (5.0, 6.0, 2), (7.5, 9.0, 3)]
    assert speech_runs(WORDS, pause=2.0) == [(0.0, 2.0, 4), (5.0, 9.0, 5)]


def test_metrics_definitions():
    m = speech_metrics(WORDS, duration=12.0)
    assert m["word_count"] == 9
    assert m["talk_time"] == pytest.approx(2.0 + 1.0 + 1.5)
    assert m["silence_time"] == pytest.approx(12.0 - 4.5)
    assert m["talk_ratio"] == pytest.approx(4.5 / 12)
    assert m["wpm"] == pytest.approx(9 / (4.5 / 60), abs=0.1)
    assert m["wpm_overall"] == pytest.approx(9 / (12 / 60), abs=0.1)
    assert m["longest_monologue"] == pytest.approx(4.0)  # 5.0-9.0: its 1.5 s pause is under 2 s
    assert m["pauses"] == 2 and m["longest_pause"] == pytest.approx(3.0)


def test_fillers_hesitations_phrases_and_comma_discourse_markers():
    f = count_fillers(WORDS)
    assert f == {"so": 1, "um": 1, "you know": 1, "like": 1, "basically": 1}
    # "like" and "so" without a comma are ordinary words
    assert count_fillers([w(0, 1, " I"), w(1, 2, " like"), w(2, 3, " so"), w(3, 4, " much")]) == {}


def test_so_opening_a_segment_counts():
    segs = [{"words": [w(0, 1, " So"), w(1, 2, " we")]}, {"words": [w(3, 4, " so"), w(4, 5, " on")]}]
    words = [x for s in segs for x in s["words"]]
    starts = segment_start_indices(segs)
    assert starts == {0, 2}
    assert count_fillers(words, starts) == {"so": 2}


def test_empty_transcript():
    m = speech_metrics([], duration=5.0)
    assert m["word_count"] == 0 and m["talk_time"] == 0 and m["silence_time"] == 5.0
    assert m["wpm"] == 0.0 and m["longest_monologue"] == 0.0 and m["filler_count"] == 0
