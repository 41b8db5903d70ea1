"""Transcription benchmark (issue #4).  Prints a markdown table; not a pass/fail test.

    .venv/bin/python benchmarks/bench_transcribe.py [--threads 2] [--repeat 3] [--vocabulary FILE]

In one process, with one loaded model (the bundled tiny.en unless --model), on the tr_* speech
fixtures and on a "take" made by joining them (with 1.5 s gaps, three times over, about 2 min):

* speed: bare faster-whisper (``WhisperModel.transcribe(path, ...)`` with the same decoding options
  and the same vocabulary prompt, segments consumed) against the ``rolecall transcribe`` pipeline
  (our tolerant decode, filters, gap repair, term detection, metrics, JSON rendering).  Runs
  alternate per file (bare first, then pipeline first), and each file's best of --repeat counts,
  which keeps other load on the machine out of the ratio as far as possible.  Ratio = pipeline / bare; real-time factor = time / audio.
* accuracy: word error rate and term recall (terms spoken in the script found within 0.5 s of
  where espeak-ng said them) for each biasing mode (none, initial prompt, hotwords, both), on the
  clips and on the two-minute take (where the prompt only reaches the first 30 s window).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recorder.transcription.audio_decode import decode_audio  # noqa: E402
from recorder.transcription.subtitles import render  # noqa: E402
from recorder.transcription.transcriber import Transcriber  # noqa: E402
from recorder.transcription.pipeline import bias_phrases, transcribe_file  # noqa: E402
from scoring.terms import TimedWord, find_terms, load_vocabulary_file  # noqa: E402

SPEECH = ROOT / "tests" / "data" / "speech"
CLIPS = ["tr_teachback_us", "tr_champion_gb", "tr_outreach_f3", "tr_roleplay_m7", "tr_clinic_us"]


def norm_words(text: str) -> list[str]:
    return [t for t in (re.sub(r"[^a-z0-9']+", "", w) for w in text.lower().replace("-", " ").split()) if t]


def make_take(path: Path, times: int = 3) -> tuple[float, list[TimedWord], str]:
    """Join the clips (1.5 s gaps), ``times`` over; return duration, reference words with times, text."""
    gap = np.zeros(24000, dtype=np.float32)
    parts, words, texts, off = [], [], [], 0.0
    for _ in range(times):
        for c in CLIPS:
            a = decode_audio(SPEECH / f"{c}.wav").samples
            script = json.loads((SPEECH / f"{c}.json").read_text())
            words += [TimedWord(w["start"] + off, w["end"] + off, w["word"]) for w in script["words"]]
            texts.append(script["text"])
            parts += [a, gap]
            off += (len(a) + len(gap)) / 16000
    pcm = np.concatenate(parts)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes((pcm * 32767).astype(np.int16).tobytes())
    return len(pcm) / 16000, words, " ".join(texts)


def bare(model, path: Path, kwargs: dict) -> float:
    t0 = time.perf_counter()
    segments, _ = model.transcribe(str(path), **kwargs)
    for _ in segments:
        pass
    return time.perf_counter() - t0


def pipeline(transcriber: Transcriber, path: Path, terms) -> float:
    t0 = time.perf_counter()
    r = transcribe_file(transcriber, path, terms)
    render("json", str(path), r.transcript.duration, r.segments, r.hits, r.metrics)
    return time.perf_counter() - t0


def score(transcriber: Transcriber, path: Path, ref_text: str, ref_words, terms):
    r = transcribe_file(transcriber, path, terms)
    ref = norm_words(ref_text)
    errors = Levenshtein.distance(ref, norm_words(r.transcript.text))
    expected = find_terms(ref_words, terms)
    found = [e for e in expected if any(h.term == e.term and abs(h.start - e.start) <= 0.5 for h in r.hits)]
    missed = [e.term for e in expected if e not in found]
    return errors, len(ref), len(found), len(expected), missed


def accuracy(transcriber: Transcriber, terms, biasing: str, take: tuple) -> dict:
    default = transcriber.settings.biasing
    transcriber.settings.biasing = biasing
    try:
        e = n = f = x = 0
        missed: list[str] = []
        for c in CLIPS:
            script = json.loads((SPEECH / f"{c}.json").read_text())
            words = [TimedWord(w["start"], w["end"], w["word"]) for w in script["words"]]
            de, dn, df, dx, dm = score(transcriber, SPEECH / f"{c}.wav", script["text"], words, terms)
            e, n, f, x = e + de, n + dn, f + df, x + dx
            missed += [f"{m} ({c})" for m in dm]
        path, words, text = take
        te, tn, tf, tx, tm = score(transcriber, path, text, words, terms)
        return {"clips": (e / n, f, x, missed), "take": (te / tn, tf, tx, tm)}
    finally:
        transcriber.settings.biasing = default


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", default=None)
    ap.add_argument("--vocabulary", default=str(ROOT / "assets" / "kit" / "default.yaml"))
    a = ap.parse_args()

    terms = load_vocabulary_file(a.vocabulary)
    tr = Transcriber(model=a.model, threads=a.threads)
    model = tr.model
    kwargs = tr.model_kwargs(bias_phrases(terms))
    with tempfile.TemporaryDirectory() as tmp:
        take = Path(tmp) / "take.wav"
        take_s, take_words, take_text = make_take(take)
        clip_paths = [SPEECH / f"{c}.wav" for c in CLIPS]
        clips_s = sum(decode_audio(p).duration for p in clip_paths)
        bare(model, clip_paths[0], kwargs)  # warm-up
        rows = []
        for label, paths, audio_s in (("5 clips, one file each", clip_paths, clips_s),
                                      ("2-min take (clips joined x3)", [take], take_s)):
            b_best = {p: float("inf") for p in paths}
            p_best = dict(b_best)
            for i in range(a.repeat):  # alternate which goes first; keep each file's best time
                for p in paths:
                    runs = [("b", bare, model, kwargs), ("p", pipeline, tr, terms)]
                    for kind, fn, x, y in (runs if i % 2 == 0 else runs[::-1]):
                        t = fn(x, p, y)
                        best = b_best if kind == "b" else p_best
                        best[p] = min(best[p], t)
            rows.append((label, audio_s, sum(b_best.values()), sum(p_best.values())))
        acc = {mode: accuracy(tr, terms, mode, (take, take_words, take_text))
               for mode in ("none", "prompt", "hotwords", "both")}

    print(f"model: {Path(tr.model_path).name if tr.model_is_local else tr.model_path} "
          f"({'bundled tiny.en' if a.model is None else a.model}, {tr.settings.compute_type}, "
          f"{a.threads} threads, beam {tr.settings.beam_size}); biasing: {tr.settings.biasing}; "
          f"vocabulary: {len(terms)} terms from {Path(a.vocabulary).name}; best of {a.repeat}\n")
    print("| input | audio s | bare faster-whisper s | rolecall pipeline s | pipeline / bare | RTF (pipeline) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, audio_s, b, p in rows:
        print(f"| {label} | {audio_s:.1f} | {b:.2f} | {p:.2f} | {p / b:.3f} | {p / audio_s:.3f} |")
    print()
    print("| biasing | WER 5 clips | terms found (clips) | WER 2-min take | terms found (take) | missed |")
    print("|---|---:|---:|---:|---:|---|")
    for mode, r in acc.items():
        cw, cf, cx, cm = r["clips"]
        tw, tf, tx, tm = r["take"]
        missed = ", ".join(cm + [f"{m} (take)" for m in tm]) or "-"
        label = f"{mode} (default)" if mode == tr.settings.biasing else mode
        print(f"| {label} | {cw:.1%} | {cf}/{cx} | {tw:.1%} | {tf}/{tx} | {missed} |")


if __name__ == "__main__":
    main()
