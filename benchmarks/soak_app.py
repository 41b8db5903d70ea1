"""The real Rolecall app (main.py's code path, unchanged) with a small driver for benchmarks/bench_soak.py.

    python benchmarks/soak_app.py --data-dir DIR --camera FILE --microphone FILE [--minutes 10] [--takes 5]

Before the window exists it remembers the camera and microphone in the station's settings, as a person
typing a file into the Record page's device boxes would (QSettings: point XDG_CONFIG_HOME at a scratch
folder). Then ``main.run`` opens the app as ``rolecall --data-dir DIR`` does. A QTimer, started before
the event loop, finds the main window, chooses a rep, keeps the Record page (live preview and level meter)
on screen for the whole run and records the takes spread over it (R, 3-2-1 countdown, R), as a person
would. Once a second it looks; every ``--report`` seconds it prints one JSON line on stdout (frames
shown, levels, takes); at the end it closes the window and the app quits the normal way, so the exit
code and interpreter shutdown are the app's own.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def say(event: str, **fields) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


class Driver:
    def __init__(self, args):
        self.args = args
        self.t0 = time.monotonic()
        self.window = None
        self.page = None
        self.frames = self.levels = 0
        self.takes: list[dict] = []
        self.starts = [args.minutes * 60 * (k + 0.5) / args.takes - args.take_seconds / 2
                       for k in range(args.takes)]
        self.started = 0
        self.closing = False
        self.last_report = -1e9

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def setup(self) -> bool:
        from PySide6.QtWidgets import QApplication

        from ui.main_window import MainWindow
        self.window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)
        if self.window is None:
            return False
        context = self.window.context
        rep = next((p for p in context.people.list() if p.name == "Soak Rep"), None) \
            or context.people.add("Soak Rep", "rep")
        context.set_person(rep)
        self.window.show_page(0)
        self.page = self.window.page("record")
        self.page.worker.preview.connect(self._frame)
        self.page.worker.level.connect(self._level)
        self.page.take_finished.connect(self._take_finished)
        self.t0 = time.monotonic()
        say("ready", camera=self.page.camera_combo.currentText(), microphone=self.page.mic_combo.currentText(),
            exercise=self.page.exercise["slug"] if self.page.exercise else None)
        return True

    def _frame(self, _image) -> None:
        self.frames += 1

    def _level(self, _db, _peak) -> None:
        self.levels += 1

    def _take_finished(self, rec) -> None:
        self.takes.append({"id": rec.id, "duration_s": rec.duration_s, "status": rec.status})
        say("take", t=round(self.elapsed(), 1), n=len(self.takes), duration_s=rec.duration_s, status=rec.status)

    def tick(self) -> None:
        if self.window is None:
            if not self.setup():
                return
        page, t = self.page, self.elapsed()
        if self.closing:
            return
        if page.state == "idle" and self.started < len(self.starts) and t >= self.starts[self.started]:
            self.started += 1
            page.toggle_record()                       # R: the 3-2-1 countdown, then recording
            say("record", t=round(t, 1), n=self.started)
        elif page.state == "recording" and page._clock.elapsed() >= self.args.take_seconds * 1000:
            page.toggle_record()                       # R again: stop
        if t - self.last_report >= self.args.report:
            self.last_report = t
            say("status", t=round(t, 1), frames=self.frames, levels=self.levels, takes=len(self.takes),
                state=page.state, preview_fps=round(page.preview.fps, 1))
        if t >= self.args.minutes * 60 and page.state == "idle":
            self.closing = True
            say("closing", t=round(t, 1), frames=self.frames, levels=self.levels, takes=len(self.takes))
            self.window.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--camera", required=True, help="a video file (looped) or a camera index/name")
    ap.add_argument("--microphone", required=True, help="an audio file (looped) or a microphone name")
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--takes", type=int, default=5)
    ap.add_argument("--take-seconds", type=float, default=30.0)
    ap.add_argument("--report", type=float, default=5.0, help="seconds between status lines")
    args = ap.parse_args()

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    import main as rolecall
    from ui.settings import Key

    app = QApplication(sys.argv[:1])           # run_app uses this instance
    settings = QSettings("Rolecall", "Rolecall")
    settings.setValue(Key.CAMERA.value, args.camera)
    settings.setValue(Key.MICROPHONE.value, args.microphone)
    settings.setValue(Key.LAST_PAGE.value, 0)
    settings.sync()
    driver = Driver(args)
    timer = QTimer()
    timer.setInterval(1000)
    timer.timeout.connect(driver.tick)
    timer.start()
    app.aboutToQuit.connect(timer.stop)
    rolecall.run(["--data-dir", args.data_dir])


if __name__ == "__main__":
    main()
