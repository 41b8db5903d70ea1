"""Starting the app: a damaged database is offered to be moved aside, never overwritten."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from ui.app import _open_with_dialogs, display_problem


class ScriptedBox:
    """Stands in for QMessageBox's static dialogs and answers as a person would."""

    StandardButton = QMessageBox.StandardButton

    def __init__(self, answer):
        self.answer = answer
        self.shown: list[tuple[str, str]] = []

    def question(self, _parent, title, text, *_args):
        self.shown.append(("question", text))
        return self.answer

    def information(self, _parent, title, text):
        self.shown.append(("information", text))

    def critical(self, _parent, title, text):
        self.shown.append(("critical", text))


def test_damaged_database_kept_when_the_person_says_no(data_dir, qapp):
    (data_dir / "rolecall.db").write_bytes(b"not a database" * 100)
    box = ScriptedBox(QMessageBox.StandardButton.No)
    assert _open_with_dialogs(data_dir, box) is None
    assert "damaged" in box.shown[0][1]
    assert (data_dir / "rolecall.db").read_bytes() == b"not a database" * 100


def test_damaged_database_moved_aside_when_the_person_agrees(data_dir, qapp):
    (data_dir / "rolecall.db").write_bytes(b"not a database" * 100)
    box = ScriptedBox(QMessageBox.StandardButton.Yes)
    store = _open_with_dialogs(data_dir, box)
    assert store is not None and store.user_version() > 0
    kept = list(data_dir.glob("rolecall.db.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"not a database" * 100
    assert box.shown[-1][0] == "information" and str(kept[0]) in box.shown[-1][1]
    store.close()


def test_unusable_data_dir_is_explained(tmp_path, qapp):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    box = ScriptedBox(None)
    assert _open_with_dialogs(blocker / "station", box) is None
    assert box.shown[0][0] == "critical" and "Cannot create the data folder" in box.shown[0][1]


def test_display_problem(monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert "No display found" in display_problem()
    monkeypatch.setenv("DISPLAY", ":0")
    assert display_problem() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.delenv("DISPLAY")
    assert display_problem() is None


def test_main_builds_the_services_and_every_page_gets_them(tmp_path, qapp, monkeypatch):
    """The composition root: main.launch_app -> ui.app.run_app with ui.services.build_services; the
    window's pages use those services (no widget builds or installs its own)."""
    from PySide6.QtCore import QSettings, QTimer

    import main
    import ui.services
    import ui.settings
    from store.station import open_station
    from ui.main_window import MainWindow

    real_settings, real_build = ui.settings.Settings, ui.services.build_services
    monkeypatch.setattr(ui.settings, "Settings", lambda: real_settings(
        QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    built = []
    monkeypatch.setattr(ui.services, "build_services", lambda store: built.append(real_build(store)) or built[-1])
    seen = {}

    def look_then_close():
        window = next(w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow))
        services = window.context.services
        seen["same"] = services is built[0]
        seen["review"] = window.page("review").player.fetcher is services.media
        seen["certify"] = window.page("certify").evidence.player.fetcher is services.media
        seen["queue"] = window.transcription_panel.queue is services.transcription_queue
        seen["hub"] = window.sync_status._open_hub is services.open_hub
        window.close()
        window.deleteLater()
        qapp.quit()

    QTimer.singleShot(0, look_then_close)
    qapp.setQuitOnLastWindowClosed(False)      # only our quit() ends the loop, and nothing is left queued
    try:
        assert main.launch_app(tmp_path / "station") == 0
    finally:
        qapp.setQuitOnLastWindowClosed(True)
        qapp.setStyleSheet("")                  # run_app styled the shared app: leave it as found
        qapp.processEvents()                    # a queued Quit outside any loop does nothing
    assert seen == {"same": True, "review": True, "certify": True, "queue": True, "hub": True}
    store = open_station(tmp_path / "station")      # the app published this station's name for sync
    assert store.db.execute("SELECT name FROM stations WHERE id=?", [store.station_id]).fetchone() == ("Station",)
    store.close()
