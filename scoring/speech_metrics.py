"""Delivery metrics from word timestamps.  Pure functions, no Qt.

What is measured (and what is not):
* ``talk_time``: the time covered by speech runs.  A run is a stretch of words whose gaps are all
  shorter than ``pause`` seconds (default 1.0 s); a run spans from its first word's start to its
  last word's end.  ``silence_time`` = duration - talk_time.
* ``wpm``: words per minute of talk time (speaking rate); ``wpm_overall`` uses the whole duration.
* ``longest_monologue``: the longest stretch of speech with no pause of ``monologue_pause``
  seconds or more (default 2.0 s).  A take has one speaker, so this is the longest uninterrupted
  run; it is not speaker diarisation.
* ``fillers``: hesitations (um, uh, er, erm, ah, hmm, mm) and discourse fillers (you know, I mean,
  kind of, sort of, basically, actually, literally, and "like"/"so" when followed by a comma or
  opening a segment).  Whisper leaves most hesitations out of its text, so this is a lower bound of
  what was said; the count is of what the transcript contains.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

HESITATIONS = {"um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm", "mhm", "eh"}
PHRASE_FILLERS = [("you", "know"), ("i", "mean"), ("kind", "of"), ("sort", "of")]
WORD_FILLERS = {"basically", "actually", "literally"}
COMMA_FILLERS = {"like", "so"}


def _tok(w: str) -> str:
    return re.sub(r"[^\w']+", "", w.lower())


def _get(w, name):
    return w[name] if isinstance(w, dict) else getattr(w, name)


def speech_runs(words: Sequence, pause: float) -> list[tuple[float, float, int]]:
    """(start, end, n_words) of the runs of words separated by gaps >= ``pause``."""
    runs: list[list[float]] = []
    for w in words:
        s, e = float(_get(w, "start")), float(_get(w, "end"))
        if runs and s - runs[-1][1] < pause:
            runs[-1][1] = max(runs[-1][1], e)
            runs[-1][2] += 1
        else:
            runs.append([s, e, 1])
    return [(a, b, int(n)) for a, b, n in runs]


def count_fillers(words: Sequence, segment_starts: set[int] | None = None) -> Counter:
    raw = [str(_get(w, "word")) for w in words]
    toks = [_tok(w) for w in raw]
    out: Counter = Counter()
    i = 0
    while i < len(toks):
        t = toks[i]
        pair = tuple(toks[i:i + 2])
        if pair in PHRASE_FILLERS:
            out[" ".join(pair)] += 1
            i += 2
            continue
        if t in HESITATIONS or t in WORD_FILLERS:
            out[t] += 1
        elif t in COMMA_FILLERS and (raw[i].rstrip().endswith(",") or (segment_starts and i in segment_starts)):
            out[t] += 1
        i += 1
    return out


def speech_metrics(words: Sequence, duration: float, pause: float = 1.0, monologue_pause: float = 2.0,
                   segment_starts: set[int] | None = None) -> dict:
    """Metrics for one recording: see the module docstring for definitions."""
    words = [w for w in words if _tok(str(_get(w, "word")))]
    duration = max(float(duration), 0.0)
    runs = speech_runs(words, pause)
    talk = sum(b - a for a, b, _ in runs)
    long_runs = speech_runs(words, monologue_pause)
    longest = max((b - a for a, b, _ in long_runs), default=0.0)
    gaps = [b[0] - a[1] for a, b in zip(runs, runs[1:])]
    fillers = count_fillers(words, segment_starts)
    n = len(words)
    return {
        "duration": round(duration, 3),
        "word_count": n,
        "talk_time": round(talk, 3),
        "silence_time": round(max(duration - talk, 0.0), 3),
        "talk_ratio": round(talk / duration, 3) if duration > 0 else 0.0,
        "wpm": round(n / (talk / 60), 1) if talk > 0 else 0.0,
        "wpm_overall": round(n / (duration / 60), 1) if duration > 0 else 0.0,
        "longest_monologue": round(longest, 3),
        "pauses": len(gaps),
        "longest_pause": round(max(gaps, default=0.0), 3),
        "filler_count": sum(fillers.values()),
        "fillers": dict(fillers),
        "fillers_per_minute": round(sum(fillers.values()) / (talk / 60), 2) if talk > 0 else 0.0,
        "fillers_note": "hesitations Whisper wrote out; it omits most, so this is a lower bound",
    }


def segment_start_indices(segments: Sequence) -> set[int]:
    """Indices (in the flattened word list) of the first word of each segment."""
    out, i = set(), 0
    for s in segments:
        ws = _get(s, "words")
        if ws:
            out.add(i)
        i += len([w for w in ws if _tok(str(_get(w, "word")))])
    return out
