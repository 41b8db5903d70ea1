"""Errors raised by the capture engine, each with a message a person at a station can act on."""
from __future__ import annotations

from recorder.native_libs import fix_command, missing_library


class RecorderError(Exception):
    """Base class: ``str(err)`` is a complete sentence saying what happened and what to do."""


class NoCameraError(RecorderError):
    def __init__(self, spec: object, detail: str = "") -> None:
        msg = (f"No camera could be opened for '{spec}'{': ' + detail if detail else ''}. "
               "Check that a camera is plugged in and not in use by another program, pick another "
               "camera in the device list, or record audio only (camera 'none').")
        super().__init__(msg)
        self.spec = spec


class NoMicrophoneError(RecorderError):
    def __init__(self, spec: object, detail: str = "") -> None:
        msg = (f"No microphone could be opened for '{spec}'{': ' + detail if detail else ''}. "
               "Check that a microphone is plugged in and not muted, pick another one in the device "
               "list, or record video only (microphone 'none').")
        super().__init__(msg)
        self.spec = spec


class NoPortAudioError(RecorderError):
    def __init__(self, detail: str = "") -> None:
        msg = ("The audio system (PortAudio) is not available"
               f"{': ' + detail if detail else ''}. To fix it: {fix_command('libportaudio.so.2')}, then "
               "restart Rolecall; or record with microphone 'none' or an audio file.")
        super().__init__(msg)


class NoCameraBackendError(NoCameraError):
    """OpenCV, which opens cameras and video files, cannot be imported (a missing library or module)."""

    def __init__(self, spec: object, detail: str = "") -> None:
        RecorderError.__init__(
            self, f"The camera library (OpenCV) could not be loaded{': ' + detail if detail else ''}. "
            f"To fix it: {fix_command(missing_library(detail))}, then restart Rolecall; or record audio "
            "only (camera 'none'), or import a recording made elsewhere.")
        self.spec = spec


class NothingToRecordError(RecorderError):
    def __init__(self) -> None:
        super().__init__("Neither a camera nor a microphone was given: choose at least one device.")


class DiskFullError(RecorderError):
    def __init__(self, path: object) -> None:
        super().__init__(
            f"The disk is full: recording stopped and what was recorded so far is kept in {path}. "
            "Free some space (or move old recordings off this station) before the next take.")
        self.path = path


class MediaError(RecorderError):
    """A file is not readable media (corrupt, truncated beyond repair, or not audio/video)."""
