"""Typed access to the station's Qt settings (QSettings behind an enum of keys)."""
from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QSettings


class Key(str, enum.Enum):
    WINDOW_GEOMETRY = "window/geometry"
    WINDOW_STATE = "window/state"
    LAST_PAGE = "window/last_page"
    LAST_PERSON = "station/last_person"
    CAMERA = "devices/camera"
    MICROPHONE = "devices/microphone"


DEFAULTS: dict[Key, Any] = {
    Key.LAST_PAGE: 0,
    Key.CAMERA: "0",
    Key.MICROPHONE: "default",
}


class Settings:
    """One place for settings. ``Settings(QSettings(path, IniFormat))`` isolates tests."""

    def __init__(self, backend: QSettings | None = None):
        self._backend = backend if backend is not None else QSettings("Rolecall", "Rolecall")

    def value(self, key: Key, default: Any = None) -> Any:
        fallback = DEFAULTS.get(key) if default is None else default
        value = self._backend.value(key.value, fallback)
        if isinstance(fallback, int) and not isinstance(value, int):
            try:
                return int(value)
            except (TypeError, ValueError):
                return fallback
        return value

    def set(self, key: Key, value: Any) -> None:
        self._backend.setValue(key.value, value)

    def remove(self, key: Key) -> None:
        self._backend.remove(key.value)

    def sync(self) -> None:
        self._backend.sync()
