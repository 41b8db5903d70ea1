"""PIN dialogs: confirm a sign-off with the certifier's PIN, and set or change a PIN.

The dialogs never see a stored hash. ``PinDialog`` hands the typed PIN to ``attempt(pin)``, which does
the real work (check and record the decision) and returns ``None`` on success or the message to show;
the dialog stays open after a wrong PIN, and while the PIN is locked it says for how long.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from store.pins import MIN_PIN_LENGTH, WHERE_PINS_LIVE


def _pin_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setObjectName(name)
    edit.setAccessibleName(name)
    edit.setMaxLength(64)
    return edit


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
    certifier's PIN) or None (the station's first certifier PIN, which needs no confirmation).
    ``confirmers``: (id, name) of the other certifiers with a PIN on this station."""

    def __init__(self, name: str, confirm: str | None, save: Callable[[str | None, str, str], str | None],
                 confirmers: list[tuple[str, str]] = (), parent: QWidget | None = None,
                 person_id: str | None = None):
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
        form.addRow("New PIN", self.new)
        form.addRow("Again", self.again)
        notes = [f"At least {MIN_PIN_LENGTH} characters. Only a slow, salted hash is kept.", WHERE_PINS_LIVE]
        if confirm == "self" and confirmers:
            notes.append("Forgotten or locked? Another certifier confirms with their PIN.")
        elif confirm == "certifier":
            notes.append("A first PIN is confirmed by a certifier who already has one here.")
        elif confirm is None:
            notes.append("No certifier has a PIN on this station yet, so this first one needs no confirmation.")
        self.hint = QLabel("\n".join(notes))
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
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
        message = self.save(by, self.current.text(), self.new.text())
        self.current.clear()
        if message is None:
            self.accept()
        else:
            self.error.setText(message)
