"""Real-speech benchmark (issue #13): bare faster-whisper against the rolecall pipeline.

    .venv/bin/python benchmarks/bench_transcribe_real.py [--telephone 24] [--takes 4] [--repeat 1] [--dump out.json]
    .venv/bin/python benchmarks/bench_transcribe_real.py --from-dump out.json   # tables again, no run
    .venv/bin/python benchmarks/bench_transcribe_real.py --biasing both         # another biasing

Inputs: bench_transcribe_realset.real_set() (Debian asterisk-core-sounds-en-wav and
pocketsphinx-testdata, plus tests/data/realspeech), the synthetic tr_* clips of tests/data/speech,
and the espeak-ng vocabulary sentences and takes of vocab_clips.py (made at run time).  One process, one loaded model (the bundled tiny.en unless --model), for three
vocabularies:

* ``none``: no biasing;
* ``kit``: the default kit's terms (what ``rolecall transcribe`` uses when given none; not spoken
  in the real recordings, so it shows what biasing costs on unrelated speech);
* ``source``: terms of the recording's own domain (voicemail, Dashwood...; the kit's terms for the
  synthetic clips), which are spoken.

*Bare* = ``WhisperModel.transcribe(audio, **kw)`` with the same options and biasing the pipeline
uses (VAD on, beam 5, the default biasing: hotwords), segments joined; *pipeline* =
``transcribe_file`` (decode, filters, gap repair, term detection, metrics).  Both get the same
16 kHz samples.  WER uses Whisper's English text normaliser (whisper-normalizer) on reference and
hypothesis alike.  Vocabulary misses: occurrences of a term in the reference (scoring.terms
matching, inflections included) beyond those found in the transcript.  Time: sums over the same
items, bare and pipeline alternating per item, best of --repeat per item.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_transcribe_realset import Item, real_set  # noqa: E402
from vocab_clips import is_fresh, vocab_items  # noqa: E402
from recorder.transcription.audio_decode import decode_audio  # noqa: E402
from recorder.transcription.transcriber import Transcriber  # noqa: E402
from recorder.transcription.results import Transcript, TranscriptInfo  # noqa: E402
from recorder.transcription.pipeline import bias_phrases, transcribe_file  # noqa: E402
from scoring.speech_metrics import HESITATIONS  # noqa: E402
from scoring.terms import TimedWord, VocabTerm, find_terms, load_vocabulary_file  # noqa: E402

SPEECH = ROOT / "tests" / "data" / "speech"
SYNTH = ["tr_teachback_us", "tr_champion_gb", "tr_outreach_f3", "tr_roleplay_m7", "tr_clinic_us"]
_NORM = None


def normalise(text: str) -> list[str]:
    global _NORM
    if _NORM is None:
        from whisper_normalizer.english import EnglishTextNormalizer
        _NORM = EnglishTextNormalizer()
    return _NORM(text).split()


def errors(ref: str, hyp: str) -> tuple[int, int]:
    r = normalise(ref)
    return Levenshtein.distance(r, normalise(hyp)), len(r)


def term_counts(text: str, terms: list[VocabTerm]) -> Counter:
    words = [TimedWord(i, i + 0.5, w) for i, w in enumerate(text.split())]
    return Counter(h.term for h in find_terms(words, terms))


def misses(ref: str, hyp: str, terms: list[VocabTerm]) -> tuple[int, int]:
    r, h = term_counts(ref, terms), term_counts(hyp, terms)
    return sum(max(0, n - h[t]) for t, n in r.items()), sum(r.values())


def fillers(text: str) -> int:
    return sum(1 for w in text.lower().replace(",", " ").replace(".", " ").split() if w in HESITATIONS)


def synthetic_items(kit_terms: list[str]) -> list[Item]:
    out = []
    for c in SYNTH:
        out.append(Item("synthetic", c, json.loads((SPEECH / f"{c}.json").read_text())["text"],
                        path=SPEECH / f"{c}.wav", terms=kit_terms))
    return out


SYNTHETIC = ("synthetic", "disfluent-espeak", "vocab-espeak", "vocab-take")
DISFLUENT = [  # no package ships real disfluent speech with its fillers marked; espeak-ng says these
    ("en-us", 150, "So um I think the uh the buyer wants um a shorter contract."),
    ("en-gb", 160, "Uh we called them on Monday and um they said uh send the proposal."),
    ("en-us+f3", 170, "Um okay so the champion is uh not the economic buyer um right."),
]


def disfluent_items(tmp: Path) -> list[Item]:
    import subprocess
    out = []
    for i, (voice, wpm, text) in enumerate(DISFLUENT):
        wav = tmp / f"disfluent{i}.wav"
        try:
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(wav), text], check=True,
                           capture_output=True)
        except (OSError, subprocess.CalledProcessError):
            return []
        out.append(Item("disfluent-espeak", f"disfluent{i}", text, path=wav, terms=["champion", "economic buyer"]))
    return out


def run_bare(model, samples, kwargs) -> tuple[str, float]:
    t0 = time.perf_counter()
    segs, _ = model.transcribe(samples, **kwargs)
    text = " ".join(s.text.strip() for s in segs)
    return text, time.perf_counter() - t0


def run_pipeline(tr: Transcriber, samples, terms: list[VocabTerm]) -> tuple[str, float]:
    from recorder.transcription.audio_decode import DecodedAudio
    t0 = time.perf_counter()
    r = transcribe_file(tr, DecodedAudio(samples), terms)
    return r.transcript.text, time.perf_counter() - t0


def measure(tr: Transcriber, items: list[Item], kit: list[VocabTerm], repeat: int) -> list[dict]:
    rows = []
    for k, it in enumerate(items):
        samples = it.samples if it.samples is not None else decode_audio(it.path).samples
        for vocab in ("none", "kit", "source"):
            terms = [] if vocab == "none" else kit if vocab == "kit" else [VocabTerm(t) for t in it.terms]
            kw = tr.model_kwargs(bias_phrases(terms))
            best_b = best_p = float("inf")
            for i in range(repeat):
                order = [0, 1] if (i + k) % 2 == 0 else [1, 0]
                for o in order:
                    if o == 0:
                        hb, tb = run_bare(tr.model, samples, kw)
                        best_b = min(best_b, tb)
                    else:
                        hp, tp = run_pipeline(tr, samples, terms)
                        best_p = min(best_p, tp)
            scored = terms or [VocabTerm(t) for t in it.terms]
            eb, n = errors(it.text, hb)
            ep, _ = errors(it.text, hp)
            mb, nt = misses(it.text, hb, scored)
            mp, _ = misses(it.text, hp, scored)
            rows.append(dict(source=it.source, name=it.name, heldout=it.heldout, vocab=vocab,
                             ref=it.text, bare=hb, pipe=hp, eb=eb, ep=ep, n=n, mb=mb, mp=mp, nt=nt,
                             tb=best_b, tp=best_p, audio=len(samples) / 16000,
                             fref=fillers(it.text), fb=fillers(hb), fp=fillers(hp)))
        print(f"  [{k + 1}/{len(items)}] {it.source}/{it.name}", file=sys.stderr, flush=True)
    return rows


def split_of(r: dict) -> str:
    """"fresh" for the third set of vocabulary sentences (measured, never developed on), else the
    hash split of bench_transcribe_realset."""
    if r["source"].startswith("vocab") and is_fresh(r["name"]):
        return "fresh"
    return "held-out" if r["heldout"] else "tuned"


def table(rows: list[dict]) -> str:
    groups: dict = defaultdict(list)
    for r in rows:
        groups[(r["source"], split_of(r), r["vocab"])].append(r)
        groups[("ALL synthetic" if r["source"] in SYNTHETIC else "ALL real", split_of(r), r["vocab"])].append(r)
    out = ["| source | split | vocabulary | items | words | WER bare | WER pipeline | term misses bare | "
           "term misses pipeline | pipeline / bare time |", "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key in sorted(groups, key=lambda k: (k[0].startswith("ALL"), k)):
        g = groups[key]
        n = sum(r["n"] for r in g)
        nt = sum(r["nt"] for r in g)
        tb, tp = sum(r["tb"] for r in g), sum(r["tp"] for r in g)
        out.append(f"| {key[0]} | {key[1]} | {key[2]} | {len(g)} | {n} | {sum(r['eb'] for r in g) / n:.3f} | "
                   f"{sum(r['ep'] for r in g) / n:.3f} | {sum(r['mb'] for r in g)}/{nt} | "
                   f"{sum(r['mp'] for r in g)}/{nt} | {tp / tb:.3f} |")
    return "\n".join(out)


def headline(rows: list[dict]) -> str:
    """The issue's two comparisons: on real speech, the pipeline with the kit vocabulary (what
    ``rolecall transcribe`` does by default) against bare faster-whisper with no vocabulary; on the
    vocabulary clips, the pipeline against bare with the same biasing."""
    def pick(kind, split, vocab):
        real = kind == "real"
        return {(r["source"], r["name"]): r for r in rows
                if (r["source"] not in SYNTHETIC) == real and split_of(r) == split
                and r["vocab"] == vocab and (real or r["source"].startswith("vocab"))}
    out = ["| comparison | split | items | WER bare | WER pipeline | term misses bare | term misses pipeline "
           "| pipeline / bare time |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for kind, bare_vocab, label in (("real", "none", "real speech: pipeline + kit vs bare, no vocabulary"),
                                    ("real", "kit", "real speech: pipeline vs bare, same biasing + kit"),
                                    ("vocab", "kit", "vocabulary clips: pipeline vs bare, same biasing + kit")):
        for split in ("fresh", "held-out", "tuned"):
            b, p = pick(kind, split, bare_vocab), pick(kind, split, "kit")
            keys = sorted(set(b) & set(p))
            if not keys:
                continue
            n = sum(p[k]["n"] for k in keys)
            nt = sum(p[k]["nt"] for k in keys)
            missed = (f"{sum(b[k]['mb'] for k in keys)}/{nt} | {sum(p[k]['mp'] for k in keys)}/{nt}"
                      if nt and bare_vocab == "kit" else "- | -")
            out.append(f"| {label} | {split} | {len(keys)} | {sum(b[k]['eb'] for k in keys) / n:.3f} | "
                       f"{sum(p[k]['ep'] for k in keys) / n:.3f} | {missed} | "
                       f"{sum(p[k]['tp'] for k in keys) / sum(b[k]['tb'] for k in keys):.3f} |")
    return "\n".join(out)


def report(rows: list[dict]) -> None:
    print(headline(rows) + "\n")
    print(table(rows))
    real = [r for r in rows if r["source"] not in SYNTHETIC]
    print(f"\nfillers (um, uh...) in the real references: {sum(r['fref'] for r in real)}; in bare "
          f"transcripts: {sum(r['fb'] for r in real)}; in pipeline transcripts: {sum(r['fp'] for r in real)}")
    print("\n| filler recall, disfluent espeak-ng clips | vocabulary | fillers said | bare | pipeline |")
    print("|---|---|---:|---:|---:|")
    for vocab in ("none", "kit", "source"):
        d = [r for r in rows if r["source"] == "disfluent-espeak" and r["vocab"] == vocab]
        n = sum(r["fref"] for r in d)
        if n:
            fb = sum(min(r["fb"], r["fref"]) for r in d)
            fp = sum(min(r["fp"], r["fref"]) for r in d)
            print(f"| {len(d)} clips | {vocab} | {n} | {fb}/{n} ({fb / n:.0%}) | {fp}/{n} ({fp / n:.0%}) |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--model", default=None)
    ap.add_argument("--biasing", default=None, help="prompt|hotwords|both|none (default: the app's)")
    ap.add_argument("--telephone", type=int, default=24, help="telephone prompts (of 254) to use; 0: all")
    ap.add_argument("--takes", type=int, default=4, help="joined telephone takes (7 prompts each)")
    ap.add_argument("--only", default=None, help="comma-separated sources to run")
    ap.add_argument("--no-fresh", action="store_true",
                    help="leave out the third set of vocabulary sentences (for runs while developing)")
    ap.add_argument("--dump", default=None, help="write every transcript to this JSON file")
    ap.add_argument("--from-dump", default=None, help="print the tables of an earlier --dump, run nothing")
    a = ap.parse_args()
    if a.from_dump:
        report(json.loads(Path(a.from_dump).read_text()))
        return
    kit = load_vocabulary_file(ROOT / "assets" / "kit" / "default.yaml")
    tmp = Path(tempfile.mkdtemp())
    items = (real_set(max_telephone=a.telephone or None, n_takes=a.takes) + synthetic_items([t.term for t in kit])
             + disfluent_items(tmp) + vocab_items(tmp, [t.term for t in kit]))
    if a.only:
        items = [it for it in items if it.source in a.only.split(",")]
    if a.no_fresh:
        items = [it for it in items if not (it.source.startswith("vocab") and is_fresh(it.name))]
    tr = Transcriber(model=a.model, threads=a.threads, **({"biasing": a.biasing} if a.biasing else {}))
    tr.model.transcribe(decode_audio(SPEECH / "tr_champion_gb.wav").samples, **tr.model_kwargs())  # warm-up
    load0 = os.getloadavg()
    rows = measure(tr, items, kit, a.repeat)
    if a.dump:
        Path(a.dump).write_text(json.dumps(rows, indent=1))
    print(f"model: bundled tiny.en (int8, {a.threads} threads, beam {tr.settings.beam_size}, VAD on, "
          f"biasing {tr.settings.biasing}); "
          f"best of {a.repeat}; load average {load0[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end\n")
    report(rows)


if __name__ == "__main__":
    main()
