"""How well a given text fits a stretch of audio, by the model's own judgement.  No Qt.

Forced alignment with CTranslate2's ``Whisper.align`` (what faster-whisper uses for word
timestamps) also returns the probability of each given token after the ones before it.  Their
log sum is the text's log probability given the audio, so two readings of the same stretch can be
compared: the one the model would rather have heard scores higher.  A ``prompt`` stands where
faster-whisper puts hotwords (the previous-text slot); without it the judgement is unbiased.

    scorer = ForcedScorer(model, samples)                # the transcribed samples
    window = scorer.window(2.1, 5.8)                     # one encoder pass (about 0.3 s on tiny.en)
    total, probs = scorer.logprob(window, [" and", " economic", " buyer"])
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

PAD = 0.3  # seconds of audio kept on each side of a stretch
MAX_WINDOW = 29.5  # one Whisper window, 30 s, less a margin


@dataclass
class Window:
    encoded: object  # ctranslate2.StorageView
    frames: int


class ForcedScorer:
    def __init__(self, model, samples: np.ndarray, offset: float = 0.0, sample_rate: int = 16000):
        from faster_whisper.tokenizer import Tokenizer
        self.model = model  # faster_whisper.WhisperModel
        self.samples = samples
        self.offset = offset  # the time of samples[0]
        self.sample_rate = sample_rate
        self.tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                                   language="en")

    def fits(self, start: float, end: float) -> bool:
        return end - start + 2 * PAD <= MAX_WINDOW

    def window(self, start: float, end: float) -> Window:
        """The encoded audio of [start - PAD, end + PAD] (absolute seconds), padded to 30 s."""
        from faster_whisper.audio import pad_or_trim
        sr = self.sample_rate
        a = max(0, int((start - PAD - self.offset) * sr))
        b = min(len(self.samples), int((end + PAD - self.offset) * sr))
        feats = self.model.feature_extractor(self.samples[a:b])[..., :-1]
        return Window(self.model.encode(pad_or_trim(feats)), min(feats.shape[-1], 3000))

    def start_sequence(self, prompt: str = "") -> list[int]:
        tok = self.tokenizer
        start = list(tok.sot_sequence)
        if prompt.strip():
            start = [tok.sot_prev] + tok.encode(" " + prompt.strip())[:223] + start
        return start + [tok.no_timestamps]

    def pieces(self, words: Sequence[str]) -> list[list[int]]:
        """The tokens of each word as Whisper wrote it (a leading space where it has one)."""
        return [self.tokenizer.encode(" " + w if k == 0 and not w.startswith(" ") else w)
                for k, w in enumerate(words)]

    def logprob(self, window: Window, tokens: list[int], start: list[int] | None = None) -> tuple[float, list[float]]:
        """Log probability of ``tokens`` (and the end of text) given the audio, and each token's
        probability; ``start`` from ``start_sequence`` (default: no prompt)."""
        seq = start if start is not None else self.start_sequence()
        r = self.model.model.align(window.encoded, seq, [tokens], window.frames)[0]
        p = np.maximum(np.asarray(r.text_token_probs, dtype=float), 1e-10)
        return float(np.log(p).sum()), [float(x) for x in p]

    def text_logprob(self, window: Window, words: Sequence[str], start: list[int] | None = None) -> float:
        return self.logprob(window, [t for p in self.pieces(words) for t in p], start)[0]
