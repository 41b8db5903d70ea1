"""Recover speech that the vocabulary-biased pass skipped.  No Qt.

Biasing works through Whisper's "previous text" slot.  When the audio opens with words that are in
that slot, tiny.en can take them as already said and start its transcript after them: measured on
the tr_* clips with a small vocabulary, "Our champion set up a deal clinic..." came out as "We
tested..." (vocabulary: champion, deal clinic) and "Email outreach works best..." lost its first
3 s (vocabulary: email outreach, call to action).

So wherever consecutive segments leave a gap of ``min_gap`` seconds or more (and before the first,
after the last), the gap's audio is checked with Silero VAD (only the gap, so it costs little) and
if it holds speech, that stretch is transcribed again: first with the vocabulary as a prompt only
(which kept "deal clinic" right in the first example), and if that skips the opening too, without
biasing.  The recovered words that fall inside the gap are returned as segments, in time order, to
be yielded before the next one.

Evidence gates (issue #13, measured on real recordings): a recovered word that repeats one of the
last words before the gap or the first words after it, within a second of them, is the same
sound heard twice (the gap's audio starts 0.2 s early and Whisper's word ends are approximate), so
it is left out; recovered segments then pass the same filters as any other.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recorder.transcription.results import Segment, Word


@dataclass
class GapRepair:
    model: object  # faster_whisper.WhisperModel
    samples: np.ndarray  # the audio that was transcribed (from ``offset`` on)
    attempts: list  # model.transcribe kwargs to try in order (prompt-biased, then unbiased)
    offset: float = 0.0
    sample_rate: int = 16000
    min_gap: float = 1.0
    min_speech: float = 1.0
    repaired: int = 0  # segments recovered

    def fill(self, start: float, end: float, before: list[Word] = (), after: list[Word] = (),
             min_speech: float | None = None) -> list[Segment]:
        """Segments for the speech in [start, end) (absolute seconds) that no segment covers.

        ``before`` / ``after``: the transcript's words just before and after the gap."""
        if end - start < self.min_gap:
            return []
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        sr = self.sample_rate
        a = max(0, int((start - self.offset) * sr))
        b = min(len(self.samples), int((end - self.offset) * sr))
        if b - a < self.min_gap * sr:
            return []
        gap = self.samples[a:b]
        regions = get_speech_timestamps(gap, VadOptions(min_silence_duration_ms=500), sampling_rate=sr)
        speech = sum(r["end"] - r["start"] for r in regions) / sr
        if speech < (self.min_speech if min_speech is None else min_speech):
            return []
        lo = max(0, regions[0]["start"] - int(0.2 * sr))
        hi = min(len(gap), regions[-1]["end"] + int(0.2 * sr))
        base = self.offset + (a + lo) / sr
        onset = self.offset + (a + regions[0]["start"]) / sr
        best: list[Segment] = []
        for kwargs in self.attempts:
            out = self._transcribe(gap[lo:hi], base, start, end, kwargs)
            if sum(len(x.words) for x in out) > sum(len(x.words) for x in best):
                best = out
            if out and out[0].start <= onset + 0.8:  # the opening of the gap's speech is there
                break
        best = drop_echoes(best, list(before)[-3:], list(after)[:3])
        self.repaired += len(best)
        return best

    def _transcribe(self, audio: np.ndarray, base: float, start: float, end: float, kwargs: dict) -> list[Segment]:
        segments, _ = self.model.transcribe(audio, **kwargs)
        out: list[Segment] = []
        for raw in segments:
            words = [Word(base + float(w.start), base + float(w.end), w.word, float(w.probability))
                     for w in (raw.words or [])]
            words = [w for w in words if start - 0.05 <= (w.start + w.end) / 2 < end - 0.05]
            if not words:
                continue
            out.append(Segment(index=0, start=words[0].start, end=words[-1].end,
                               text="".join(w.word for w in words).strip(), words=words,
                               avg_logprob=float(raw.avg_logprob), no_speech_prob=float(raw.no_speech_prob),
                               compression_ratio=float(raw.compression_ratio)))
        return out


def unsure_opening(words: list[Word], max_prob: float = 0.1, max_words: int = 3) -> int:
    """How many words open ``words`` that the model wrote over speech it did not recognise.

    With hotwords, tiny.en sometimes replaces the opening of a clip with a word or two it is sure
    of at under 10 % ("The call to action was a second meeting" came out "when[0.00] a[0.08]
    second[0.89] meet..."; issue #13).  Up to ``max_words`` leading words under ``max_prob``,
    followed by a word above it; 0 when there is no such opening."""
    n = 0
    while n < min(max_words, len(words) - 1) and words[n].probability < max_prob:
        n += 1
    return n if n and words[n].probability >= max_prob else 0


def reheard_fits_better(scorer, heard: list[Word], seg: Segment, n: int, prompt: str = "") -> bool:
    """Whether the opening's audio fits ``heard`` (the repair's words) better than the ``n``
    opening words of ``seg``, by the model's judgement after the same ``prompt`` (the hotwords) as
    the decoding (``forced_score``).  Only the stretch up to ``seg``'s first sure word is scored,
    each reading without trailing punctuation (the sentence goes on after the stretch).  Heard
    words that end before ``seg`` starts are speech of a gap before it, and stand in both readings.

    Issue #13: the word-probability rule it replaces (the re-heard words surer on average than the
    opening) took "Oh, and he could help me, can I ask?" over "and economic buyer", all three
    words under 5 %; scored, "and economic buyer" wins by 15 nats, while "The call to action" still
    wins over "one" by 3.  Unbiased, the junk won too, by 1."""
    before = [w for w in heard if w.end <= seg.start + 0.05]
    start, end = min(heard[0].start, seg.start), seg.words[n].start
    if not scorer.fits(start, end):
        return False
    window = scorer.window(start, end)
    begin = scorer.start_sequence(prompt)

    def score(words: list[Word]) -> float:
        said = [w.word for w in words]
        said[-1] = said[-1].rstrip(".,?!;:")
        return scorer.text_logprob(window, said, begin)
    return score(heard) > score(before + seg.words[:n])


def _tok(w: Word) -> str:
    return "".join(c for c in w.word.lower() if c.isalnum() or c == "'")


def drop_echoes(segs: list[Segment], before: list[Word], after: list[Word]) -> list[Segment]:
    """Leave out recovered words at the edges of the gap that repeat the neighbouring words."""
    words = [w for s in segs for w in s.words]
    i, j = 0, len(words)
    while i < j and any(_tok(words[i]) == _tok(b) and words[i].start - b.end < 1.0 for b in before):
        i += 1
    while j > i and any(_tok(words[j - 1]) == _tok(a) and a.start - words[j - 1].end < 1.0 for a in after):
        j -= 1
    keep = {id(w) for w in words[i:j]}
    out = []
    for s in segs:
        ws = [w for w in s.words if id(w) in keep]
        if ws:
            out.append(s.with_words(ws))
    return out


def speech_seconds(samples: np.ndarray, start: float, end: float, sample_rate: int = 16000) -> float:
    """Seconds of speech Silero VAD finds in ``samples[start:end]`` (seconds into ``samples``)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps
    a, b = max(0, int(start * sample_rate)), min(len(samples), int(end * sample_rate))
    if b - a < int(0.1 * sample_rate):
        return 0.0
    regions = get_speech_timestamps(samples[a:b], VadOptions(), sampling_rate=sample_rate)
    return sum(r["end"] - r["start"] for r in regions) / sample_rate
