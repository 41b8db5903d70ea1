"""Whether Qt's multimedia modules load on this station. They link system libraries (PulseAudio's client
library on Linux) that a bare machine may lack; every player asks here first and, when the answer is a
problem, shows it instead of a video, so the rest of the app works without playback.

    problem = playback_problem()     # None, or "Playback is not available on this station: ..."
"""
from __future__ import annotations

import functools

from recorder.native_libs import unavailable


@functools.cache
def playback_problem() -> str | None:
    """None when QtMultimedia and QtMultimediaWidgets import; else what is missing and how to fix it.
    Asked once per process (``playback_problem.cache_clear()`` asks again)."""
    try:
        import PySide6.QtMultimedia  # noqa: F401, PLC0415 - imported where it is used, never at start
        import PySide6.QtMultimediaWidgets  # noqa: F401, PLC0415
    except ImportError as err:  # the module, or a library it links, cannot be loaded
        return unavailable("Playback", err)
    return None
