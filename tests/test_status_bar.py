"""The main window's status bar: a long message ends in "…" before the permanent widgets (who is at the
station, Transcriptions) instead of running into them, and the Record page's preview tells it of a
microphone problem once, not on every visit."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from ui.settings import Key

LONG = ("No microphone could be opened for 'default': the computer reports no audio input devices. Check "
        "that a microphone is plugged in and not muted, pick another one in the device list, or record "
        "video only (microphone 'none').")


@pytest.fixture
def window(context, qtbot):
    """The main window on the Review page, the Record page's devices 'none' (no preview messages)."""
    from ui.main_window import MainWindow

    context.settings.set(Key.CAMERA, "none")
    context.settings.set(Key.MICROPHONE, "none")
    context.settings.set(Key.LAST_PAGE, 1)
    built = MainWindow(context)
    qtbot.addWidget(built)
    built.show()
    return built


def blank_columns(widget, left: int, right: int) -> bool:
    """True if the widget's pixels in columns [left, right) are all one colour (nothing drawn there)."""
    image = widget.grab().toImage()
    colours = {image.pixel(x, y) for x in range(left, right) for y in range(3, image.height() - 3)}
    return len(colours) == 1


def test_a_long_message_ends_in_an_ellipsis_before_the_permanent_widgets(window, qtbot):
    from ui.widgets.status_message import GAP, StatusMessage

    window.resize(1000, 700)
    bar, label, who = window.statusBar(), window.status_message, window.who
    assert isinstance(label, StatusMessage)
    window.context.say(LONG, 0)
    qtbot.waitUntil(lambda: label.text().endswith("…"))
    assert bar.currentMessage() == LONG and label.full_text == LONG      # Qt's message is the whole text
    assert label.toolTip() == LONG and label.elided
    assert LONG.startswith(label.text()[:-1])
    text_end = label.x() + label.indent() + label.fontMetrics().horizontalAdvance(label.text())
    assert text_end + GAP <= who.x()
    assert blank_columns(bar, text_end + 2, who.x() - 1)                 # neither we nor Qt draw there
    assert who.isVisible() and "no one chosen" in who.text()

    shown = len(label.text())
    window.resize(1500, 700)                                          # more room: more of it shows
    qtbot.waitUntil(lambda: len(label.text()) > shown)


def test_a_short_message_is_shown_whole_and_goes_after_its_time(window, qtbot):
    label = window.status_message
    window.context.say(LONG, 0)
    qtbot.waitUntil(lambda: label.elided)
    window.context.say("Take recorded: 2.6 s.", 300)
    assert label.text() == "Take recorded: 2.6 s." and label.toolTip() == "" and not label.elided
    qtbot.waitUntil(lambda: label.text() == "" and window.statusBar().currentMessage() == "")


def test_a_preview_microphone_problem_reaches_the_status_bar_once(context, tmp_path, qtbot):
    from ui.main_window import MainWindow

    missing = str(tmp_path / "no-such-microphone.wav")
    context.settings.set(Key.CAMERA, "none")
    context.settings.set(Key.MICROPHONE, missing)
    context.settings.set(Key.LAST_PAGE, 1)                  # the window opens on Review
    told = []
    context.status_message.connect(lambda text, _ms: told.append(text))
    main_window = MainWindow(context)
    qtbot.addWidget(main_window)
    main_window.show()
    page = main_window.page("record")
    with qtbot.waitSignal(page.recorder.preview_problem, timeout=20000):
        main_window.show_page(0)
    qtbot.waitUntil(lambda: "No microphone could be opened" in page.message.text())
    assert page.message.objectName() == "errorText"
    for _visit in range(2):                                 # Review, then back: the preview starts again
        main_window.show_page(1)
        with qtbot.waitSignal(page.recorder.preview_problem, timeout=20000):
            main_window.show_page(0)
    QApplication.processEvents()
    about_mic = [t for t in told if "No microphone could be opened" in t]
    assert len(about_mic) == 1 and missing in about_mic[0]
    assert missing in page.message.text()                   # the page itself still says it

    main_window.show_page(1)                                # leaving the page takes it off the status bar
    assert main_window.statusBar().currentMessage() == "" and main_window.status_message.text() == ""
    context.say("Scorecard submitted.", 0)                  # another page's message stays
    main_window.show_page(0)
    main_window.show_page(1)
    assert main_window.statusBar().currentMessage() == "Scorecard submitted."
    page.recorder.preview_problem.emit(LONG)                # a problem that arrives once the page is gone
    assert LONG == page.message.text() and LONG not in told

    other = str(tmp_path / "another-missing.wav")          # another device: its problem is news
    main_window.show_page(0)
    page.mic_combo.setCurrentText(other)
    qtbot.waitUntil(lambda: any(other in t for t in told), timeout=20000)
    with qtbot.waitSignal(page.recorder.preview_problem, timeout=20000,
                          check_params_cb=lambda text: missing in text):
        page.mic_combo.setCurrentText(missing)              # and back: that one was said already
    QApplication.processEvents()
    assert [t for t in told if "No microphone could be opened" in t] == about_mic + [
        t for t in told if other in t] and len([t for t in told if other in t]) == 1
