"""A second listen to words that sound like one of the team's terms.  No Qt.

Hotwords make a term likelier, but tiny.en still writes some terms it hears as other words: "and
then rediscover a call" for "every discovery call", "this company call" for "discovery call",
"mid-ox reach email" for "outreach email" (issue #13; espeak-ng sentences of
benchmarks/vocab_clips.py).  The recheck asks the model itself:

* candidates: a stretch of one segment's words (the term's length -1 to +2 words) whose letters
  are close to a term form's (rapidfuzz ratio >= ``min_similarity``), where the model was unsure
  of at least one word (probability < ``unsure_below``, 0.4: the least sure word of every stretch
  taken on the development items and fixtures was at 0.35 or less; at 0.5 the recheck cost the
  two-minute take of bench_transcribe.py twice as much), and that is not a term already;
* test: the segment's audio is scored (``forced_score``: the log probability of a given text,
  after the same hotwords as previous text) twice, as written and with the term in place of the
  stretch;
* the term replaces the stretch when it costs the whole segment at most ``max_cost`` nats, the
  cheapest first where candidates overlap.  The new words share the stretch's time by length.

Measured with the default kit on the first 60 sentences and 8 takes of vocab_clips and 52 real
recordings (session 17): the five stretches under 3 nats were all terms truly said (0.3 to 2.4);
above came a true term that swallowed a "the" (3.5), then "Teach" -> "teach-back" and "remove" ->
"reframe", wrongly (3.8, 3.9).  On the real recordings, which never say a term, the cheapest
near miss the unsure-word gate let through cost 19.7 nats.  ``max_cost`` is 3.0.  Cost: one
encoder pass (about 0.3 s) per segment with a candidate and about 0.05 s per candidate; on real
speech most segments have none.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from recorder.transcription.forced_score import ForcedScorer
from recorder.transcription.results import Segment, Word


def letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def with_plurals(phrases: Sequence[str]) -> list[str]:
    """``phrases`` and their plurals (of the last word), each once."""
    out: dict[str, None] = {}
    for p in phrases:
        p = " ".join(p.split())
        if not p:
            continue
        out.setdefault(p, None)
        if p[-1].isalpha() and not p.endswith(("s", "ing", "ed")):
            out.setdefault(p + "s", None)
    return list(out)


@dataclass
class Candidate:
    first: int  # index of the first word replaced
    stop: int  # one past the last
    form: str
    cost: float = 0.0  # nats the form costs the segment against the words written
    form_probs: list[float] = field(default_factory=list)


@dataclass
class TermRecheck:
    scorer: ForcedScorer  # over the audio transcribed
    phrases: Sequence[str]  # terms, aliases and inflections, as they may be said
    prompt: str = ""  # the previous text the decoding had (the hotwords)
    min_similarity: float = 0.6
    unsure_below: float = 0.4
    max_cost: float = 3.0
    scored: int = 0  # candidates scored
    replaced: int = 0

    def __post_init__(self):
        from scoring.terms import VocabTerm
        self.forms = with_plurals(self.phrases)
        self._terms = [VocabTerm(f) for f in self.forms]
        self._start = self.scorer.start_sequence(self.prompt)

    def candidates(self, words: list[Word]) -> list[Candidate]:
        from rapidfuzz import fuzz
        from scoring.terms import find_terms
        taken = set()
        for h in find_terms(words, self._terms):
            taken.update(range(h.first_word, h.last_word + 1))
        best: dict[tuple[int, int], tuple[float, str]] = {}  # per stretch, the closest form
        for form in self.forms:
            k, target = len(form.split()), letters(form)
            for n in range(max(1, k - 1), k + 3):
                for i in range(len(words) - n + 1):
                    span = range(i, i + n)
                    if taken.intersection(span) or min(words[j].probability for j in span) >= self.unsure_below:
                        continue
                    said = letters("".join(words[j].word for j in span))
                    sim = fuzz.ratio(said, target) if said else 0.0
                    if sim >= 100 * self.min_similarity and sim > best.get((i, i + n), (0.0, ""))[0]:
                        best[i, i + n] = (sim, form)
        return [Candidate(i, j, form) for (i, j), (_, form) in sorted(best.items())]

    def apply(self, seg: Segment) -> Segment:
        """``seg`` with near misses the audio supports replaced by the term; else ``seg`` itself."""
        words = seg.words
        if not words or not self.scorer.fits(seg.start, seg.end):
            return seg
        cands = self.candidates(words)
        if not cands:
            return seg
        window = self.scorer.window(seg.start, seg.end)
        pieces = self.scorer.pieces([w.word for w in words])
        base = self.scorer.logprob(window, [t for p in pieces for t in p], self._start)[0]
        for c in cands:
            form = self.scorer.tokenizer.encode(" " + c.form)
            toks = [t for p in pieces[:c.first] for t in p] + form + [t for p in pieces[c.stop:] for t in p]
            total, probs = self.scorer.logprob(window, toks, self._start)
            pre = sum(len(p) for p in pieces[:c.first])
            c.cost, c.form_probs = base - total, probs[pre:pre + len(form)]
        self.scored += len(cands)
        chosen: list[Candidate] = []
        for c in sorted(cands, key=lambda c: c.cost):
            if c.cost <= self.max_cost and all(c.stop <= o.first or c.first >= o.stop for o in chosen):
                chosen.append(c)
        if not chosen:
            return seg
        self.replaced += len(chosen)
        out = list(words)
        for c in sorted(chosen, key=lambda c: -c.first):
            out[c.first:c.stop] = self._new_words(words[c.first:c.stop], c)
        return seg.with_words(out)

    @staticmethod
    def _new_words(old: list[Word], c: Candidate) -> list[Word]:
        """The form's words over the time of the words they replace, split by length; the
        trailing punctuation of the last replaced word is kept."""
        parts = c.form.split()
        tail = re.search(r"[^\w'-]*$", old[-1].word.rstrip()).group(0)
        t0, t1 = old[0].start, old[-1].end
        total = sum(len(p) for p in parts)
        prob = float(np.exp(np.mean(np.log(np.maximum(c.form_probs, 1e-9))))) if c.form_probs else 0.0
        out, at = [], t0
        for k, p in enumerate(parts):
            end = t1 if k == len(parts) - 1 else at + (t1 - t0) * len(p) / total
            out.append(Word(at, end, " " + p + (tail if k == len(parts) - 1 else ""), prob))
            at = end
        return out
