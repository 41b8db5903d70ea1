"""Whisper on the speech, and no further than the speech.  No Qt.

``speech_segments(model, samples, kwargs)`` gives what ``model.transcribe(samples, **kwargs)``
gives with ``vad_filter=True`` (the same Silero VAD, the same speech-only audio, times mapped back
to the file), except that it stops asking for windows once the words have reached the end of the
speech.

Why (issue #13, measured on real telephone prompts with the kit's hotwords): with word timestamps
faster-whisper moves to the last word's end after each window, so the VAD's 0.4 s of padding after
the last word is decoded again as a window of its own.  Unbiased tiny.en usually ends its window
with a single timestamp and never gets there; biased, it does, and invents a word each time:
"Participants in the conference." then "questions." three times, four extra windows, 3.8 s
instead of 1.3 s.  Those windows hold no speech (VAD said where it ends), so they are not decoded.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

TAIL_SLACK = 0.2  # seconds: Whisper's last word may end this much before the speech does


def speech_segments(model, samples: np.ndarray, kwargs: dict, sample_rate: int = 16000) -> Iterator:
    """faster-whisper segments (times in ``samples``' seconds), stopping at the end of speech."""
    if not kwargs.get("vad_filter"):
        yield from model.transcribe(samples, **kwargs)[0]
        return
    from faster_whisper.transcribe import restore_speech_timestamps
    from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

    params = kwargs.get("vad_parameters") or {}
    options = params if isinstance(params, VadOptions) else VadOptions(**params)
    chunks = get_speech_timestamps(samples, options, sampling_rate=sample_rate)
    if not chunks:
        return
    content = np.concatenate(collect_chunks(samples, chunks, sampling_rate=sample_rate)[0])
    speech_end = len(content) / sample_rate - options.speech_pad_ms / 1000 - TAIL_SLACK
    plain = {k: v for k, v in kwargs.items() if k != "vad_parameters"}
    segments, _ = model.transcribe(content, **{**plain, "vad_filter": False})
    for seg in segments:
        end = seg.words[-1].end if seg.words else seg.end  # in the speech-only audio
        yield next(iter(restore_speech_timestamps([seg], chunks, sample_rate)))
        if end >= speech_end:
            return
