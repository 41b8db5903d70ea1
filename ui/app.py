"""Starting the Qt app: display check, opening the station with readable errors, the services the
composition root (main.py) builds for it, the main window."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

from recorder.probe import probe
from store.db import CorruptDatabaseError, StoreError, move_aside
from store.station import open_station

STYLE = Path(__file__).resolve().parent.parent / "assets" / "style.qss"


def display_problem() -> str | None:
    """Why no window can be shown here, or None. Qt would otherwise abort with a core dump."""
    if sys.platform.startswith("linux"):
        platform = os.environ.get("QT_QPA_PLATFORM", "")
        if platform.split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
            return None
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return ("No display found: Rolecall's window needs a desktop session (DISPLAY or "
                    "WAYLAND_DISPLAY is not set). Run it on the station's desktop, or use the command "
                    "line (`rolecall --help`).")
    return None


def run_app(data_dir: Path, argv: list[str], make_services: Callable | None = None) -> int:
    """``make_services(store) -> ui.services.Services``: main.py passes ``build_services``."""
    problem = display_problem()
    if problem:
        print(f"Error: {problem}", file=sys.stderr)
        return 1
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox
    except ImportError as err:   # Qt links OS libraries (EGL, xkbcommon, fontconfig ...) a bare machine lacks
        from recorder.native_libs import unavailable
        print(f"Error: {unavailable('The window', err)} The command line works without it "
              "(`rolecall --help`).", file=sys.stderr)
        return 1

    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.settings import Settings

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("Rolecall")
    app.setOrganizationName("Rolecall")
    if STYLE.exists():
        app.setStyleSheet(STYLE.read_text(encoding="utf-8"))
    store = _open_with_dialogs(data_dir, QMessageBox)
    if store is None:
        return 1
    if make_services is None:
        from ui.services import build_services as make_services  # noqa: PLC0415
    services = make_services(store)
    context = AppContext(store, Settings(), services=services)
    window = MainWindow(context)
    window.show()
    try:
        return app.exec()
    finally:
        services.shutdown()
        store.close()


def _open_with_dialogs(data_dir: Path, box):
    try:
        return open_station(data_dir, full_check=True, probe=probe)
    except CorruptDatabaseError as exc:
        answer = box.question(
            None, "Rolecall — damaged database",
            f"{exc}\n\nMove the damaged file aside and start with a fresh database?",
            box.StandardButton.Yes | box.StandardButton.No, box.StandardButton.No)
        if answer != box.StandardButton.Yes:
            return None
        target = move_aside(exc.path)
        box.information(None, "Rolecall", f"The damaged database was kept as\n{target}")
        return _open_with_dialogs(data_dir, box)
    except StoreError as exc:
        box.critical(None, "Rolecall cannot start", str(exc))
        return None
