"""Speak a script with libespeak-ng and record where every word starts.

Used by make_tr_fixtures.sh.  The audio comes from the same synthesis run as
the word events, so the timings are exact for the file written (espeak-ng's
WORD events carry the audio position in milliseconds).

usage: tr_espeak_words.py VOICE WPM TEXT OUT_RAW.wav OUT_WORDS.json
"""
from __future__ import annotations

import ctypes
import json
import sys
import wave

AUDIO_OUTPUT_SYNCHRONOUS = 2
EVENT_WORD, EVENT_END, EVENT_MSG_TERMINATED = 1, 5, 6
POS_CHARACTER = 1
CHARS_UTF8 = 1
RATE = 1


class _Id(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _Id),
    ]


CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(Event))


def speak(voice: str, wpm: int, text: str) -> tuple[int, bytes, list[dict]]:
    lib = ctypes.CDLL("libespeak-ng.so.1")
    rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 500, None, 0)
    if rate <= 0:
        raise SystemExit("espeak_Initialize failed")
    # The library takes voice file names: British English is the file "en", as the CLI's en-gb.
    base, plus, variant = voice.partition("+")
    name = {"en-gb": "en"}.get(base.lower(), base) + plus + variant
    if lib.espeak_SetVoiceByName(name.encode()) != 0:
        raise SystemExit(f"unknown espeak-ng voice {voice}")
    lib.espeak_SetParameter(RATE, wpm, 0)
    chunks: list[bytes] = []
    events: list[tuple[int, int, int]] = []

    def on_audio(wav, n, ev):  # noqa: ANN001
        if n > 0:
            chunks.append(ctypes.string_at(wav, n * 2))
        i = 0
        while ev[i].type != 0:  # espeakEVENT_LIST_TERMINATED
            if ev[i].type == EVENT_WORD:
                events.append((ev[i].text_position, ev[i].length, ev[i].audio_position))
            i += 1
        return 0

    cb = CALLBACK(on_audio)
    lib.espeak_SetSynthCallback(cb)
    data = text.encode()
    lib.espeak_Synth(data, len(data) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
    lib.espeak_Synchronize()
    pcm = b"".join(chunks)
    total_ms = len(pcm) / 2 / rate * 1000
    words = []
    for k, (pos, length, ms) in enumerate(events):
        end_ms = events[k + 1][2] if k + 1 < len(events) else total_ms
        # the event covers part of a hyphenated word ("teach" of "teach-back"): take the whole
        # whitespace-delimited word, without surrounding punctuation
        raw = text.encode()[pos - 1:].decode(errors="replace").split()[0] if text[pos - 1:].strip() else ""
        word = raw.strip(".,;:!?\"'()")
        words.append({"word": word, "start": round(ms / 1000, 3), "end": round(end_ms / 1000, 3)})
    return rate, pcm, words


def main() -> None:
    voice, wpm, text, out_wav, out_json = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    rate, pcm, words = speak(voice, wpm, text)
    with wave.open(out_wav, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    with open(out_json, "w") as f:
        json.dump({"voice": voice, "wpm": wpm, "text": text, "words": words}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
