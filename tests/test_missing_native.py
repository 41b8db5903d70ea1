"""A station whose machine lacks a native library still starts: the page that needs it says what is missing
and the command that fixes it, every other page works (#20). The imports are made to fail the way they
fail on a bare machine (the loader's own message), in this process or in a real `rolecall` process."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from failing_imports import failing_import, sitecustomize_failing
from store.recordings import RecordingRepo
from ui.settings import Key

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
CAMERA = str(DATA / "rec_camera_320x240_30fps.mp4")
SPEECH = str(DATA / "speech" / "rec_teachback.wav")
NO_PULSE = "libpulse.so.0: cannot open shared object file: No such file or directory"
NO_LIBGL = "libGL.so.1: cannot open shared object file: No such file or directory"


@pytest.fixture
def no_multimedia(monkeypatch):
    """QtMultimedia cannot load, as on a machine without PulseAudio's client library."""
    from ui.multimedia import playback_problem
    playback_problem.cache_clear()
    with failing_import(monkeypatch, "PySide6.QtMultimedia", NO_PULSE):
        yield
    playback_problem.cache_clear()


def test_playback_problem_names_the_library_and_the_command(no_multimedia):
    from ui.multimedia import playback_problem
    text = playback_problem()
    assert text.startswith("Playback is not available on this station: libpulse.so.0 could not be loaded.")
    assert "apt-get install libpulse0" in text and "restart Rolecall" in text


def test_playback_works_where_qtmultimedia_loads():
    from ui.multimedia import playback_problem
    playback_problem.cache_clear()
    assert playback_problem() is None


def test_player_without_qtmultimedia_says_why_and_still_seeks(no_multimedia, qtbot):
    from ui.widgets.player import TakePlayer
    player = TakePlayer(None)
    qtbot.addWidget(player)
    player.show()
    assert player.media is None and not player.play_button.isEnabled()
    assert "libpulse0" in player.missing.text()
    player.load(Path(CAMERA), 10.0, "rec-1")
    assert player.screen.currentWidget() is player.video and "libpulse0" in player.video.text()
    assert not player.has_video()
    positions = []
    player.position_changed.connect(positions.append)
    player.seek(3.0)          # the transcript and "cite this moment" still follow the position
    player.toggle()
    assert positions == [3.0] and player.position() == 3.0 and not player.is_playing()
    player.shutdown()


def test_every_page_opens_without_qtmultimedia(no_multimedia, context, qtbot):
    from ui.main_window import PAGES, MainWindow
    context.set_person(context.people.add("Ana Lopez", "rep"))
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    for number, spec in enumerate(PAGES):
        window.nav.setCurrentRow(number)
        assert window.stack.currentWidget() is window.pages[spec.key] and window.pages[spec.key].isVisible()
    record = window.pages["record"]
    window.show_page(0)
    assert record.importer.notice.isVisible() and "libpulse0" in record.importer.notice.text()
    assert not record.play_button.isEnabled() and "libpulse0" in record.play_button.toolTip()
    review = window.pages["review"]
    assert review.player.media is None and "libpulse0" in review.player.missing.text()
    window.close()


@pytest.fixture
def record_page(context, qtbot, monkeypatch):
    """The Record page of a station whose OS reports no camera (and a WAV as the microphone)."""
    import recorder.devices
    monkeypatch.setattr(recorder.devices, "list_cameras", lambda *a, **k: [])
    from ui.pages.record_page import RecordPage
    context.settings.set(Key.MICROPHONE, SPEECH)
    context.set_person(context.people.add("Dana Rep", "rep"))
    page = RecordPage(context)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.countdown_seconds = 0
    yield page
    page.shutdown()


def test_record_page_without_a_camera_says_so_and_imports_a_file(record_page, qtbot, context, monkeypatch):
    from ui.pages.record_import import NO_CAMERA
    page = record_page
    page.show()       # the default camera, 0, is not there
    qtbot.waitUntil(lambda: page.importer.notice.text() == NO_CAMERA, timeout=20000)
    assert page.importer.notice.isVisible()
    page.camera_combo.setCurrentText("none")             # audio only: still no camera on this station
    assert page.importer.notice.isVisible() and page.importer.notice.text() == NO_CAMERA
    assert page.importer.button.isVisible() and page.importer.button.isEnabled()
    # the button opens a file dialog; the chosen WAV is re-encoded and joins the open takes
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (SPEECH, ""))
    with qtbot.waitSignal(page.importer.imported, timeout=60000) as done:
        page.importer.button.click()
    imported = done.args[0]
    assert imported.how == "re-encoded to H.264/AAC MP4" and imported.path.is_file()
    assert page.takes.count() == 1 and page.selected_take_id() == imported.recording.id
    assert "Imported as a take" in page.message.text()
    qtbot.waitUntil(lambda: page.importer.button.isEnabled())
    rec, = RecordingRepo(context.store).list()
    assert rec.source == "import" and rec.status == "take" and rec.rep_id == context.person.id
    page.submit_selected()
    assert RecordingRepo(context.store).get(rec.id).status == "submitted"


def test_record_page_import_of_a_file_that_is_not_media_stores_nothing(record_page, qtbot, context, tmp_path):
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("not a video")
    record_page.show()
    record_page.importer.import_file(bogus)
    qtbot.waitUntil(lambda: "Nothing was stored" in record_page.message.text(), timeout=30000)
    assert record_page.message.objectName() == "errorText"
    assert RecordingRepo(context.store).list() == [] and record_page.importer.button.isEnabled()


def test_record_page_camera_that_gives_no_picture_offers_import(record_page, qtbot):
    from ui.pages.record_import import CAMERA_FAILED
    record_page.setup.cameras = ["Imaginary Webcam"]     # the OS lists a camera that gives nothing
    record_page.camera_combo.setCurrentText("/dev/video97")
    record_page.show()
    qtbot.waitUntil(lambda: record_page.importer.notice.text() == CAMERA_FAILED, timeout=20000)
    assert record_page.importer.notice.isVisible()
    record_page.camera_combo.setCurrentText(CAMERA)      # a working camera: the notice goes
    qtbot.waitUntil(lambda: not record_page.importer.notice.isVisible(), timeout=20000)


def test_camera_backend_that_cannot_load_names_the_library(monkeypatch):
    from recorder.camera import CameraSource
    from recorder.errors import NoCameraBackendError
    with failing_import(monkeypatch, "cv2", NO_LIBGL):
        with pytest.raises(NoCameraBackendError) as caught:
            CameraSource(CAMERA).open()
    text = str(caught.value)
    assert "The camera library (OpenCV) could not be loaded" in text and "apt-get install libgl1" in text
    assert "import a recording made elsewhere" in text


def _rolecall(tmp_path, failures: dict, *args: str) -> subprocess.CompletedProcess:
    """`python main.py ARGS` in a real process whose imports in ``failures`` fail."""
    site = sitecustomize_failing(tmp_path / "site", failures)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(REPO)]), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(tmp_path / "station"),
                           *args], env=env, capture_output=True, text=True, timeout=120)


def _recordings(tmp_path) -> int:
    with sqlite3.connect(tmp_path / "station" / "rolecall.db") as con:
        return con.execute("SELECT count(*) FROM recordings").fetchone()[0]


def test_cli_record_without_portaudio_names_it_and_exits_non_zero(tmp_path):
    fail = {"sounddevice": ("OSError", "PortAudio library not found")}
    added = _rolecall(tmp_path, fail, "people", "add", "Dana Rep", "--role", "rep")
    assert added.returncode == 0, added.stderr       # everything but the microphone works
    out = _rolecall(tmp_path, fail, "record", "--camera", "none", "--mic", "default", "--seconds", "1",
                    "--rep", "Dana Rep", "--exercise", "teach-back-reframing")
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert "The audio system (PortAudio) is not available: PortAudio library not found" in out.stderr
    assert "apt-get install libportaudio2" in out.stderr
    assert _recordings(tmp_path) == 0
    listed = _rolecall(tmp_path, fail, "record", "--list-devices")
    assert listed.returncode == 0 and "libportaudio2" in listed.stdout


def test_cli_record_without_opencv_names_it_and_exits_non_zero(tmp_path):
    fail = {"cv2": ("ImportError", NO_LIBGL)}
    assert _rolecall(tmp_path, fail, "people", "add", "Dana Rep", "--role", "rep").returncode == 0
    out = _rolecall(tmp_path, fail, "record", "--camera", CAMERA, "--mic", SPEECH, "--seconds", "1",
                    "--rep", "Dana Rep", "--exercise", "teach-back-reframing")
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert "OpenCV" in out.stderr and "libGL.so.1" in out.stderr and "apt-get install libgl1" in out.stderr
    assert _recordings(tmp_path) == 0


APP_WITHOUT_MULTIMEDIA = r'''
import json, sys
from PySide6.QtWidgets import QApplication
from store.station import open_station
from ui.context import AppContext
from ui.main_window import PAGES, MainWindow
from ui.settings import Settings
from PySide6.QtCore import QSettings
app = QApplication(sys.argv[:1])
store = open_station(sys.argv[1])
context = AppContext(store, Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat)))
context.set_person(context.people.add("Ana Lopez", "rep"))
window = MainWindow(context)
window.resize(1280, 720)
window.show()
shown = []
for number, spec in enumerate(PAGES):
    window.show_page(number)
    app.processEvents()
    shown.append(spec.key if window.stack.currentWidget().isVisible() else None)
window.show_page(0)
app.processEvents()
record = window.pages["record"]
print(json.dumps({"shown": shown, "notice": record.importer.notice.text(),
                  "multimedia_loaded": "PySide6.QtMultimedia" in sys.modules}), flush=True)
window.close()          # every page shuts down, as when the app quits
store.close()
'''


def test_the_app_in_a_fresh_process_without_qtmultimedia(tmp_path):
    """Nothing imports QtMultimedia when its module is imported: a fresh process proves it."""
    import json

    from ui.main_window import PAGES
    site = sitecustomize_failing(tmp_path / "site", {"PySide6.QtMultimedia": ("ImportError", NO_PULSE)})
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(REPO)]), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", APP_WITHOUT_MULTIMEDIA, str(tmp_path / "station"),
                          str(tmp_path / "settings.ini")], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["shown"] == [spec.key for spec in PAGES] and not report["multimedia_loaded"]
    assert "Playback is not available on this station: libpulse.so.0" in report["notice"]


def test_the_fix_in_the_frozen_app_is_to_reinstall_it(monkeypatch):
    """In the one-folder app the libraries ship in its folder: apt-get would not help."""
    from recorder.native_libs import fix_command, unavailable
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert fix_command("libportaudio.so.2") == ("reinstall Rolecall: this copy of the app is incomplete "
                                                "(libportaudio.so.2 is missing from its folder)")
    assert "apt-get" not in unavailable("Playback", ImportError(NO_PULSE))
    monkeypatch.delattr(sys, "frozen")
    assert "libpulse0" in fix_command("libpulse.so.0") and "Debian calls it libx" not in fix_command("libGL.so.1")


def test_the_window_without_qt_libraries_names_the_missing_one(tmp_path):
    """Qt itself cannot load (no libEGL): no window, but one clear line and exit 1, never a traceback."""
    out = _rolecall(tmp_path, {"PySide6.QtWidgets": ("ImportError", "libEGL.so.1: cannot open shared object "
                                                                      "file: No such file or directory")})
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert "The window is not available on this station: libEGL.so.1 could not be loaded" in out.stderr
    assert "apt-get install libegl1" in out.stderr
