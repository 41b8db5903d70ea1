"""Add a person: name, role, team."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout)

from store.people import ROLES, PeopleError, PeopleRepo, Person


class AddPersonDialog(QDialog):
    def __init__(self, people: PeopleRepo, teams: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Add a person")
        self.people = people
        self.person: Person | None = None
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Ana Lopez")
        self.role = QComboBox()
        self.role.addItems(ROLES)
        self.team = QComboBox()
        self.team.setEditable(True)
        self.team.addItems([""] + teams)
        self.team.lineEdit().setPlaceholderText("Team or cohort (optional)")
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Role", self.role)
        form.addRow("&Team", self.team)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        self.buttons.accepted.connect(self._add)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _add(self) -> None:
        try:
            self.person = self.people.add(self.name.text(), self.role.currentText(),
                                          self.team.currentText().strip() or None)
        except PeopleError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.name.setFocus()
            return
        self.accept()
