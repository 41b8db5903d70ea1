"""The transcript view (click a word or a time -> seek signal, terms highlighted, export) and its
place in the main window (status-bar widget toggles the Transcriptions dock)."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from recorder.transcription.subtitles import to_srt, to_vtt
from recorder.transcription.results import Segment, Word
from scoring.terms import VocabTerm, find_terms
from ui.widgets.transcript_view import TERM_STYLE, TranscriptView, export_transcript, fmt_time

SEGS = [
    Segment(0, 1.0, 4.0, "Start with a Socratic question.",
            [Word(1.0, 1.4, " Start"), Word(1.4, 1.6, " with"), Word(1.6, 1.7, " a"),
             Word(1.7, 2.4, " Socratic"), Word(2.4, 4.0, " question.")]),
    Segment(1, 65.0, 67.5, "Then reframe the objection.",
            [Word(65.0, 65.4, " Then"), Word(65.4, 66.0, " reframe"), Word(66.0, 66.2, " the"),
             Word(66.2, 67.5, " objection.")]),
]
HITS = find_terms([w for s in SEGS for w in s.words], [VocabTerm("Socratic question"), VocabTerm("reframe")])


@pytest.fixture
def view(qtbot):
    v = TranscriptView()
    qtbot.addWidget(v)
    v.resize(700, 400)
    v.show()
    v.set_transcript(SEGS, HITS, {"wpm": 150}, title="take")
    qtbot.waitExposed(v)
    return v


def click_text(qtbot, view, text, occurrence=0):
    rect = view.word_rect(text, occurrence)
    assert rect is not None, text
    qtbot.mouseClick(view.browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_clicking_a_word_seeks_to_its_start(view, qtbot):
    with qtbot.waitSignal(view.seek_requested) as sig:
        click_text(qtbot, view, "objection")
    assert sig.args == [pytest.approx(66.2)]
    with qtbot.waitSignal(view.seek_requested) as sig:
        click_text(qtbot, view, "Start")
    assert sig.args == [pytest.approx(1.0)]


def test_clicking_a_segment_time_seeks_to_the_segment(view, qtbot):
    with qtbot.waitSignal(view.seek_requested) as sig:
        click_text(qtbot, view, "[1:05]")
    assert sig.args == [pytest.approx(65.0)]


def test_terms_are_highlighted_and_summarised(view):
    assert view.term_word_indices() == {(0, 3), (0, 4), (1, 1)}
    html = view.browser.toHtml()
    assert html.count("#ffe08a") == 3  # Socratic, question., reframe
    assert "Socratic question" in view.summary.text() and "reframe" in view.summary.text()
    assert TERM_STYLE.startswith("background-color:#ffe08a")


def test_position_highlights_the_playing_segment(view):
    view.set_position(66.0)
    assert view._current == 1 and "#e3eefc" in view.browser.toHtml()
    view.set_position(30.0)
    assert view._current == -1 and "#e3eefc" not in view.browser.toHtml()


def test_export_each_format(view, tmp_path):
    assert export_transcript(view, "take", SEGS, HITS, {}, path=str(tmp_path / "a.srt")).read_text() == to_srt(SEGS)
    assert export_transcript(view, "take", SEGS, HITS, {}, path=str(tmp_path / "a.vtt")).read_text() == to_vtt(SEGS)
    assert export_transcript(view, "take", SEGS, HITS, {}, path=str(tmp_path / "a.txt")).read_text().startswith("Start with")
    rec = json.loads(export_transcript(view, "take", SEGS, HITS, {"duration": 70}, path=str(tmp_path / "a.json")).read_text())
    assert rec["duration"] == 70 and [t["term"] for t in rec["terms"]] == ["Socratic question", "reframe"]
    assert export_transcript(view, "take", SEGS, path=str(tmp_path / "b"), fmt="vtt").name == "b.vtt"


def test_empty_and_streaming(qtbot):
    v = TranscriptView()
    qtbot.addWidget(v)
    assert not v.export_button.isEnabled() and "No transcript" in v.summary.text()
    v.append_segment(SEGS[0])
    assert v.export_button.isEnabled() and "Socratic" in v.browser.toPlainText()
    assert fmt_time(3725) == "1:02:05" and fmt_time(65) == "1:05"


def test_main_window_has_the_transcriptions_dock_and_status(main_window, qtbot):
    panel, dock = main_window.transcription_panel, main_window.transcription_dock
    assert main_window.context.services.transcription_queue is panel.queue
    assert not dock.isVisible()
    from ui.widgets.transcription_panel import TranscriptionStatus

    status = main_window.statusBar().findChild(TranscriptionStatus)
    assert status.button.text() == "Transcriptions"
    qtbot.mouseClick(status.button, Qt.MouseButton.LeftButton)
    assert dock.isVisible()
    assert panel.summary.text() == "No transcription jobs yet."


def test_word_pieces_without_a_space_stay_joined(qtbot):
    v = TranscriptView()
    qtbot.addWidget(v)
    v.set_transcript([Segment(0, 0, 2, "a teach-back", [Word(0, 0.5, " a"), Word(0.5, 1, " teach"), Word(1, 2, "-back")])])
    assert "a teach-back" in v.browser.toPlainText()


def test_finished_job_tells_the_pages(main_window, qtbot):
    from store.changes import Changes

    queue = main_window.context.services.transcription_queue
    with qtbot.waitSignal(main_window.context.changed) as sig:
        queue.job_finished.emit("r1", "done", "")
    assert sig.args[0] == Changes.of("transcripts")


def test_settings_page_gets_a_transcription_section(main_window, qtbot, tmp_path):
    from ui.widgets.transcription_panel import TranscriptionSettingsBox, settings_from_store

    main_window.show_page(next(i for i, p in enumerate(__import__("ui.main_window").main_window.PAGES)
                               if p.key == "settings"))
    box = main_window.pages["settings"].findChild(TranscriptionSettingsBox)
    assert box is not None
    box.model.setCurrentText(str(tmp_path))  # an empty folder is not a model
    assert not box.apply() and "missing config.json" in box.message.text()
    box.model.setCurrentText("bundled tiny.en (offline)")
    box.threads.setValue(1)
    assert box.apply()
    s = settings_from_store(main_window.context.store)
    assert s.model is None and s.threads == 1
    assert main_window.context.services.transcription_queue.process.settings.threads == 1


def test_panel_search_filters_recordings_and_jumps_to_the_match(main_window, qtbot):
    from store.transcripts import TranscriptRepo

    store = main_window.context.store
    repo = TranscriptRepo(store)
    ids = []
    for text in ("We reframed the objection.", "Our champion set it up."):
        with store.transaction() as db:
            f = store.record_fields()
            db["recordings"].insert(dict(f, status="submitted"))
        repo.enqueue(f["id"])
        repo.claim(f["id"])
        tid = repo.begin_transcript(f["id"], "m", "en", 30.0)
        repo.add_segment(tid, {"start": 1.0, "end": 3.0, "text": "Intro words here."}, 0)
        repo.add_segment(tid, {"start": 12.0, "end": 15.0, "text": text}, 1)
        repo.complete_transcript(tid, f["id"], {}, [])
        repo.mark_done(f["id"])
        ids.append(f["id"])
    panel = main_window.transcription_panel
    panel.refresh()
    qtbot.keyClicks(panel.search, "reframe")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.summary.text() == "1 recording match"
    assert not panel.table.isRowHidden(panel.rows[ids[0]]) and panel.table.isRowHidden(panel.rows[ids[1]])
    panel.select(ids[0])
    assert panel.view._current == 1  # the segment that matched is highlighted
    panel.search.clear()
    assert not panel.table.isRowHidden(panel.rows[ids[1]])
