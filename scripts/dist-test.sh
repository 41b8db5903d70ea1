#!/usr/bin/env bash
# Smoke test of the one-folder station app (`make dist-test`): the frozen executable, run in a clean
# environment (env -i, a fresh HOME and data folder, no Python of ours on PATH), does what a workshop
# organiser would check on a new laptop:
#   --help and --version; add a person; list the kit; record a 5-second take from a video file as the
#   camera and a WAV as the microphone; transcribe it offline (the transcription child process of the
#   frozen app) and find real words; sync to a folder hub; open the window on a virtual display.
#
#   scripts/dist-test.sh [dist/rolecall/rolecall]
# Prints one line per step, then "dist-test: all N steps passed"; exits 1 at the first failing step.
set -uo pipefail
cd "$(dirname "$0")/.."
APP=$(realpath "${1:-dist/rolecall/rolecall}")
DATA=tests/data
[ -x "$APP" ] || { echo "dist-test: $APP is not there; build it with 'make dist'" >&2; exit 1; }

WORK=$(mktemp -d /tmp/rolecall-dist-test.XXXXXX)
XVFB_PID="" APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/home" "$WORK/hub"
STATION="$WORK/station"
# What a desktop session has, and nothing of ours: no PYTHONPATH, no virtual environment, no ROLECALL_*.
clean_env=(env -i HOME="$WORK/home" PATH=/usr/bin:/bin LANG=C.UTF-8 TMPDIR="$WORK" XDG_RUNTIME_DIR="$WORK")
rolecall() { "${clean_env[@]}" QT_QPA_PLATFORM=offscreen "$APP" "$@"; }

passed=0
step() {   # step NAME CHECK-COMMAND... : runs it, keeps its output in $OUT
  local name=$1; shift
  local start=$SECONDS
  if OUT=$("$@" 2>&1); then
    passed=$((passed + 1)); printf 'dist-test: ok   %-34s (%d s)\n' "$name" $((SECONDS - start))
  else
    printf 'dist-test: FAIL %s\n%s\n' "$name" "$OUT" | tail -40 >&2
    echo "dist-test: FAILED at step $((passed + 1)) ($name)"
    exit 1
  fi
}
expect() {   # expect TEXT COMMAND... : the command succeeds and prints TEXT
  local text=$1; shift
  local out; out=$("$@" 2>&1) || { echo "$out"; echo "(exit $?)"; return 1; }
  grep -qiF -- "$text" <<<"$out" || { echo "$out"; echo "(does not say '$text')"; return 1; }
  echo "$out"
}

step "--help"                 expect "Commands:" rolecall --help
step "--version"              expect "rolecall, version" rolecall --version
step "people add"             expect "Dana Rep" rolecall --data-dir "$STATION" people add "Dana Rep" --role rep
step "kit list"               expect "teach-back-reframing" rolecall --data-dir "$STATION" kit list
step "record 5 s (file camera, WAV mic)" expect "Duration 5" rolecall --data-dir "$STATION" record \
  --camera "$(realpath $DATA/rec_camera_320x240_30fps.mp4)" --mic "$(realpath $DATA/speech/rec_teachback.wav)" \
  --seconds 5 --rep "Dana Rep" --exercise teach-back-reframing
TAKE=$(sed -n 's/^File //p' <<<"$OUT")
step "the take is H.264 + AAC"  expect "h264" ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$TAKE"
step "transcribe-queue (child process)" expect "1 transcribed, 0 failed" rolecall --data-dir "$STATION" transcribe-queue
step "transcript has real words" expect "discovery" rolecall --data-dir "$STATION" transcript-search discovery
step "transcribe a file"       expect "teach" rolecall --data-dir "$STATION" transcribe --format txt "$TAKE"
step "sync set-key"            expect "key" rolecall --data-dir "$STATION" sync set-key --generate
step "sync to a folder hub"    expect "sent" rolecall --data-dir "$STATION" sync --hub "$WORK/hub"
hub_has_take() {   # the signed batches, and the take's video under its sha256 (store/sync/hub.py)
  local sha; sha=$(sha256sum "$TAKE" | cut -d' ' -f1)
  ls "$WORK"/hub/batches/*/*.json.gz && ls -l "$WORK/hub/media/${sha:0:2}/$sha"
}
step "the hub holds batches and the video" hub_has_take
newer_is_refused() {   # the station's database as a newer Rolecall leaves it (python3 only forges that)
  cp -r "$STATION" "$WORK/newer"
  python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); v = c.execute('PRAGMA user_version').fetchone()[0]
c.execute('UPDATE station SET value=? WHERE key=?', ('9.9.9', 'app_version')); c.commit()
c.execute('PRAGMA user_version=%d' % (v + 1)); c.close()" "$WORK/newer/rolecall.db" || return 1
  local out rc; out=$(rolecall --data-dir "$WORK/newer" people list 2>&1); rc=$?
  echo "$out"
  [ $rc -ne 0 ] && grep -q "written by Rolecall 9.9.9" <<<"$out" && ! grep -q Traceback <<<"$out"
}
step "a newer version's data is refused" newer_is_refused

# The window, on a virtual display: the app starts without arguments and maps a window named Rolecall.
window_shows() {
  command -v Xvfb >/dev/null && command -v xwininfo >/dev/null || { echo "Xvfb or xwininfo missing"; return 1; }
  local display=":$((RANDOM % 400 + 500))"
  Xvfb "$display" -screen 0 1280x720x24 -nolisten tcp >/dev/null 2>&1 & XVFB_PID=$!
  for _ in $(seq 50); do xwininfo -display "$display" -root >/dev/null 2>&1 && break; sleep 0.1; done
  "${clean_env[@]}" DISPLAY="$display" ROLECALL_DATA_DIR="$WORK/station2" "$APP" >"$WORK/app.log" 2>&1 & APP_PID=$!
  for _ in $(seq 300); do
    if xwininfo -display "$display" -root -tree 2>/dev/null | grep -q '"Rolecall'; then
      xwininfo -display "$display" -root -tree | grep '"Rolecall' | head -1
      kill "$APP_PID"; wait "$APP_PID" 2>/dev/null; APP_PID=""
      return 0
    fi
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log"; return 1; }
    sleep 0.1
  done
  cat "$WORK/app.log"; return 1
}
step "the window opens (Xvfb, no arguments)" window_shows

echo "dist-test: all $passed steps passed"
