"""Device specs ("0", "/dev/video2", "HD Webcam", "clip.mp4", "none") and device listing."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from recorder.errors import NoPortAudioError

_URL_SCHEMES = ("rtsp://", "rtmp://", "http://", "https://", "udp://", "tcp://", "file://")


@dataclass(frozen=True)
class DeviceSpec:
    """What the user asked for, classified. ``kind`` is 'none', 'index', 'path', 'file', 'url' or 'name'."""
    kind: str
    value: object
    text: str

    @property
    def is_file(self) -> bool:
        return self.kind in ("file", "url")


def parse_spec(spec: object) -> DeviceSpec:
    """Classify a camera or microphone spec. Files are checked for existence; names are kept."""
    if spec is None:
        return DeviceSpec("none", None, "none")
    if isinstance(spec, int):
        return DeviceSpec("index", spec, str(spec))
    text = str(spec).strip()
    if text == "" or text.lower() == "none":
        return DeviceSpec("none", None, "none")
    if text.isdigit():
        return DeviceSpec("index", int(text), text)
    if text.lower().startswith(_URL_SCHEMES):
        return DeviceSpec("url", text, text)
    if text.startswith("/dev/"):
        return DeviceSpec("path", text, text)
    if os.path.exists(text):
        return DeviceSpec("file", str(Path(text).resolve()), text)
    if "/" in text or Path(text).suffix.lower() in (".mp4", ".mov", ".mkv", ".avi", ".wav",
                                                       ".mp3", ".m4a", ".webm", ".ogg", ".flac"):
        return DeviceSpec("file", text, text)  # a missing file: the source will say so
    return DeviceSpec("name", text, text)


@dataclass(frozen=True)
class DeviceInfo:
    spec: str      # what to pass back as a spec (stable across restarts where possible)
    label: str     # what to show a person


def list_cameras(sysfs: str = "/sys/class/video4linux") -> list[DeviceInfo]:
    """Video capture devices known to the OS (Linux: V4L2 through sysfs). Never opens them."""
    out: list[DeviceInfo] = []
    root = Path(sysfs)
    if not root.is_dir():
        return out
    for dev in sorted(root.glob("video*"), key=lambda p: int(p.name[5:] or 0)):
        try:
            name = (dev / "name").read_text().strip()
        except OSError:
            name = dev.name
        index_file = dev / "index"
        try:  # a webcam exposes metadata nodes too; index 0 is the capture node
            if index_file.exists() and int(index_file.read_text().strip()) != 0:
                continue
        except (OSError, ValueError):
            pass
        out.append(DeviceInfo(spec=name, label=f"{name} (/dev/{dev.name})"))
    return out


def camera_name_to_path(name: str, sysfs: str = "/sys/class/video4linux") -> str | None:
    root = Path(sysfs)
    if not root.is_dir():
        return None
    for dev in sorted(root.glob("video*")):
        try:
            if (dev / "name").read_text().strip() == name:
                return f"/dev/{dev.name}"
        except OSError:
            continue
    return None


def import_sounddevice():
    """Import sounddevice, turning a missing PortAudio into a clear error."""
    try:
        import sounddevice  # noqa: PLC0415 - imported lazily so a station without PortAudio still starts
    except (OSError, ImportError) as err:  # OSError: libportaudio cannot be loaded
        raise NoPortAudioError(str(err) or "the sounddevice module is missing") from err
    return sounddevice


def list_microphones() -> list[DeviceInfo]:
    """Input devices PortAudio sees. Raises NoPortAudioError when PortAudio is missing."""
    sd = import_sounddevice()
    out = []
    try:
        devices = sd.query_devices()
    except Exception as err:  # PortAudioError when the host API fails to initialise
        raise NoPortAudioError(str(err)) from err
    for dev in devices:
        if dev.get("max_input_channels", 0) > 0:
            out.append(DeviceInfo(spec=dev["name"], label=f"{dev['name']} ({dev['index']})"))
    return out
