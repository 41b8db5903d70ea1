"""Shared fixtures: a fresh station in a temp dir, isolated Qt settings, the app context."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from conftest_audio import virtual_mic  # noqa: E402,F401  (PulseAudio virtual microphone, issue #3)

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "station"
    path.mkdir()
    return path


@pytest.fixture
def store(data_dir: Path):
    """A freshly opened station with the default kit, closed after the test."""
    from store.station import open_station

    opened = open_station(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def settings(tmp_path: Path, qapp):
    from PySide6.QtCore import QSettings

    from ui.settings import Settings

    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def context(store, settings):
    from ui.context import AppContext

    return AppContext(store, settings)


@pytest.fixture
def main_window(context, qtbot):
    from ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    return window
