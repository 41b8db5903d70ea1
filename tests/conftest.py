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


SPEECH_CLIPS = ["tr_teachback_us", "tr_champion_gb", "tr_outreach_f3", "tr_roleplay_m7", "tr_clinic_us"]


@pytest.fixture(scope="session")
def long_take(tmp_path_factory) -> Path:
    """The five speech clips joined with 1.5 s of silence between them: a ~40 s take as a WAV."""
    import wave

    import numpy as np

    from recorder.transcription.audio_decode import decode_audio

    gap = np.zeros(24000, dtype=np.float32)
    pcm = np.concatenate([p for c in SPEECH_CLIPS
                          for p in (decode_audio(DATA / "speech" / f"{c}.wav").samples, gap)])
    path = tmp_path_factory.mktemp("media") / "take.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes((pcm * 32767).astype(np.int16).tobytes())
    return path
