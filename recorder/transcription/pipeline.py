"""One file in, one transcript record out: decode, transcribe, find terms, measure.  No Qt, no store.

This is what ``rolecall transcribe`` runs for each file (in process: a terminal command can be
interrupted with Ctrl-C, so it needs no child process), and what the benchmark times against bare
faster-whisper.  The station's background queue runs the same steps with the model in a child
process (recorder/transcription/process.py) and stores segments as they arrive.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from recorder.transcription.transcriber import Transcriber
from recorder.transcription.results import Segment, Transcript
from scoring.speech_metrics import segment_start_indices, speech_metrics
from scoring.terms import TermHit, VocabTerm, find_terms, vocabulary_phrases


@dataclass
class TranscriptionResult:
    transcript: Transcript
    hits: list[TermHit]
    metrics: dict

    @property
    def segments(self) -> list[Segment]:
        return self.transcript.segments


def bias_phrases(terms: Sequence[VocabTerm]) -> list[str]:
    """What goes to the recogniser: the canonical terms and the -ing forms of one-word terms.

    Aliases are left out of the prompt on purpose (they are still detected): measured on the tr_*
    fixtures with the default kit, a prompt with aliases made tiny.en's output depend on the order
    of the terms (a clip opening with "deal clinic" came out as "new messaging" in two orders of
    three), while canonical terms only found 21/21 spoken terms in every order."""
    return vocabulary_phrases([VocabTerm(t.term) for t in terms], with_inflections=True)


def said_forms(terms: Sequence[VocabTerm]) -> list[str]:
    """Every way a term may be said (canonical, aliases, -ing forms): what the near-miss recheck
    of recorder/transcription/term_recheck.py listens for."""
    return vocabulary_phrases(terms, with_inflections=True)


def analyse(transcript: Transcript, terms: Sequence[VocabTerm]) -> TranscriptionResult:
    words = transcript.words
    hits = find_terms(words, terms)
    metrics = speech_metrics(words, transcript.duration,
                             segment_starts=segment_start_indices(transcript.segments))
    metrics["dropped_segments"] = transcript.dropped
    if transcript.info.damaged:
        metrics["damaged_input"] = "; ".join(transcript.info.problems)
    return TranscriptionResult(transcript, hits, metrics)


def transcribe_file(transcriber: Transcriber, path: str | os.PathLike,
                    terms: Sequence[VocabTerm]) -> TranscriptionResult:
    transcript = transcriber.transcribe_all(path, bias_phrases(terms), said_forms(terms))
    return analyse(transcript, terms)
