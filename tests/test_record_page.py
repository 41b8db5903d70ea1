"""The Record page driven with qtbot: a video file as the camera, a speech WAV as the microphone."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from recorder.probe import probe
from store.recordings import RecordingRepo
from ui.settings import Key

DATA = Path(__file__).parent / "data"
CAMERA = str(DATA / "rec_camera_320x240_30fps.mp4")
SPEECH = str(DATA / "speech" / "rec_teachback.wav")


@pytest.fixture
def page(context, qtbot):
    from ui.pages.record_page import RecordPage
    context.settings.set(Key.CAMERA, CAMERA)
    context.settings.set(Key.MICROPHONE, SPEECH)
    rep = context.people.add("Dana Rep", "rep")
    context.people.add("Bo Buyer", "rep")
    context.set_person(rep)
    widget = RecordPage(context)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.countdown_seconds = 0
    yield widget
    widget.shutdown()


def select_exercise(page, slug):
    for i in range(page.exercise_combo.count()):
        if page.exercise_combo.itemData(i)["slug"] == slug:
            page.exercise_combo.setCurrentIndex(i)
            return page.exercise_combo.itemData(i)
    raise AssertionError(slug)


def record_take(page, qtbot, seconds=1.5):
    qtbot.keyClick(page, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: page.state == "recording", timeout=20000)
    qtbot.waitUntil(lambda: page._clock.elapsed() >= seconds * 1000, timeout=60000)
    with qtbot.waitSignal(page.take_finished, timeout=20000) as finished:
        qtbot.keyClick(page, Qt.Key.Key_R)
    return finished.args[0]


def test_page_shows_exercise_prompt_prework_and_remembered_devices(page):
    ex = select_exercise(page, "cold-call")
    assert page.extras_layout.objectName() == "recordExtras"
    assert page.prompt_title.text() == "Role-play scenario" and page.prompt.text() == ex["prompt"]
    assert page.partner_combo.isVisible()
    assert page.camera_combo.currentText() == CAMERA and page.mic_combo.currentText() == SPEECH
    assert "Dana Rep" in page.rep_label.text()
    select_exercise(page, "teach-back-reframing")
    assert page.prompt_title.text() == "Prompt" and not page.partner_combo.isVisible()


def test_camera_preview_and_mic_level_before_recording(page, qtbot, context):
    qtbot.waitUntil(lambda: page.preview.frames_shown >= 5, timeout=20000)
    qtbot.waitUntil(lambda: page.level_meter.peak_db > -30, timeout=20000)   # the rep can check the mic
    assert page.state == "idle" and RecordingRepo(context.store).list() == []


def test_record_stop_take_is_stored_and_plays(page, qtbot, context):
    select_exercise(page, "teach-back-reframing")
    levels = []
    page.worker.level.connect(lambda db, peak: levels.append(db))
    rec = record_take(page, qtbot)
    assert rec.status == "take" and rec.rep_id == context.person.id
    assert page.preview.frames_shown > 0 and max(levels) > -30      # the meter saw speech
    info = probe(RecordingRepo(context.store).media_file(rec.id))
    assert info.has_video and info.has_audio and abs(info.video.end - info.audio.end) < 0.1
    assert page.takes.count() == 1 and page.selected_take_id() == rec.id
    assert "Take recorded" in page.message.text()

    from PySide6.QtMultimedia import QMediaPlayer
    qtbot.keyClick(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.player.position() > 200, timeout=20000)
    assert page.stack.currentWidget() is page.video_widget
    assert page.time_label.text().startswith("▶ 00:0")
    qtbot.keyClick(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.player.playbackState() == QMediaPlayer.PlaybackState.PausedState)


def test_retake_keeps_earlier_takes_then_submit_queues_transcription(page, qtbot, context):
    ex = select_exercise(page, "cold-call")
    page.partner_combo.setCurrentIndex(page.partner_combo.findText("Bo Buyer (rep)"))
    first = record_take(page, qtbot, 1.0)
    second = record_take(page, qtbot, 1.0)
    assert page.takes.count() == 2 and first.partner_id == second.partner_id is not None
    page.takes.setCurrentRow([page.takes.item(i).data(Qt.ItemDataRole.UserRole)
                              for i in range(2)].index(second.id))
    page.submit_button.click()
    repo = RecordingRepo(context.store)
    assert repo.get(second.id).status == "submitted" and repo.get(first.id).status == "discarded"
    job = context.store.db.execute("SELECT status FROM transcription_jobs WHERE recording_id=?",
                                   [second.id]).fetchone()
    assert job == ("queued",) and page.takes.count() == 0
    assert repo.open_takes(context.person.id, ex["id"]) == []


def test_time_limit_stops_by_itself(page, qtbot, context):
    with context.store.transaction() as db:     # a very short exercise
        db.execute("UPDATE exercises SET time_limit_s=1 WHERE slug='teach-back-reframing'")
    page._load_exercises()
    select_exercise(page, "teach-back-reframing")
    with qtbot.waitSignal(page.take_finished, timeout=60000) as finished:
        qtbot.keyClick(page, Qt.Key.Key_R)
    assert finished.args[0].duration_s == pytest.approx(1.0, abs=0.1)
    assert "Time is up" in page.message.text()


def test_countdown_then_record(page, qtbot):
    page.countdown_seconds = 2
    page.toggle_record()
    assert page.state == "countdown" and page.preview.overlay == "2"
    qtbot.waitUntil(lambda: page.preview.overlay == "1", timeout=20000)
    qtbot.waitUntil(lambda: page.state == "recording", timeout=20000)
    assert page.preview.overlay == ""
    with qtbot.waitSignal(page.take_finished, timeout=20000):
        page.toggle_record()


def test_no_camera_message_and_nothing_stored(page, qtbot, context):
    page.camera_combo.setCurrentText("/dev/video93")
    qtbot.waitUntil(lambda: "/dev/video93" in page.preview._message, timeout=20000)  # said in the preview
    page.toggle_record()
    qtbot.waitUntil(lambda: page.state == "idle" and "No camera" in page.message.text(), timeout=20000)
    assert page.message.objectName() == "errorText"
    assert RecordingRepo(context.store).list() == []
    assert context.settings.value(Key.CAMERA) == "/dev/video93"     # remembered for this station


def test_nobody_chosen(page, context):
    context.set_person(None)
    page.toggle_record()
    assert page.state == "idle" and "Choose who" in page.message.text()


def test_discard_a_take(page, qtbot, context):
    select_exercise(page, "teach-back-reframing")
    rec = record_take(page, qtbot, 1.0)
    page.discard_button.click()
    assert RecordingRepo(context.store).get(rec.id).status == "discarded"
    assert page.takes.count() == 0 and not page.submit_button.isEnabled()
    assert RecordingRepo(context.store).media_file(rec.id).exists()     # nothing recorded is deleted


def test_low_disk_warning(tmp_path, monkeypatch):
    import ui.pages.record_setup as setup
    monkeypatch.setattr(setup, "LOW_DISK_BYTES", 0)
    assert setup.disk_space_warning(tmp_path) == ""
    monkeypatch.setattr(setup, "LOW_DISK_BYTES", 1 << 62)        # every real disk is "nearly full" now
    text = setup.disk_space_warning(tmp_path)
    assert text.startswith("Only ") and "min of video" in text


def test_takes_recovered_at_start_are_announced_once(context, qtbot):
    from ui.pages.record_page import RecordPage
    rep = context.people.add("Kim Crashed", "rep")
    ex = context.kit.exercises()[0]
    repo = RecordingRepo(context.store)
    rec = repo.begin(rep.id, ex["id"])
    repo._release(rec)                       # its process died: the lock is gone, the row says 'recording'
    assert [r.id for r in RecordingRepo(context.store).recover_interrupted()] == [rec.id]
    context.settings.set(Key.CAMERA, "none")
    context.settings.set(Key.MICROPHONE, "none")
    page = RecordPage(context)
    qtbot.addWidget(page)
    try:
        assert "1 take(s) were recovered" in page.message.text() and "Kim Crashed" in page.message.text()
        assert RecordingRepo(context.store).take_recovery_notice() == []     # told once
    finally:
        page.shutdown()
