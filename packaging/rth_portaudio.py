# PyInstaller runtime hook: sounddevice finds PortAudio with ctypes.util.find_library("portaudio"),
# which on Linux asks the system (ldconfig), not the app's folder. The spec bundles the build
# machine's libportaudio.so.2 next to the other libraries; answer with that one, so the station's
# microphone works on a machine without the libportaudio2 package.
import ctypes.util
import os
import sys

_bundled = os.path.join(getattr(sys, "_MEIPASS", ""), "libportaudio.so.2")
if sys.platform.startswith("linux") and os.path.exists(_bundled):
    _system_find_library = ctypes.util.find_library

    def _find_library(name):
        return _bundled if name == "portaudio" else _system_find_library(name)

    ctypes.util.find_library = _find_library
