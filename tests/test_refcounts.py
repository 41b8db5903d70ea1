"""The Qt binding must not leak or drop references on the paths the app runs at 25 fps (issue #11).

PySide6 6.12.0 on Python 3.11 drops a reference to None on every void QPainter call (setPen, setBrush,
drawRect ...): a level meter and a video preview painting 25 times a second exhaust None's refcount within
minutes and CPython aborts ("Fatal Python error: none_dealloc"); each Signal(bool) emission drops one to
True or False as well ("bool_dealloc"). These tests paint every custom-painted
widget in ui/ thousands of times and send thousands of signals from worker threads (a QThread and plain
capture threads, as the recorder does) to main-thread slots, then compare reference counts.

What is counted, and why it means something on every Python:
* None, True and False, when they are mortal (Python 3.11): the objects the faulty binding hit. A drift
  of more than a few references in either direction fails.
* From Python 3.12 on None, True and False are immortal (PEP 683): Python never frees them, so a
  binding that forgets to take a reference to them can no longer crash the app, and their counts mean
  nothing (they read as ~2**32 and still wander by hundreds, because stable-ABI extensions such as
  PySide6 change the field without the immortality check). ``mortal()`` recognises them and the tests
  leave them out there, so they never pass or fail by counting something meaningless. What stays
  meaningful there, and is counted on every version, are mortal objects that travel the same paths:
  the colours, pens and images handed to QPainter, the widget handed to QPainter(self), and a plain
  sentinel object emitted through signals. A binding that drops or leaks a reference to an argument
  or a signal's payload moves their counts on any Python.
The painting runs in rounds and stops at the first round whose drift is over the bound, so a bad binding
fails the test cleanly instead of taking the interpreter down; references it dropped are given back
(``Py_IncRef``), so the rest of the session and its shutdown survive to report it.
"""
from __future__ import annotations

import ast
import ctypes
import gc
import importlib
import sys
import threading

import pytest
from PySide6.QtCore import QObject, QThread, Signal, Slot

from conftest import DATA, REPO

ROUNDS, PER_ROUND = 30, 100          # 3,000 paint events per widget
TOLERANCE = 40                       # refs; caches and the event loop move counts by a few, a leak by thousands


def mortal(obj) -> bool:
    """False for objects Python never frees (PEP 683 immortals: None, True, False from Python 3.12)."""
    is_immortal = getattr(sys, "_is_immortal", None)          # Python >= 3.14
    if is_immortal is not None:
        return not is_immortal(obj)
    return sys.getrefcount(obj) < 2**30    # immortals read as ~2**32 on 3.12/3.13, mortals far lower


@pytest.fixture(autouse=True)
def no_cyclic_gc():
    """The cycle collector off while counting: it would free other tests' garbage (and the None it
    holds) at random moments, and a collection per check costs seconds late in a full run."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def counts(tracked: dict) -> dict:
    return {name: sys.getrefcount(obj) for name, obj in tracked.items()}


def drift(before: dict, tracked: dict) -> dict:
    after = counts(tracked)
    return {name: after[name] - before[name] for name in before}


def check(before: dict, tracked: dict, what: str, origin: dict | None = None) -> None:
    """Fail if a count moved more than TOLERANCE since ``before``; references dropped since ``origin``
    (before any warm-up) are first given back, so the session lives on to report the failure."""
    moved = drift(before, tracked)
    bad = {k: v for k, v in moved.items() if abs(v) > TOLERANCE}
    if bad:
        lost = drift(origin or before, tracked)
        for name, delta in lost.items():
            for _ in range(-delta):         # references owed to the objects that still hold them
                ctypes.pythonapi.Py_IncRef(ctypes.py_object(tracked[name]))
    assert not bad, f"{what}: reference counts drifted {bad} (bound ±{TOLERANCE})"


def tracked_immortals() -> dict:
    return {name: obj for name, obj in (("None", None), ("True", True), ("False", False)) if mortal(obj)}


# -- every custom-painted widget, with realistic data ----------------------------------------------------
def painted_classes() -> set[str]:
    """'module:Class' for every class under ui/ that paints itself (paintEvent, or paint in a delegate)."""
    found = set()
    for path in sorted((REPO / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(f, ast.FunctionDef) and f.name in ("paintEvent", "paint") for f in node.body):
                found.add(f"{module}:{node.name}")
    return found


def camera_frame():
    import cv2

    from ui.workers.record_worker import frame_to_qimage
    cap = cv2.VideoCapture(str(DATA / "rec_camera_320x240_30fps.mp4"))
    ok, frame = cap.read()
    cap.release()
    assert ok, "the test video could not be read"
    return frame, frame_to_qimage(frame)


def level_meter():
    from ui.widgets.level_meter import LevelMeter
    w = LevelMeter()
    w.resize(300, 14)
    levels = [-60.0, -35.0, -20.0, -8.0, -4.0, -1.0, 0.0]   # green, amber and red bars, peak hold

    def step(i):
        w.set_level(levels[i % len(levels)])
    return w, step, {}


def video_preview():
    from ui.widgets.video_preview import VideoPreview
    w = VideoPreview()
    w.resize(640, 360)
    _frame, image = camera_frame()

    def step(i):                            # frames, the REC badge, the 3-2-1 overlay, the no-camera text
        if i % 10 == 9:
            w.clear("No camera preview")
        else:
            w.set_image(image)
        w.set_badge(f"● REC 00:{i % 60:02d}" if i % 3 else "")
        w.set_overlay(str(i % 4) if i % 7 == 0 else "")
    return w, step, {"frame QImage": image}


def term_timeline():
    from ui.widgets import term_timeline as tt
    w = tt.TermTimeline()
    w.resize(600, 34)
    segments = [{"start": s, "end": s + 3.5} for s in range(0, 90, 4)]
    hits = [{"start": s, "end": s + 0.4, "term": "reframe"} for s in range(3, 90, 11)]
    w.set_take(92.0, segments, hits)
    w.set_evidence([12.0, 40.5, 77.0])

    def step(i):
        w.set_position((i * 0.37) % 92.0)
    return w, step, {"HIT": tt.HIT, "EVIDENCE": tt.EVIDENCE, "PLAYHEAD": tt.PLAYHEAD, "SEGMENT": tt.SEGMENT}


BUILDERS = {
    "ui.widgets.level_meter:LevelMeter": level_meter,
    "ui.widgets.video_preview:VideoPreview": video_preview,
    "ui.widgets.term_timeline:TermTimeline": term_timeline,
}


def test_every_painted_widget_is_covered():
    """A new paintEvent in ui/ must be added to BUILDERS, so the refcount test paints it too."""
    assert painted_classes() == set(BUILDERS)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_paint_events_keep_reference_counts(name, qtbot, monkeypatch):
    module, _, class_name = name.partition(":")
    cls = getattr(importlib.import_module(module), class_name)
    original = cls.paintEvent
    painted = [0]

    def counting(self, event):              # the class's own paintEvent, counted
        painted[0] += 1
        original(self, event)
    monkeypatch.setattr(cls, "paintEvent", counting)   # before the widget exists: shiboken binds overrides then
    widget, step, extra = BUILDERS[name]()
    qtbot.addWidget(widget)
    with qtbot.waitExposed(widget):
        widget.show()
    tracked = {**tracked_immortals(), **extra, "widget": widget}
    origin = counts(tracked)
    for i in range(PER_ROUND):              # warm up: fonts, glyph and pixmap caches
        step(i)
        widget.repaint()
    before = counts(tracked)
    start = painted[0]
    for r in range(ROUNDS):
        for i in range(PER_ROUND):
            step(r * PER_ROUND + i)
            widget.repaint()
        check(before, tracked, f"{name} after {painted[0] - start} paint events", origin)
    assert painted[0] - start >= ROUNDS * PER_ROUND, f"repaint() ran paintEvent {painted[0] - start} times"


def test_qpainter_calls_keep_reference_counts(qapp):
    """The issue's reproduction, on the binding alone: void QPainter calls with colours, pens, brushes."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen

    image = QImage(64, 64, QImage.Format.Format_RGB32)
    colour, pen, brush, rect = QColor("#3fb950"), QPen(QColor("#c62828"), 2), QBrush(QColor("#ddd")), QRectF(2, 2, 9, 9)
    tracked = {**tracked_immortals(), "colour": colour, "pen": pen, "brush": brush, "rect": rect, "image": image}
    painter = QPainter(image)
    before = counts(tracked)
    try:
        for r in range(ROUNDS):
            for _ in range(PER_ROUND):
                painter.setPen(colour)
                painter.setPen(pen)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(brush)
                painter.setBrush(colour)
                painter.drawRect(rect)
                painter.fillRect(rect, colour)
            check(before, tracked, f"QPainter after {(r + 1) * PER_ROUND} rounds of calls")
    finally:
        painter.end()                       # an image freed while a painter is active crashes Qt


# -- signals from worker threads to main-thread slots ----------------------------------------------------
# Sent in rounds of PER_ROUND emissions per signal: a round is sent, delivered and counted before the next,
# so a binding that drops references (6.12.0 drops one to True or False per Signal(bool) emission) fails
# the test before it can abort the interpreter.
class Sender(QObject):
    value = Signal(object)
    flag = Signal(bool)
    pair = Signal(str, object)


def emit_round(sender: Sender, payloads: list) -> None:
    for i in range(PER_ROUND):
        value = payloads[i % len(payloads)]
        sender.value.emit(value)
        sender.flag.emit(bool(i % 2))
        sender.pair.emit("take", value)


class QThreadWorker(QObject):
    def __init__(self, sender: Sender, payloads: list):
        super().__init__()
        self.sender_ = sender
        self.payloads = payloads

    @Slot()
    def run(self) -> None:
        emit_round(self.sender_, self.payloads)


class Receiver(QObject):
    """Lives in the main thread; counts what arrives and checks it is what was sent."""

    def __init__(self, payloads: list):
        super().__init__()
        self.payloads = payloads
        self.got = {"value": 0, "flag": 0, "pair": 0}
        self.wrong: list = []

    def _expect(self, kind: str, ok: bool, value) -> None:
        if not ok and len(self.wrong) < 5:
            self.wrong.append((kind, self.got[kind], repr(value)))
        self.got[kind] += 1

    @Slot(object)
    def on_value(self, value) -> None:
        i = self.got["value"] % PER_ROUND
        self._expect("value", value is self.payloads[i % len(self.payloads)], value)

    @Slot(bool)
    def on_flag(self, flag) -> None:
        self._expect("flag", flag is bool(self.got["flag"] % PER_ROUND % 2), flag)

    @Slot(str, object)
    def on_pair(self, text, value) -> None:
        i = self.got["pair"] % PER_ROUND
        self._expect("pair", text == "take" and value is self.payloads[i % len(self.payloads)], value)


def connected(payloads):
    sender, receiver = Sender(), Receiver(payloads)
    sender.value.connect(receiver.on_value)
    sender.flag.connect(receiver.on_flag)
    sender.pair.connect(receiver.on_pair)
    return sender, receiver


def deliver(qapp, done) -> None:
    """Run the main thread's event loop until ``done()``. Not qtbot.waitUntil: its timers and retries
    allocate (and keep) objects holding None, which would blur the count."""
    for _ in range(1_000_000):
        if done():
            return
        qapp.processEvents()
    raise AssertionError("the signals were not all delivered")


def in_rounds(qapp, send_round, delivered, tracked: dict, what: str) -> None:
    """One warm-up round, then ROUNDS counted rounds: each sent, delivered, checked."""
    origin = counts(tracked)
    send_round()
    deliver(qapp, lambda: delivered(1))
    before = counts(tracked)
    for r in range(2, ROUNDS + 2):
        send_round()
        deliver(qapp, lambda r=r: delivered(r))
        check(before, tracked, f"{what}, after {(r - 1) * PER_ROUND} emissions of each signal", origin)


def test_signals_from_a_qthread_keep_reference_counts(qapp):
    """A worker QObject on its own QThread (the app's pattern), its slot invoked from the main thread."""
    from PySide6.QtCore import QMetaObject, Qt

    sentinel = object()
    payloads = [None, True, False, sentinel, {"gap": None, "ok": True}]
    sender, receiver = connected(payloads)
    thread = QThread()
    worker = QThreadWorker(sender, payloads)
    worker.moveToThread(thread)
    thread.start()
    tracked = {**tracked_immortals(), "sentinel": sentinel, "sender": sender, "worker": worker}
    try:
        in_rounds(qapp, lambda: QMetaObject.invokeMethod(worker, "run", Qt.ConnectionType.BlockingQueuedConnection),
                  lambda r: min(receiver.got.values()) >= r * PER_ROUND, tracked, "signals from a QThread")
    finally:
        thread.quit()
        thread.wait()
    assert receiver.wrong == []
    assert receiver.got == dict.fromkeys(("value", "flag", "pair"), (ROUNDS + 1) * PER_ROUND)


def test_signals_from_capture_threads_keep_reference_counts(qapp):
    """Plain Python threads emitting, as the camera and microphone threads do, into the Record page's
    real slots (RecordWorker.preview -> VideoPreview.set_image, level -> LevelMeter.set_level)."""
    from ui.widgets.level_meter import LevelMeter
    from ui.widgets.video_preview import VideoPreview
    from ui.workers.record_worker import RecordWorker

    sentinel = object()
    payloads = [None, sentinel, False, True]
    sender, receiver = connected(payloads)
    worker = RecordWorker(lambda *_: ("id", "path"), lambda _id: None)
    preview, meter = VideoPreview(), LevelMeter()
    worker.preview.connect(preview.set_image)
    worker.level.connect(meter.set_level)
    frame, _image = camera_frame()
    tracked = {**tracked_immortals(), "sentinel": sentinel, "frame": frame, "preview": preview, "meter": meter}
    frames = PER_ROUND // 10

    def camera_thread():                    # the capture thread's path: frame -> QImage -> signal
        for _ in range(frames):
            worker._throttle.last = 0.0     # let every frame through the 25/s throttle
            worker._on_frame(frame, 0.0)

    def microphone_thread():                # the level meter thread's path
        for i in range(PER_ROUND):
            worker.level.emit(-20.0 - i % 30, -3.0)

    def send_round():
        threads = [threading.Thread(target=emit_round, args=(sender, payloads)),
                   threading.Thread(target=camera_thread), threading.Thread(target=microphone_thread)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    in_rounds(qapp, send_round, lambda r: min(receiver.got.values()) >= r * PER_ROUND
              and preview.frames_shown >= r * frames, tracked, "signals from capture threads")
    assert receiver.wrong == []
    assert receiver.got == dict.fromkeys(("value", "flag", "pair"), (ROUNDS + 1) * PER_ROUND)
    assert -50.0 < meter.db < 0.0
