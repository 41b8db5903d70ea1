"""Settings: this station's name and data, the people here, and the kit."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from store.changes import Changes
from store.stations import rename
from ui.context import AppContext
from ui.widgets.person_dialog import AddPersonDialog
from ui.widgets.lrs_settings import LrsSettingsGroup
from ui.widgets.sync_settings import SyncSettingsGroup
from ui.widgets.transcription_panel import TranscriptionSettingsBox


class SettingsPage(QWidget):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        title = QLabel("Settings")
        title.setObjectName("pageTitle")

        station = QGroupBox("This station")
        self.station_name = QLineEdit(context.store.station_name)
        self.station_name.setPlaceholderText("e.g. Booth 3, Lisbon kickoff")
        self.station_name.editingFinished.connect(self._save_station_name)
        data_dir = QLabel(str(context.store.data_dir))
        data_dir.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        station_id = QLabel(context.store.station_id)
        station_id.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(station)
        form.addRow("Station &name", self.station_name)
        form.addRow("Data folder", data_dir)
        form.addRow("Station id", station_id)

        people = QGroupBox("People")
        self.people_table = QTableWidget(0, 3)
        self.people_table.setHorizontalHeaderLabels(["Name", "Role", "Team"])
        self.people_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.people_table.verticalHeader().hide()
        self.people_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.people_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.people_empty = QLabel("No one yet. Add the reps, coaches and certifiers who use this "
                                   "station, or import them with `rolecall people add`.")
        self.people_empty.setObjectName("emptyState")
        self.people_empty.setWordWrap(True)
        add = QPushButton("Add person…")
        add.clicked.connect(self._add_person)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(add)
        box = QVBoxLayout(people)
        box.addWidget(self.people_empty)
        box.addWidget(self.people_table)
        box.addLayout(buttons)

        kit = QGroupBox("Kit")
        counts = {k: len(v) for k, v in (("terms", context.kit.terms()),
                                          ("exercises", context.kit.exercises()),
                                          ("rubrics", context.kit.rubrics()))}
        self.kit_summary = QLabel(f"{counts['terms']} vocabulary terms, {counts['rubrics']} rubrics, "
                                  f"{counts['exercises']} exercises. Edit the kit as YAML and import it "
                                  "with `rolecall import-kit FILE.yaml`.")
        self.kit_summary.setWordWrap(True)
        QVBoxLayout(kit).addWidget(self.kit_summary)

        content = QWidget()
        # Other features add their own group boxes to this layout (sync hub, transcription model ...).
        self.sections_layout = QVBoxLayout(content)
        self.sections_layout.addWidget(title)
        self.sections_layout.addWidget(station)
        self.sections_layout.addWidget(people)
        self.sections_layout.addWidget(kit)
        self.sync_settings = SyncSettingsGroup(context.store)
        self.sync_settings.changed.connect(lambda: context.notify(Changes.of("sync_settings"), origin=self))
        self.sections_layout.addWidget(self.sync_settings)
        self.sections_layout.addWidget(LrsSettingsGroup(context.store, context.services.lrs_sender))  # #25
        self.sections_layout.addWidget(TranscriptionSettingsBox(context.store, context.services.transcription_queue))
        self.sections_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        context.people_changed.connect(self.reload_people)
        context.on_change({"station"}, lambda _c: self.station_name.setText(context.store.station_name), self)
        self.reload_people()

    def add_section(self, widget: QWidget) -> None:
        """Insert a settings group above the trailing stretch."""
        self.sections_layout.insertWidget(self.sections_layout.count() - 1, widget)

    def reload_people(self) -> None:
        people = self.context.people.list()
        self.people_table.setRowCount(len(people))
        for row, person in enumerate(people):
            for col, value in enumerate((person.name, person.role, person.team or "")):
                self.people_table.setItem(row, col, QTableWidgetItem(value))
        self.people_empty.setVisible(not people)
        self.people_table.setVisible(bool(people))

    def _add_person(self) -> None:
        dialog = AddPersonDialog(self.context.people, self.context.people.teams(), self)
        if dialog.exec() and dialog.person is not None:
            self.context.people_changed.emit()
            self.context.say(f"Added {dialog.person.label}.")

    def _save_station_name(self) -> None:
        name = " ".join(self.station_name.text().split())
        if name and name != self.context.store.station_name:
            name = rename(self.context.store, name)
            self.context.notify(Changes.of("station"), origin=self)
            self.context.say(f"Station renamed to “{name}”.")
