"""'Who is at this station': choose a person or add one."""
from __future__ import annotations

from collections import Counter

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from store.people import normal_name
from ui.context import AppContext
from ui.widgets.person_dialog import AddPersonDialog


class PersonPicker(QWidget):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.combo = QComboBox()
        self.combo.setMinimumWidth(240)
        self.combo.setToolTip("Who is at this station (Ctrl+P)")
        self.add_button = QPushButton("Add person…")
        self.add_button.setToolTip("Add a rep, coach or certifier")
        label = QLabel("At this station:")
        label.setBuddy(self.combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.add_button)
        self.add_button.clicked.connect(self.add_person)
        self.combo.activated.connect(self._picked)
        context.people_changed.connect(self.reload)
        context.person_changed.connect(lambda _p: self._select_current())
        self.reload()

    def reload(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("— choose who you are —", None)
        people = self.context.people.list()
        names = Counter(normal_name(p.name) for p in people)
        for person in people:
            # two rows with one name (people made before ids derived from names, at two stations): the
            # id's start tells them apart here; `rolecall people rename` can then set one apart for good
            twin = names[normal_name(person.name)] > 1
            self.combo.addItem(f"{person.label} · id {person.id[:8]}" if twin else person.label, person)
        self.combo.blockSignals(False)
        self._select_current()

    def _select_current(self) -> None:
        current = self.context.person
        index = 0
        for i in range(1, self.combo.count()):
            if current is not None and self.combo.itemData(i).id == current.id:
                index = i
        self.combo.setCurrentIndex(index)

    def _picked(self, index: int) -> None:
        self.context.set_person(self.combo.itemData(index))

    def add_person(self) -> None:
        dialog = AddPersonDialog(self.context.people, self.context.people.teams(), self)
        if dialog.exec() and dialog.person is not None:
            self.context.people_changed.emit()
            self.context.set_person(dialog.person)
            self.context.say(f"Added {dialog.person.label}. They are now at this station.")
