"""The sync button, status, progress (items and bytes), cancel and error messages in the main window,
and the Sync group on the Settings page — driven with pytest-qt against a real folder hub."""
from __future__ import annotations

import threading

import pytest

from store.sync import SyncConfig, open_hub, save_key
from store.sync.tables import pending_count
from test_sync_support import KEY_TEXT, add_person, add_take


@pytest.fixture
def window_with(store, settings, qtbot):
    def build(**overrides):
        from ui.context import AppContext
        from ui.main_window import MainWindow
        from ui.services import build_services

        context = AppContext(store, settings, services=build_services(store, **overrides))
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        return window
    return build


def test_settings_group_sets_hub_and_key_then_sync_button_syncs(window_with, qtbot, tmp_path, store):
    hub_dir = tmp_path / "hub"
    hub_dir.mkdir()
    add_person(store, "Ana")
    window = window_with()
    status = window.sync_status
    assert "no hub set" in status.label.text()
    page = window.page("settings")
    group = page.sync_settings
    assert group.isVisibleTo(page) or group.parent() is not None
    group.hub.setText(str(hub_dir))
    group.hub.editingFinished.emit()
    group.key.setText(KEY_TEXT)
    group._save_key()
    assert "fingerprint" in group.fingerprint.text()
    assert SyncConfig.load(store).hub == str(hub_dir)
    assert "to send" in status.label.text() and "no hub set" not in status.label.text()
    qtbot.mouseClick(status.button, qtbot_left())
    qtbot.waitUntil(lambda: not status.running, timeout=20000)
    assert "nothing to send, last sync" in status.label.text()
    assert open_hub(str(hub_dir)).list("batches/")


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


class GatedHub:
    """A real folder hub whose media upload waits at a gate, so the test can watch progress and cancel."""

    def __init__(self, location):
        self.inner = open_hub(location)
        self.gate = threading.Event()
        self.uploading = threading.Event()

    def put_media(self, sha, source, size, progress=None):
        def slow(n):
            if progress:
                progress(n)
            self.uploading.set()
            self.gate.wait(10)
        self.inner.put_media(sha, source, size, slow)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_progress_and_cancel_keep_everything_for_the_next_sync(window_with, qtbot, tmp_path, store):
    hub_dir = tmp_path / "hub"
    hub_dir.mkdir()
    save_key(store.data_dir, KEY_TEXT)
    SyncConfig(hub=str(hub_dir)).save(store)
    rep = add_person(store, "Ben")
    for i in range(3):
        add_take(store, rep, bytes([i]) * 300_000)
    hubs = []

    def gated(config):
        hubs.append(GatedHub(config.hub))
        return hubs[-1]

    window = window_with(open_hub=gated)
    status = window.sync_status
    qtbot.mouseClick(status.button, qtbot_left())
    qtbot.waitUntil(lambda: bool(hubs) and hubs[0].uploading.is_set(), timeout=10000)
    qtbot.waitUntil(lambda: "Sending videos" in status.progress.format(), timeout=10000)
    assert status.progress.isVisible() and status.cancel_button.isVisible()
    assert "MB" in status.progress.format() and not status.button.isEnabled()
    qtbot.mouseClick(status.cancel_button, qtbot_left())
    hubs[0].gate.set()
    qtbot.waitUntil(lambda: not status.running, timeout=10000)
    assert not status.progress.isVisible() and status.button.isEnabled()
    assert open_hub(str(hub_dir)).list("batches/") == []          # cancelled before publishing
    assert pending_count(store.db.conn) > 0
    assert "to send" in status.label.text()
    # the next sync sends everything
    hubs.clear()
    qtbot.mouseClick(status.button, qtbot_left())
    qtbot.waitUntil(lambda: bool(hubs), timeout=10000)
    hubs[0].gate.set()
    qtbot.waitUntil(lambda: not status.running, timeout=20000)
    assert pending_count(store.db.conn) == 0
    assert len(open_hub(str(hub_dir)).list("media/")) == 3


def test_errors_are_stated_plainly(window_with, qtbot, tmp_path, store):
    SyncConfig(hub=str(tmp_path / "unplugged-stick")).save(store)
    window = window_with()
    status = window.sync_status
    qtbot.mouseClick(status.button, qtbot_left())
    qtbot.waitUntil(lambda: not status.running, timeout=10000)
    assert "no team key set" in status.label.text()
    assert "no team sync key" in status.label.toolTip()         # the whole message, and how to fix it
    save_key(store.data_dir, KEY_TEXT)
    qtbot.mouseClick(status.button, qtbot_left())
    qtbot.waitUntil(lambda: not status.running, timeout=10000)
    assert "hub not reachable" in status.label.text() and "is not there" in status.label.toolTip()
    assert "Connect the drive" in window.statusBar().currentMessage()


def test_automatic_sync_runs_on_its_timer_only_when_enabled_and_the_hub_is_there(window_with, qtbot,
                                                                                 tmp_path, store):
    hub_dir = tmp_path / "hub"
    save_key(store.data_dir, KEY_TEXT)
    add_person(store, "Dee")
    SyncConfig(hub=str(hub_dir), auto=True).save(store)          # the stick is not plugged in yet
    window = window_with()
    status = window.sync_status
    status._auto()
    assert not status.running and "hub not reachable" not in status.label.text()   # no error spam
    hub_dir.mkdir()
    SyncConfig(hub=str(hub_dir), auto=False).save(store)
    status._auto()
    assert not status.running                                    # switched off: nothing happens
    SyncConfig(hub=str(hub_dir), auto=True).save(store)
    status.auto_timer.setInterval(50)
    qtbot.waitUntil(lambda: pending_count(store.db.conn) == 0 and not status.running, timeout=10000)
    assert open_hub(str(hub_dir)).list("batches/")


def test_players_get_a_remote_take_from_the_hub_off_the_main_thread(window_with, qtbot, tmp_path, store):
    from store.sync import Syncer
    from test_sync_support import new_station, team_key

    hub_dir = tmp_path / "hub"
    hub_dir.mkdir()
    other = new_station(tmp_path / "other")
    take = add_take(other, add_person(other, "Eli"), b"remote video" * 1000)
    Syncer(other, open_hub(str(hub_dir)), team_key()).run()
    save_key(store.data_dir, KEY_TEXT)
    SyncConfig(hub=str(hub_dir)).save(store)
    Syncer(store, open_hub(str(hub_dir)), team_key()).run()
    window = window_with()
    fetcher = window.context.services.media
    assert fetcher.locate(take).fetchable and not fetcher.locate(take).present
    job = fetcher.fetch(take)
    with qtbot.waitSignal(job.finished, timeout=10000) as done:
        pass
    rid, path, outcome, message = done.args
    assert (rid, outcome, message) == (take, "done", "") and path.read_bytes() == b"remote video" * 1000
    assert fetcher.locate(take).present
    job = fetcher.fetch("no-such-take")
    with qtbot.waitSignal(job.finished, timeout=10000) as done:
        pass
    assert done.args[1] is None and done.args[2] == "failed" and "no take" in done.args[3]
