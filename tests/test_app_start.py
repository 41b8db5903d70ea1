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
