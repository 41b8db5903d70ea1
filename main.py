"""Rolecall's composition root: parse the command line, open the store, then run a command or the app
with the services built here (ui/services.py: remote takes, the hub, camera, microphone, transcription)."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def launch_app(data_dir: Path) -> int:
    """Open the station in ``data_dir`` and run the Qt app until its window closes."""
    from ui.app import run_app  # Qt is imported only when the window is wanted
    from ui.services import build_services

    return run_app(data_dir, sys.argv[:1], make_services=build_services)


def run(argv: list[str] | None = None) -> None:
    """Entry point of the `rolecall` console command, of `python main.py` and of the frozen app."""
    # In the frozen app (PyInstaller) the transcription child process is this same executable started
    # with --multiprocessing-fork: freeze_support runs the child there and exits, before any parsing.
    import multiprocessing

    multiprocessing.freeze_support()
    os.environ.setdefault("PYTHONUTF8", "1")
    from cli import main

    main(argv, launch_app=launch_app)


if __name__ == "__main__":
    run()
