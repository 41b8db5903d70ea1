"""Optional native parts — PortAudio (the microphone), Qt's multimedia libraries (playback), OpenCV (the
camera) — and what to tell a person when one cannot be loaded: which shared library the loader could
not find, and the one command that brings it back. No Qt here; ui/ asks the same questions about Qt's
own modules.

    missing_library(OSError("libpulse.so.0: cannot open shared object file"))   # -> "libpulse.so.0"
    fix_command("libpulse.so.0")             # -> "sudo apt-get install libpulse0" on Debian/Ubuntu
"""
from __future__ import annotations

import os
import re
import shutil
import sys

# The shared libraries the wheels load from the OS, and the Debian/Ubuntu package that holds each
# (the whole list, with what each is for: scripts/system-deps.sh).
DEBIAN_PACKAGES = {
    "libportaudio.so.2": "libportaudio2",
    "libpulse.so.0": "libpulse0",
    "libpulse-mainloop-glib.so.0": "libpulse-mainloop-glib0",
    "libasound.so.2": "libasound2",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
}
_SONAME = re.compile(r"(lib[A-Za-z0-9_.+-]+?\.so(?:\.\d+)*)")


def missing_library(error: BaseException | str) -> str | None:
    """The shared library a loader error names ("libpulse.so.0: cannot open ..."), or None."""
    match = _SONAME.search(str(error))
    return match.group(1) if match else None


def is_frozen() -> bool:
    """True in the packaged one-folder app (PyInstaller), where every library ships in the folder."""
    return bool(getattr(sys, "frozen", False))


def fix_command(library: str | None, package: str | None = None) -> str:
    """What to do so ``library`` loads: an ``apt-get install`` line on Debian/Ubuntu, else a sentence.
    ``package`` is the Debian package to name when the library is not one we know (or is unknown)."""
    if is_frozen():
        return ("reinstall Rolecall: this copy of the app is incomplete "
                f"({library or 'a library'} is missing from its folder)")
    package = DEBIAN_PACKAGES.get(library or "", package)
    if sys.platform.startswith("linux") and shutil.which("apt-get") and package:
        prefix = "" if hasattr(os, "geteuid") and os.geteuid() == 0 else "sudo "
        return f"{prefix}apt-get install {package}"
    if package:
        return f"install {library or package} with your system's package manager (Debian calls it {package})"
    return "reinstall Rolecall (from a checkout: make clean && make run)"


def unavailable(part: str, error: BaseException | str, package: str | None = None) -> str:
    """One sentence for a person: which ``part`` does not work, what is missing, the command that fixes it.

    unavailable("Playback", err, "libpulse0") -> "Playback is not available on this station:
    libpulse.so.0 could not be loaded. To fix it: sudo apt-get install libpulse0, then restart Rolecall."
    """
    library = missing_library(error)
    what = f"{library} could not be loaded" if library else f"it could not be loaded ({error})"
    return f"{part} is not available on this station: {what}. To fix it: {fix_command(library, package)}, " \
           "then restart Rolecall."
