"""Transcript writers: SRT, WebVTT, plain text and the JSON record.  Pure functions, no Qt.

Segments may be ``recorder.transcription.results.Segment`` objects or dicts with start, end, text
(and words); term hits objects with ``to_dict`` or dicts.
"""
from __future__ import annotations

import json
from collections.abc import Sequence

FORMATS = ("txt", "srt", "vtt", "json")


def _get(x, name, default=None):
    if isinstance(x, dict):
        return x.get(name, default)
    return getattr(x, name, default)


def _stamp(seconds: float, sep: str) -> str:
    ms = max(0, int(round(float(seconds) * 1000)))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _text(seg) -> str:
    return " ".join(str(_get(seg, "text", "")).split())


def to_srt(segments: Sequence) -> str:
    blocks = []
    for n, seg in enumerate((s for s in segments if _text(s)), start=1):
        blocks.append(f"{n}\n{_stamp(_get(seg, 'start'), ',')} --> {_stamp(_get(seg, 'end'), ',')}\n"
                      f"{_text(seg)}\n")
    return "\n".join(blocks)


def to_vtt(segments: Sequence) -> str:
    out = ["WEBVTT", ""]
    for seg in segments:
        if not _text(seg):
            continue
        text = _text(seg).replace("-->", "->")
        out += [f"{_stamp(_get(seg, 'start'), '.')} --> {_stamp(_get(seg, 'end'), '.')}", text, ""]
    return "\n".join(out)


def to_txt(segments: Sequence) -> str:
    return " ".join(_text(s) for s in segments if _text(s)) + "\n"


def _seg_dict(seg) -> dict:
    if hasattr(seg, "to_dict"):
        return seg.to_dict()
    return {"start": round(float(seg["start"]), 3), "end": round(float(seg["end"]), 3),
            "text": seg["text"], "words": [
                {"start": round(float(w["start"]), 3), "end": round(float(w["end"]), 3),
                 "word": w["word"], "probability": round(float(w.get("probability", 1.0)), 4)}
                for w in seg.get("words", [])]}


def to_record(file: str, duration: float, segments: Sequence, terms: Sequence = (),
              metrics: dict | None = None) -> dict:
    """The JSON object of ``rolecall transcribe --format json`` for one file."""
    return {
        "file": file,
        "duration": round(float(duration), 3),
        "text": " ".join(_text(s) for s in segments if _text(s)),
        "segments": [_seg_dict(s) for s in segments],
        "terms": [{k: v for k, v in (t.to_dict() if hasattr(t, "to_dict") else dict(t)).items()
                   if k in ("term", "start", "end", "text")} for t in terms],
        "metrics": metrics or {},
    }


def to_json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def render(fmt: str, file: str, duration: float, segments: Sequence, terms: Sequence = (),
           metrics: dict | None = None) -> str:
    if fmt == "srt":
        return to_srt(segments)
    if fmt == "vtt":
        return to_vtt(segments)
    if fmt == "txt":
        return to_txt(segments)
    if fmt == "json":
        return to_json_line(to_record(file, duration, segments, terms, metrics)) + "\n"
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
