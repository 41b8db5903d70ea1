"""Add a person: name, role, team. A new certifier is confirmed by a certifier's PIN on this station
(store/pin_auth.py); while no certifier has one here, by the team sync key, which the dialog asks for
and explains (a rep at her own station does not have it)."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout)

from store.people import ROLES, PeopleError, PeopleRepo, Person
from store.pin_auth import NO_TEAM_KEY, WHAT_THE_KEY_IS, team_key_set
from store.pins import PinError, PinRepo
from ui.widgets.pin_dialog import ASK_THE_ORGANISER, team_key_row


class AddPersonDialog(QDialog):
    def __init__(self, people: PeopleRepo, teams: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Add a person")
        self.setMinimumWidth(400)
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
        self.confirmer = QComboBox()
        self.confirmer.setAccessibleName("Confirmed by")
        for pid, pname in PinRepo(people.store).certifiers_with_pin():
            self.confirmer.addItem(pname, pid)
        self.confirm_pin = QLineEdit()
        self.confirm_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_pin.setAccessibleName("Their PIN")
        self.confirm_pin.setMaxLength(64)
        self.team_key, self.team_key_row = team_key_row()
        self.key_set = team_key_set(people.store.data_dir)
        self.certifier_note = QLabel()
        self.certifier_note.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        self.form = QFormLayout()
        self.form.addRow("&Name", self.name)
        self.form.addRow("&Role", self.role)
        self.form.addRow("&Team", self.team)
        self.form.addRow("Confirmed by", self.confirmer)
        self.form.addRow("Their PIN", self.confirm_pin)
        self.form.addRow("Team key", self.team_key_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        self.buttons.accepted.connect(self._add)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.certifier_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.role.currentTextChanged.connect(self._role_changed)
        self._role_changed(self.role.currentText())

    def needs_confirmation(self) -> bool:
        return self.role.currentText() == "certifier" and self.confirmer.count() > 0

    def needs_team_key(self) -> bool:
        """Bootstrap: a certifier while no certifier has a PIN here is confirmed with the team key."""
        return self.role.currentText() == "certifier" and self.confirmer.count() == 0

    def _role_changed(self, role: str) -> None:
        confirm, bootstrap = self.needs_confirmation(), self.needs_team_key()
        for widget in (self.confirmer, self.confirm_pin):
            self.form.setRowVisible(widget, confirm)
        self.form.setRowVisible(self.team_key_row, bootstrap and self.key_set)
        add = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        add.setEnabled(not bootstrap or self.key_set)
        self.error.setVisible(bootstrap and not self.key_set)
        self.error.setText(NO_TEAM_KEY if bootstrap and not self.key_set else "")
        if role != "certifier":
            self.certifier_note.hide()
            return
        self.certifier_note.setText(
            "A certifier signs reps off. A certifier with a PIN on this station confirms a new one."
            if confirm else
            f"{WHAT_THE_KEY_IS} {ASK_THE_ORGANISER} The new certifier then sets a PIN "
            "(Certify page, Set PIN…), which later certifiers need.")
        self.certifier_note.show()
        self.adjustSize()                       # rows and the note come and go with the role

    def _add(self) -> None:
        confirm = self.needs_confirmation()
        if self.needs_team_key():
            try:
                PinRepo(self.people.store).check_team_key(self.team_key.text())
            except PinError as exc:
                self.team_key.clear()
                self.error.setText(str(exc))
                self.error.show()
                self.adjustSize()
                self.team_key.setFocus()
                return
        try:
            self.person = self.people.add(self.name.text(), self.role.currentText(),
                                          self.team.currentText().strip() or None,
                                          confirm_by=self.confirmer.currentData() if confirm else None,
                                          confirm_pin=self.confirm_pin.text() if confirm else "")
        except PeopleError as exc:
            self.confirm_pin.clear()
            self.error.setText(str(exc))
            self.error.show()
            (self.confirm_pin if confirm and "PIN" in str(exc) else self.name).setFocus()
            return
        self.accept()
