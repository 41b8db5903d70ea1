"""The main window: navigation between pages, who is at the station, and a status bar."""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QSizePolicy,
                               QStackedWidget, QToolBar, QWidget)

from ui.context import AppContext
from ui.settings import Key
from ui.widgets.person_picker import PersonPicker
from ui.widgets.status_message import StatusMessage
from ui.widgets.sync_status import SyncStatusWidget


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    module: str
    cls: str
    hint: str


PAGES = (
    PageSpec("record", "Record", "ui.pages.record_page", "RecordPage", "Record a teach-back or role-play"),
    PageSpec("review", "Review", "ui.pages.review_page", "ReviewPage", "Watch and score peers' takes"),
    PageSpec("coach", "Coach", "ui.pages.coach_page", "CoachPage", "The coach's queue and exemplars"),
    PageSpec("certify", "Certify", "ui.pages.certify_page", "CertifyPage", "Sign reps off on new messaging"),
    PageSpec("dashboard", "Dashboard", "ui.pages.dashboard_page", "DashboardPage", "Leaderboards and adoption"),
    PageSpec("settings", "Settings", "ui.pages.settings_page", "SettingsPage", "Station, people and kit"),
)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self._show_title()
        self.setMinimumSize(QSize(960, 640))
        self.pages: dict[str, QWidget] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget()
        for number, spec in enumerate(PAGES, start=1):
            item = QListWidgetItem(spec.title)
            item.setToolTip(f"{spec.hint} (Ctrl+{number})")
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # the real page is built on first visit
            action = QAction(spec.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, i=number - 1: self.show_page(i))
            self.addAction(action)
        self.nav.currentRowChanged.connect(self.show_page)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.picker = PersonPicker(context)
        toolbar = QToolBar("Station")
        toolbar.setObjectName("stationToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.picker)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.sync_status = SyncStatusWidget(context)     # issue #7: sync button, status, progress
        toolbar.addWidget(self.sync_status)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        focus_picker = QAction("Choose person", self)
        focus_picker.setShortcut(QKeySequence("Ctrl+P"))
        focus_picker.triggered.connect(lambda: (self.picker.combo.setFocus(), self.picker.combo.showPopup()))
        self.addAction(focus_picker)
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

        self.status_message = StatusMessage(self.statusBar())   # long messages end in "…", never overlap
        self.who = QLabel()
        self.statusBar().addPermanentWidget(self.who)
        context.status_message.connect(lambda text, ms: self.statusBar().showMessage(text, ms))
        from ui.widgets.transcription_panel import install_transcription_panel  # issue #4
        install_transcription_panel(self)
        context.person_changed.connect(lambda _p: self._show_who())
        context.on_change({"station"}, lambda _c: (self._show_title(), self._show_who()), self)
        self._show_who()
        self._restore()

    # -- pages -------------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page for ``key``, built if it has not been shown yet."""
        index = next(i for i, spec in enumerate(PAGES) if spec.key == key)
        return self._ensure_page(index)

    def _ensure_page(self, index: int) -> QWidget:
        spec = PAGES[index]
        if spec.key not in self.pages:
            page_cls = getattr(importlib.import_module(spec.module), spec.cls)
            page = page_cls(self.context)
            page.setObjectName(f"{spec.key}Page")
            old = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.pages[spec.key] = page
        return self.pages[spec.key]

    def show_page(self, index: int) -> None:
        if not 0 <= index < len(PAGES):
            return
        self._ensure_page(index)
        self.stack.setCurrentIndex(index)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)
        self.context.settings.set(Key.LAST_PAGE, index)

    def current_page_key(self) -> str:
        return PAGES[self.stack.currentIndex()].key

    # -- state -------------------------------------------------------------------------------
    def _show_title(self) -> None:
        self.setWindowTitle(f"Rolecall — {self.context.store.station_name}")

    def _show_who(self) -> None:
        person = self.context.person
        station = self.context.store.station_name
        self.who.setText(f"{station} · {person.label if person else 'no one chosen'}")

    def _restore(self) -> None:
        geometry = self.context.settings.value(Key.WINDOW_GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 780)
        self.show_page(int(self.context.settings.value(Key.LAST_PAGE) or 0))
        if self.context.person is None:
            self.statusBar().showMessage("Choose who is at this station (Ctrl+P), or add a person.")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        self.context.settings.set(Key.WINDOW_GEOMETRY, self.saveGeometry())
        self.context.settings.sync()
        self.sync_status.shutdown()
        for page in self.pages.values():
            closer = getattr(page, "shutdown", None)
            if callable(closer):
                closer()
        super().closeEvent(event)
