"""Guards against Whisper's hallucinations on silence, noise and loops.  No Qt.

Applied to every segment as it comes out of the model:
  * a segment the model thinks is not speech (``no_speech_prob`` above the threshold) is dropped when
    it is also unsure of its words: average log probability under -1 (Whisper's own rule), or under
    -0.5 for a short segment (three words or fewer, the usual shape of a hallucination), or its
    text is a repetition loop (gzip compression ratio over 2.4: "thank you so much for joining us"
    over and over, seen on silence with VAD off and the vocabulary prompt).
    ``no_speech_prob`` alone is not enough: faster-whisper gives every segment of a 30 s window the
    window's value, and on continuous, confidently recognised speech it was measured at 0.66-0.93;
    dropping on it alone lost most of a one-minute take;
  * the stock phrases Whisper invents on silence ("Thank you.", "Thanks for watching!") are dropped
    when the segment is also doubtful (some no-speech probability or a low log probability);
  * a phrase repeated in a loop inside a segment (n-gram of 1..8 words three or more times in a
    row) is collapsed to one occurrence, when the repeats do not sound spoken;
  * a segment whose text repeats one of the two previous segments word for word is dropped;
  * words the model invented after the speech (``looks_invented``) are dropped;
  * a repetition loop squeezed into a moment (``squeezed_loop``) is dropped whole.
Issue #13 (real recordings, see BENCHMARKS.md): the guards made for silence (short doubtful
segments, stock phrases, repeated segments) drop only where Silero VAD hears no speech under the
segment (``SegmentFilter.has_speech``, set by the transcriber); without it they act as before.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from recorder.transcription.results import Segment, Word

STOCK_PHRASES = {
    "thank you", "thanks for watching", "thank you for watching", "thanks", "bye", "you",
    "subtitles by the amara org community", "please subscribe", "thank you so much", "okay",
    "so", "uh", "um", "hmm", "oh", "the end", "i'm sorry", "goodbye", "in", "training",
}
MIN_WORD_SECONDS = 0.1  # average word length under which words were not spoken (loops, invented tails)
LOW_WORD_PROB = 0.15


def norm_token(word: str) -> str:
    return re.sub(r"[^\w']+", "", word.lower())


def norm_text(text: str) -> str:
    return " ".join(t for t in (norm_token(w) for w in text.split()) if t)


def _plausible(words: list[Word]) -> bool:
    """Words that look spoken: on average at least 0.1 s each and recognised with probability 0.5."""
    if not words:
        return False
    dur = sum(max(0.0, w.end - w.start) for w in words) / len(words)
    prob = sum(w.probability for w in words) / len(words)
    return dur >= MIN_WORD_SECONDS and prob >= 0.5


def collapse_loops(words: list[Word], min_repeats: int = 3, max_ngram: int = 8,
                   timed: bool = True) -> list[Word]:
    """Collapse an n-gram repeated ``min_repeats`` or more times in a row to a single occurrence.

    With ``timed`` (words carry Whisper's timestamps), a run is collapsed only when its repeats do
    not look spoken (squeezed under 0.1 s a word or probability under 0.5 on average, as in the
    loops Whisper writes at the end of a window): people do say "no no no" or "words words
    words", and tiny.en times those like any other word."""
    toks = [norm_token(w.word) for w in words]
    out: list[Word] = []
    i = 0
    while i < len(words):
        collapsed = False
        for n in range(1, max_ngram + 1):
            if i + n * min_repeats > len(words):
                break
            gram = toks[i:i + n]
            if not any(gram):
                continue
            reps = 1
            while toks[i + reps * n:i + (reps + 1) * n] == gram:
                reps += 1
            if reps >= min_repeats and not (timed and _plausible(words[i + n:i + reps * n])):
                out.extend(words[i:i + n])
                i += reps * n
                collapsed = True
                break
        if not collapsed:
            out.append(words[i])
            i += 1
    return out


def looks_invented(seg: Segment) -> bool:
    """Words the model wrote without hearing them (measured on real recordings, issue #13).

    With a vocabulary in the prompt, tiny.en often ends a clip or a window with a segment of one
    to ten words that were never said ("tips.", "call.", "in.", "Rest. just.", "Good morning,
    everyone, thank you for joining us today."), placed after the last word and squeezed into the
    last tenths of a second.  Their marks: most of their words have probability under 0.15, and
    * one word alone in its segment: its probability is under 0.1 (measured 0.00-0.07 on the
      invented ones; a word that unsure is wrong even when something was said, so dropping it costs
      nothing), or the segment's average log probability is under -0.7;
    * more words: average log probability under -0.7, and the words are squeezed (under 0.1 s a
      word on average), or mostly near zero probability, or the first is (under 0.05: "Thank[0.01]
      you[0.97]" - once the model has invented a first word, the rest of a stock phrase follows
      with confidence)."""
    if not seg.words:
        return False
    probs = sorted(w.probability for w in seg.words)
    if sum(p < LOW_WORD_PROB for p in probs) / len(probs) < 0.5:
        return False
    if len(seg.words) == 1:
        return seg.avg_logprob < -0.7 or probs[0] < 0.1
    if seg.avg_logprob >= -0.7:
        return False
    span = (seg.words[-1].end - seg.words[0].start) / len(seg.words)
    return (span < MIN_WORD_SECONDS or probs[len(probs) // 2] < LOW_WORD_PROB
            or seg.words[0].probability < 0.05)


def squeezed_loop(seg: Segment, loop_compression: float = 2.4) -> bool:
    """Four or more words squeezed into a moment: nobody said them.  Either a repetition loop (gzip
    ratio over ``loop_compression``) timed under 0.1 s a word, or any run timed under 0.05 s a word
    (20 words a second; people say 2-4).  Measured on a real 31 s take with the kit vocabulary
    (issue #13): after the last word tiny.en wrote "for you. Thank you very much for joining us."
    27 times into 0.5 s (ratio 17.9, no-speech 0.41, so Whisper's own rule kept it), and collapsing
    the loop still left 13 invented words; on a synthetic clip, "call to action. Thank you for
    watching. ... Bye bye." (21 words in 0.36 s, ratio 2.1) after the last word."""
    if len(seg.words) < 4:
        return False
    per_word = (seg.words[-1].end - seg.words[0].start) / len(seg.words)
    return per_word < 0.5 * MIN_WORD_SECONDS or (
        seg.compression_ratio > loop_compression and per_word < MIN_WORD_SECONDS)


@dataclass
class SegmentFilter:
    no_speech_threshold: float = 0.6
    doubtful_no_speech: float = 0.25
    doubtful_logprob: float = -0.5
    unsure_logprob: float = -1.0
    loop_compression: float = 2.4  # Whisper's gzip-ratio mark of a repetition loop
    recent: list[str] = field(default_factory=list)
    dropped: int = 0
    # has_speech(start, end): whether the audio under a segment holds speech (Silero VAD), set by the
    # transcriber.  The guards made for silence (short doubtful segments, stock phrases, repeats)
    # only drop where it says no: on real recordings they removed short real answers otherwise.
    has_speech: Callable[[float, float], bool] | None = None

    def _silent(self, seg: Segment) -> bool:
        return self.has_speech is None or not self.has_speech(seg.start, seg.end)

    def accept(self, seg: Segment) -> Segment | None:
        """Return the cleaned segment, or None if it should be dropped."""
        text_norm = norm_text(seg.text)
        if not text_norm or looks_invented(seg) or squeezed_loop(seg, self.loop_compression):
            return self._drop()
        if seg.no_speech_prob > self.no_speech_threshold and (
                seg.avg_logprob < self.unsure_logprob or seg.compression_ratio > self.loop_compression):
            return self._drop()
        if seg.no_speech_prob > self.no_speech_threshold and seg.avg_logprob < self.doubtful_logprob \
                and len(text_norm.split()) <= 3 and self._silent(seg):
            return self._drop()
        if text_norm in STOCK_PHRASES and (seg.no_speech_prob > self.doubtful_no_speech
                                           or seg.avg_logprob < self.doubtful_logprob) and self._silent(seg):
            return self._drop()
        if seg.words:
            kept = collapse_loops(seg.words)
            if len(kept) != len(seg.words):
                seg.words = kept
                seg.text = "".join(w.word for w in kept).strip()
                text_norm = norm_text(seg.text)
        else:
            toks = seg.text.split()
            kept_t = collapse_loops([Word(0, 0, t) for t in toks], timed=False)
            if len(kept_t) != len(toks):
                seg.text = " ".join(w.word for w in kept_t)
                text_norm = norm_text(seg.text)
        if len(text_norm.split()) >= 2 and text_norm in self.recent and self._silent(seg):
            return self._drop()
        self.recent = (self.recent + [text_norm])[-2:]
        return seg

    def _drop(self) -> None:
        self.dropped += 1
        return None


def split_sentences(seg: Segment, max_duration: float = 7.0) -> list[Segment]:
    """Split a long segment at sentence ends (by its word timestamps) into readable pieces.

    With a vocabulary prompt tiny.en often returns a whole 30 s window as one segment; subtitles and
    the transcript view want sentences.  Segments up to ``max_duration`` seconds stay whole."""
    if seg.end - seg.start <= max_duration or len(seg.words) < 2:
        return [seg]
    pieces: list[list[Word]] = [[]]
    for w in seg.words:
        pieces[-1].append(w)
        if w.word.rstrip().endswith((".", "?", "!")):
            pieces.append([])
    pieces = [p for p in pieces if p]
    if len(pieces) == 1:
        return [seg]
    return [seg.with_words(p) for p in pieces]
