#!/usr/bin/env bash
# Regenerates the recording fixtures (#3). Needs espeak-ng, sox and ffmpeg.
set -euo pipefail
cd "$(dirname "$0")"
TEXT="$(cat rec_teachback.txt)"
espeak-ng -v en-us -s 160 -w /tmp/rec_raw.wav "$TEXT"
sox /tmp/rec_raw.wav -r 16000 -c 1 -b 16 rec_teachback.wav
ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=30 -t 6 -c:v libx264 -preset veryfast \
    -crf 32 -pix_fmt yuv420p -g 30 ../rec_camera_320x240_30fps.mp4
