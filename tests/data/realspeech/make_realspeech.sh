#!/usr/bin/env bash
# Rebuild the real-speech regression clips (issue #13) from two Debian packages:
#   apt-get install asterisk-core-sounds-en-wav pocketsphinx-testdata
# Human recordings, converted with sox to 16 kHz mono 16-bit FLAC; joined "takes" put several
# recordings one after another with pauses.  The words of each clip are in references.tsv, taken
# from the packages' own text files (core-sounds-en.txt.gz, librivox/transcription,
# cards/cards.transcription).  Sources and licences: README.md.
#   usage: tests/data/realspeech/make_realspeech.sh   (from anywhere)
set -euo pipefail
cd "$(dirname "$0")"
AST=/usr/share/asterisk/sounds/en_US_f_Allison
SPH=/usr/share/pocketsphinx/test/data
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

one() {  # out.flac in.wav
    sox -R -D "$2" -r 16000 -c 1 -b 16 "$1"
}
take() {  # out.flac pause_s in.wav...  (joined with pauses, 16 kHz)
    local out=$1 pause=$2; shift 2
    local parts=()
    sox -R -n -r 16000 -c 1 -b 16 "$tmp/pause.wav" trim 0 "$pause"
    local i=0
    for f in "$@"; do
        sox -R -D "$f" -r 16000 -c 1 -b 16 "$tmp/p$i.wav"
        parts+=("$tmp/p$i.wav" "$tmp/pause.wav"); i=$((i + 1))
    done
    sox -R "${parts[@]}" "$out"
}

# telephone band (8 kHz prompts read by Allison Smith)
for p in confbridge-rest-list-vol-out confbridge-participants demo-abouttotry conf-full \
         vm-reenterpassword queue-periodic-announce; do
    one "tel_$p.flac" "$AST/$p.wav"
done
# short answers with long pauses, as in a phone conversation
take tel_short_answers.flac 2.5 "$AST/hello.wav" "$AST/auth-thankyou.wav" "$AST/vm-no.wav" \
    "$AST/im-sorry.wav" "$AST/goodbye.wav"
# words said again and again: the same recording three times, 0.15 s apart, then a sentence
take tel_no_no_no.flac 0.15 "$AST/vm-no.wav" "$AST/vm-no.wav" "$AST/vm-no.wav" "$AST/vm-sorry.wav"
take tel_five_five_five.flac 0.15 "$AST/digits/5.wav" "$AST/digits/5.wav" "$AST/digits/5.wav" \
    "$AST/vm-then-pound.wav"
# read speech (LibriVox, 16 kHz) and card names
for p in 0890 0920 0930; do
    one "read_$p.flac" "$SPH/librivox/sense_and_sensibility_01_austen_64kb-$p.wav"
done
one cmd_cards_005.flac "$SPH/cards/005.wav"
ls -l *.flac | awk '{s += $5} END {print NR " clips, " s " bytes"}'
