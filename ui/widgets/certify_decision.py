"""The decision form: who decides, certified / needs rework, a reason per criterion."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QRadioButton, QScrollArea, QVBoxLayout, QWidget)


class DecisionPanel(QWidget):
    sign_off_requested = Signal()
    set_pin_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.certifier = QComboBox()
        self.certifier.setObjectName("certifierCombo")
        self.certifier.setAccessibleName("Certifier")
        self.certifier.currentIndexChanged.connect(lambda _i: self._refresh_state())
        self.set_pin = QPushButton("Set PIN…")
        self.set_pin.setObjectName("setPinButton")
        self.set_pin.clicked.connect(self.set_pin_requested)
        self.certified = QRadioButton("Certified")
        self.certified.setObjectName("decisionCertified")
        self.rework = QRadioButton("Needs rework")
        self.rework.setObjectName("decisionRework")
        self.group = QButtonGroup(self)
        self.group.addButton(self.certified)
        self.group.addButton(self.rework)
        self.group.buttonToggled.connect(lambda *_: self._refresh_state())
        self.reasons_box = QGroupBox("Reasons per criterion")
        self.reasons_form = QFormLayout(self.reasons_box)
        self.reasons: dict[str, QLineEdit] = {}
        self.state = QLabel()
        self.state.setObjectName("decisionState")
        self.state.setWordWrap(True)
        self.sign = QPushButton("Sign off…")
        self.sign.setObjectName("signOffButton")
        self.sign.setDefault(True)
        self.sign.clicked.connect(self.sign_off_requested)

        who = QHBoxLayout()
        who.addWidget(QLabel("Certifier"))
        who.addWidget(self.certifier, 1)
        who.addWidget(self.set_pin)
        choice = QHBoxLayout()
        choice.addWidget(self.certified)
        choice.addWidget(self.rework)
        choice.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.reasons_box)
        lay = QVBoxLayout(self)
        lay.addLayout(who)
        lay.addLayout(choice)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.state)
        lay.addWidget(self.sign)
        self.ready = False
        self.has_candidate = False
        self._pin_known: dict[str, bool] = {}
        self.suggested: dict[str, str] = {}
        self.certified_until: str | None = None

    # -- content ---------------------------------------------------------------------------------
    def set_certifiers(self, people: list, current_id: str | None, has_pin: dict[str, bool]) -> None:
        self._pin_known = dict(has_pin)
        self.certifier.blockSignals(True)
        self.certifier.clear()
        for p in people:
            self.certifier.addItem(p.name + ("" if has_pin.get(p.id) else " (no PIN yet)"), p.id)
        index = max(0, self.certifier.findData(current_id)) if current_id else 0
        self.certifier.setCurrentIndex(index)
        self.certifier.blockSignals(False)
        self._refresh_state()

    def set_candidate(self, criteria: list[tuple[str, str]], suggested: dict[str, str], ready: bool,
                      has_candidate: bool = True, certified_until: str | None = None) -> None:
        """criteria: (id, title); suggested: id -> reason text; certified_until: a certificate in force."""
        self.certified_until = certified_until
        while self.reasons_form.rowCount():
            self.reasons_form.removeRow(0)
        self.reasons = {}
        self.suggested = dict(suggested)
        for cid, title in criteria:
            edit = QLineEdit()
            edit.setPlaceholderText(suggested.get(cid, ""))
            edit.setAccessibleName(f"Reason: {title}")
            edit.setObjectName(f"reason:{cid}")
            self.reasons[cid] = edit
            self.reasons_form.addRow(title, edit)
        self.ready = ready
        self.has_candidate = has_candidate
        (self.certified if ready else self.rework).setChecked(True)
        self.certified.setEnabled(ready)
        self.certified.setToolTip("" if ready else "Already certified." if certified_until and not ready
                                  else "Not every requirement is met yet.")
        self._refresh_state()

    # -- reading ---------------------------------------------------------------------------------
    def certifier_id(self) -> str | None:
        return self.certifier.currentData()

    def decision(self) -> str:
        return "certified" if self.certified.isChecked() else "needs_rework"

    def reason_texts(self) -> dict[str, str]:
        """What the certifier typed; for a certificate, the peer-score summary where they typed nothing.
        Sending a rep back needs at least one reason in the certifier's own words."""
        out = {}
        for cid, edit in self.reasons.items():
            text = edit.text().strip() or (self.suggested.get(cid, "") if self.decision() == "certified" else "")
            if text:
                out[cid] = text
        return out

    def _refresh_state(self) -> None:
        cid = self.certifier_id()
        if not self.certifier.count():
            self.state.setText("No one at this station has the certifier role. Add one in Settings.")
        elif cid and not self._pin_known.get(cid):
            self.state.setText("This certifier has no PIN yet: set one first.")
        elif not self.has_candidate:
            self.state.setText("Choose a candidate on the left.")
        elif self.certified_until and not self.ready:
            self.state.setText(f"Certified until {self.certified_until}. Recording “needs rework” withdraws the "
                               "certificate (the history keeps both decisions).")
        else:
            self.state.setText("Certify: every requirement is met. Reasons left empty record the peer scores."
                               if self.decision() == "certified" else
                               "Needs rework: say in your own words what to work on (at least one criterion).")
        self.sign.setEnabled(bool(cid) and self.has_candidate and self._pin_known.get(cid, False))
