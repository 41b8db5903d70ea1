#!/usr/bin/env bash
# Regenerate the transcription fixtures (issue #4): espeak-ng speech in several voices and
# speeds, converted with sox to 16 kHz mono WAV, each beside its script and word timings
# (tr_*.json: the text, voice, speed and the start of every word as espeak-ng reported it).
# Plus silence, noise and a truncated file.  Needs espeak-ng (libespeak-ng), sox, ffmpeg.
#   usage: tests/data/speech/make_tr_fixtures.sh   (from anywhere)
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-../../../.venv/bin/python}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

speak() {  # name voice wpm text
    "$PY" tr_espeak_words.py "$2" "$3" "$4" "$tmp/$1.wav" "$1.json"
    sox -R -D "$tmp/$1.wav" -r 16000 -c 1 -b 16 "$1.wav"
}

speak tr_teachback_us en-us 160 \
  "Today I will do a teach-back on the discovery call. Start with a Socratic question, then reframe the problem for the economic buyer."
speak tr_champion_gb en-gb 150 \
  "Our champion set up a deal clinic with the whole team. We tested the new messaging before every cold call this week."
speak tr_outreach_f3 en-us+f3 175 \
  "Email outreach works best with one clear call to action. After reframing the objection, ask the champion for a meeting."
speak tr_roleplay_m7 en-us+m7 185 \
  "In the role play I reframed the pricing concern and asked the economic buyer who else should join the discovery call."
speak tr_clinic_us en-us 170 \
  "At the deal clinic we practiced the cold call opener, a Socratic question, and a short teach-back on the new messaging."
# Issue #13: with the kit's hotwords tiny.en writes "when[0.00] a[0.08]" over this opening
speak tr_opening_cta en-gb-scotland 160 \
  "The call to action was a second meeting with their finance team next Tuesday."
# Issue #13: an unsure opening ("and[0.04] economic[0.02] buyer[0.00]") that is right: heard again
# it comes out "Oh, and he could help me, can I ask?", which the audio fits worse
speak tr_opening_eb en-029 155 \
  "Our economic buyer signed off on the budget before the holidays."
# Issue #13: with the kit's hotwords tiny.en writes "this company call" and "mid-ot reach email"
# for these terms; the near-miss recheck (recorder/term_recheck.py) puts the terms back
speak tr_nearmiss_discovery en-gb-x-rp+f2 165 \
  "His discovery calls are short because he prepares three questions in advance."
speak tr_nearmiss_outreach en-us+f3 170 \
  "Write the outreach email as if the buyer will read it on a phone."

# No speech at all: digital silence, and noise (pink noise plus a low hum), 16 kHz mono.
sox -R -D -n -r 16000 -c 1 -b 16 tr_silence.wav trim 0 6
sox -R -n -r 16000 -c 1 -b 16 tr_noise.wav synth 6 pinknoise vol 0.25 synth 6 sine mix 60 vol 0.9

# A crash-recovered take: fragmented MP4 (AAC) cut off after about 60% of its bytes, so the
# container ends mid-fragment.  The transcriber must return the first part of the speech.
ffmpeg -loglevel error -y -i tr_teachback_us.wav -c:a aac -b:a 48k \
    -movflags frag_keyframe+empty_moov+default_base_moof -frag_duration 500000 "$tmp/full.mp4"
size=$(stat -c %s "$tmp/full.mp4")
head -c $(( size * 6 / 10 )) "$tmp/full.mp4" > tr_truncated.mp4
# A WAV whose header promises more data than the file holds (cut at 55%).
wsize=$(stat -c %s tr_champion_gb.wav)
head -c $(( wsize * 55 / 100 )) tr_champion_gb.wav > tr_truncated.wav
ls -l tr_*
