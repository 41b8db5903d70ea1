"""Settings → Sync → Learning record store: set up, Save and test, Send now and automatic sending, against
a real LRS (Ralph on 127.0.0.1), with the work off the UI thread."""
from __future__ import annotations

import pytest

from ralph_lrs import SECRET, free_port, ralph_fixture
from store.xapi import queue
from store.xapi.config import LrsConfig
from ui.widgets.lrs_settings import LrsSettingsGroup
from ui.workers.lrs_sender import LrsSender
from xapi_support import demo_station

ralph = pytest.fixture(scope="module")(ralph_fixture)


@pytest.fixture(autouse=True)
def secret_in_a_file(monkeypatch):
    monkeypatch.setenv("ROLECALL_SECRET_STORE", "file")


@pytest.fixture
def event(tmp_path):
    store = demo_station(tmp_path / "station", recordings=20, seed=3)
    yield store
    store.close()


def fill(group, endpoint, key, secret):
    group.endpoint.setText(endpoint)
    group.key.setText(key)
    group.secret.setText(secret)


def test_set_up_test_and_send_now(qtbot, event, ralph):
    group = LrsSettingsGroup(event)
    qtbot.addWidget(group, before_close_func=lambda w: w.shutdown())
    assert "No LRS yet" in group.status.text() and not group.send_button.isEnabled()
    user = ralph.take_user()
    fill(group, ralph.endpoint, user, SECRET)
    group.home_page.setText("https://learning.example.com/rolecall")
    with qtbot.waitSignal(group.changed, timeout=60_000):
        group.save_and_test()
    qtbot.waitUntil(lambda: not group.busy(), timeout=10_000)
    assert "accepts the key" in group.message.text() and "Queued" in group.message.text()
    assert group.secret.text() == "" and "Saved" in group.secret.placeholderText()
    waiting = queue.counts(event, "own").queued
    qtbot.waitUntil(lambda: group.send_button.isEnabled(), timeout=10_000)
    assert f"{waiting:,} statement(s) waiting" in group.status.text()
    with qtbot.waitSignal(group.sender.pushed, timeout=120_000) as pushed:
        group.send_button.click()
    assert pushed.args[0].sent == waiting and ralph.stored_lines(user) == waiting
    qtbot.waitUntil(lambda: not group.busy(), timeout=10_000)
    assert "0 statement(s) waiting" in group.status.text() and f"{waiting:,} sent" in group.status.text()


def test_a_bad_address_is_refused_before_anything_runs(qtbot, event):
    group = LrsSettingsGroup(event)
    qtbot.addWidget(group, before_close_func=lambda w: w.shutdown())
    fill(group, "lrs.example.com", "k", "s")
    group.save_and_test()
    assert "is not an LRS address" in group.message.text() and not group.busy()
    assert LrsConfig.load(event).url == ""


def test_automatic_sending_while_the_lrs_answers_and_backing_off_when_not(qtbot, event, ralph, tmp_path):
    port = free_port()
    group = LrsSettingsGroup(event, LrsSender(event, every_ms=50))
    qtbot.addWidget(group, before_close_func=lambda w: w.shutdown())
    reports = []
    group.sender.pushed.connect(reports.append)
    user = ralph.take_user()
    fill(group, f"http://127.0.0.1:{port}/xAPI/", user, SECRET)       # nothing listens there
    group.auto.setChecked(True)
    with qtbot.waitSignal(group.changed, timeout=60_000):
        group.save_and_test()
    qtbot.waitUntil(lambda: bool(reports), timeout=60_000)                 # the timer pushes by itself
    assert reports[0].stopped and "cannot be reached" in reports[0].stopped
    qtbot.waitUntil(lambda: not group.busy() and "next automatic try" in group.status.text(), timeout=10_000)
    assert len(reports) == 1                                          # backing off: no second try yet
    fill(group, ralph.endpoint, user, "")                              # the right address; secret kept
    with qtbot.waitSignal(group.changed, timeout=60_000):
        group.save_and_test()                                          # a settings change ends the back-off
    qtbot.waitUntil(lambda: any(r.ok for r in reports), timeout=120_000)
    delivered = next(r for r in reports if r.ok)
    assert ralph.stored_lines(user) == delivered.sent > 0


def test_the_app_has_one_sender_that_settings_uses(context, qtbot):
    from ui.pages.settings_page import SettingsPage

    page = SettingsPage(context)
    qtbot.addWidget(page)
    group = page.findChild(LrsSettingsGroup)
    assert group is not None and group.sender is context.services.lrs_sender
    assert group.sender.timer.isActive()                  # automatic sending runs whichever page is open
