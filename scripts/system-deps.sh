#!/usr/bin/env bash
# The Debian/Ubuntu packages Rolecall needs from the OS, in one place: `make run`, `make test`,
# `make setup` and .ci/run all call this script.
#
#   scripts/system-deps.sh [app|test|dist] [--check] [--print]
#
#   app    what the app needs to run from a checkout: PortAudio (microphone), the PulseAudio client
#          library (Qt's audio output and QtMultimedia), the desktop libraries Qt's window needs
#   test   app, plus what the tests use: a PulseAudio daemon as a virtual microphone, espeak-ng and
#          sox for speech fixtures, ffmpeg to inspect media, Xvfb for a virtual display, a font and
#          poppler-utils to read PDFs (the default)
#   dist   test, plus what `make dist` needs to build the one-folder app (binutils: PyInstaller
#          reads shared libraries with objdump)
#   --check  only report what is missing (exit 1 if anything is); never installs
#   --print  print the package names of the group, one per line, and exit
#
# Quick when everything is there (one dpkg-query call). As root it installs with apt-get; otherwise
# with sudo when sudo exists; otherwise it prints the exact `apt-get install ...` line to run and
# exits 1. On a system without dpkg it says what to install and exits 0, so the rest of the set-up
# can go on (the Python wheels carry everything else).
set -euo pipefail

# "a|b": either package satisfies the need (Debian 13 / Ubuntu 24.04 renamed some libraries *t64, and
# the old name is then a virtual package that apt-get still accepts).
APP_PACKAGES=(
  libportaudio2                 # sounddevice's PortAudio: the microphone
  libasound2-plugins            # ALSA's pulse plugin: PortAudio reaches PulseAudio/PipeWire through it
  libpulse0                     # QtMultimedia links libpulse: playing takes back, Qt's audio output
  libgl1 libegl1 libdrm2        # Qt's OpenGL/EGL (every platform plugin), DRM for FFmpeg's video decoding
  libfontconfig1 libfreetype6 fonts-dejavu-core   # fonts for Qt, and one font for a machine that has none
  "libglib2.0-0|libglib2.0-0t64" libdbus-1-3 libxkbcommon0    # QtCore's event loop, QtGui's D-Bus and keys
  libx11-6 libxext6 libxrandr2  # X11, also linked by Qt's FFmpeg media plugin
  libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
  libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0  # Qt's xcb platform: a window on X11
  libwayland-client0 libwayland-cursor0 libwayland-egl1       # Qt's wayland platform: a window on Wayland
)
TEST_PACKAGES=(
  pulseaudio pulseaudio-utils   # a null sink as the virtual microphone the real-audio tests record from
  espeak-ng sox                 # speech fixtures (and the PortAudio recording check)
  ffmpeg                        # ffprobe inspects recorded takes in tests and benchmarks
  xvfb xauth x11-utils          # a virtual display for the window tests and screenshots (xwininfo)
  poppler-utils                 # pdftotext/pdftoppm read the certificate PDFs
)
DIST_PACKAGES=(
  binutils                      # objdump: PyInstaller finds shared libraries' dependencies with it
)

group=test check=0 print=0
for arg in "$@"; do
  case "$arg" in
    app|test|dist) group=$arg ;;
    --check) check=1 ;;
    --print) print=1 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "system-deps: unknown argument '$arg' (expected app, test, dist, --check or --print)" >&2; exit 2 ;;
  esac
done

wanted=("${APP_PACKAGES[@]}")
[ "$group" = app ] || wanted+=("${TEST_PACKAGES[@]}")
[ "$group" = dist ] && wanted+=("${DIST_PACKAGES[@]}")

if ((print)); then
  printf '%s\n' "${wanted[@]}"
  exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian/Ubuntu system (no dpkg-query); Rolecall's wheels bring their own Qt," \
       "OpenCV and FFmpeg, but install PortAudio and your desktop's Qt libraries with your package manager" \
       "(the Debian names: scripts/system-deps.sh $group --print)." >&2
  exit 0
fi

# Every name, alternatives split, in one dpkg-query call: "name status" for each one dpkg knows.
names=()
for want in "${wanted[@]}"; do IFS='|' read -r -a alts <<<"$want"; names+=("${alts[@]}"); done
installed=" $( { dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${names[@]}" 2>/dev/null || true; } |
              awk '$2 ~ /^ii/ {print $1}' | tr '\n' ' ') "   # dpkg-query fails for names it has never seen

missing=()
for want in "${wanted[@]}"; do
  IFS='|' read -r -a alts <<<"$want"
  ok=0
  for a in "${alts[@]}"; do [[ "$installed" == *" $a "* ]] && { ok=1; break; }; done
  ((ok)) || missing+=("$want")
done
((${#missing[@]})) || exit 0

# For "a|b" the first name this system's archive knows (apt-cache reads the package lists, no root
# needed); when it knows none (no `apt-get update` yet), the first one.
chosen=()
for want in "${missing[@]}"; do
  IFS='|' read -r -a alts <<<"$want"
  pick=${alts[0]}
  for a in "${alts[@]}"; do
    if apt-cache show "$a" >/dev/null 2>&1; then pick=$a; break; fi
  done
  chosen+=("$pick")
done

if ((check)); then
  echo "system-deps: missing Debian packages: ${missing[*]//|/ or }" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "system-deps: Rolecall needs these Debian packages, which are not installed: ${missing[*]//|/ or }" >&2
    echo "system-deps: you are not root and there is no sudo here, so ask an administrator to run:" >&2
    echo >&2
    echo "    apt-get update && apt-get install -y --no-install-recommends ${chosen[*]}" >&2
    echo >&2
    echo "system-deps: then run this command again. (Which package is for what: scripts/system-deps.sh.)" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "system-deps: installing ${missing[*]//|/ or } ${SUDO:+(with sudo)}"
if ! "${SUDO[@]}" apt-get update -qq; then
  echo "system-deps: 'apt-get update' failed (see above); install by hand:" >&2
  echo "    ${SUDO[*]} apt-get install -y --no-install-recommends ${chosen[*]}" >&2
  exit 1
fi
if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${chosen[@]}" >/dev/null; then
  echo "system-deps: installing failed (see above); the command was:" >&2
  echo "    ${SUDO[*]} apt-get install -y --no-install-recommends ${chosen[*]}" >&2
  exit 1
fi
echo "system-deps: done"
