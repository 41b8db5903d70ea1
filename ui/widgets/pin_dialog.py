"""PIN dialogs: confirm a sign-off with the certifier's PIN, and set or change a PIN.

The dialogs never see a stored hash. ``PinDialog`` hands the typed PIN to ``attempt(pin)``, which does
the real work (check and record the decision) and returns ``None`` on success or the message to show;
the dialog stays open after a wrong PIN, and while the PIN is locked it says for how long.
On a station where no certifier has a PIN yet, a first PIN is confirmed with the team sync key
(``team_key_row``; store/pin_auth.py), not by nobody.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QVBoxLayout, QWidget)

from store.pin_auth import MAX_TEAM_KEY_CHARS, NO_TEAM_KEY, WHAT_THE_KEY_IS
from store.pins import MIN_PIN_LENGTH, WHERE_PINS_LIVE

ASK_THE_ORGANISER = "Ask the organiser, or paste it from the key file they handed out."


def _pin_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setObjectName(name)
    edit.setAccessibleName(name)
    edit.setMaxLength(64)
    return edit


def team_key_row() -> tuple[QLineEdit, QWidget]:
    """A hidden field for the team sync key (paste works) with a Show box; (field, row widget)."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setObjectName("teamKey")
    edit.setAccessibleName("Team key")
    edit.setMaxLength(MAX_TEAM_KEY_CHARS)
    edit.setPlaceholderText("Paste or type the team sync key")
    show = QCheckBox("Show")
    show.setAccessibleName("Show the team key")
    show.toggled.connect(lambda on: edit.setEchoMode(QLineEdit.EchoMode.Normal if on
                                                     else QLineEdit.EchoMode.Password))
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(edit, 1)
    lay.addWidget(show)
    return edit, row


class PinDialog(QDialog):
    def __init__(self, title: str, summary: str, attempt: Callable[[str], str | None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("pinDialog")
        self.attempt = attempt
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.pin = _pin_edit("PIN")
        self.pin.setPlaceholderText("Your PIN")
        self.error = QLabel()
        self.error.setObjectName("pinError")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Confirm")
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        form = QFormLayout()
        form.addRow("PIN", self.pin)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(380)

    def _confirm(self) -> None:
        message = self.attempt(self.pin.text())
        self.pin.clear()
        if message is None:
            self.accept()
            return
        self.error.setText(message)
        self.pin.setFocus()


class SetPinDialog(QDialog):
    """New PIN twice, confirmed as ``confirm`` says: 'self' (the current PIN, or another certifier's
    PIN from ``confirmers`` as the reset for a forgotten or locked PIN), 'certifier' (another
    certifier's PIN) or None (the station's first certifier PIN, confirmed with the team sync key,
    which ``save`` then gets in place of a PIN; ``key_set`` False: the station has no key, so no
    first PIN can be set until it has). ``confirmers``: (id, name) of the other certifiers with a PIN
    on this station."""

    def __init__(self, name: str, confirm: str | None, save: Callable[[str | None, str, str], str | None],
                 confirmers: list[tuple[str, str]] = (), parent: QWidget | None = None,
                 person_id: str | None = None, key_set: bool = True):
        super().__init__(parent)
        self.setWindowTitle(f"PIN for {name}")
        self.setObjectName("setPinDialog")
        self.save = save
        self.confirm = confirm
        self.confirmer = QComboBox()
        self.confirmer.setAccessibleName("Confirmed by")
        if confirm == "self":
            self.confirmer.addItem(f"{name} (current PIN)", person_id)
        for pid, pname in confirmers:
            self.confirmer.addItem(pname, pid)
        self.current = _pin_edit("Current PIN")
        self.new = _pin_edit("New PIN")
        self.again = _pin_edit("New PIN again")
        self.team_key, key_row = team_key_row()
        key_row.setParent(self)                 # kept (hidden) when the form has no row for it
        key_row.hide()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout()
        if confirm == "self" and confirmers:
            form.addRow("Confirmed by", self.confirmer)
            form.addRow("PIN", self.current)
        elif confirm == "self":
            form.addRow("Current PIN", self.current)
        elif confirm == "certifier":
            form.addRow("Confirmed by", self.confirmer)
            form.addRow("Their PIN", self.current)
        elif key_set:
            form.addRow("Team key", key_row)
            key_row.show()
        form.addRow("New PIN", self.new)
        form.addRow("Again", self.again)
        notes = [f"At least {MIN_PIN_LENGTH} characters. Only a slow, salted hash is kept.", WHERE_PINS_LIVE]
        if confirm == "self" and confirmers:
            notes.append("Forgotten or locked? Another certifier confirms with their PIN.")
        elif confirm == "certifier":
            notes.append("A first PIN is confirmed by a certifier who already has one here.")
        elif confirm is None:
            notes.append(f"{WHAT_THE_KEY_IS} {ASK_THE_ORGANISER}")
        self.hint = QLabel("\n".join(notes))
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        if confirm is None and not key_set:
            self.error.setText(NO_TEAM_KEY)
            self.save_button.setEnabled(False)
            for edit in (self.new, self.again):
                edit.setEnabled(False)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.hint)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.setMinimumWidth(420)

    def _save(self) -> None:
        if self.new.text() != self.again.text():
            self.error.setText("The two new PINs differ.")
            return
        by = self.confirmer.currentData() if self.confirm in ("self", "certifier") else None
        secret = self.current.text() if self.confirm is not None else self.team_key.text()
        message = self.save(by, secret, self.new.text())
        self.current.clear()
        self.team_key.clear()
        if message is None:
            self.accept()
        else:
            self.error.setText(message)
