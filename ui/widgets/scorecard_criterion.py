"""One rubric criterion on the scorecard: the 1-5 scale with what 1/3/5 look like, evidence, a comment."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QToolButton,
                               QVBoxLayout, QWidget)

from ui.widgets.player import clock

CHECKED = "QPushButton:checked { background: #2f5fb3; color: white; font-weight: 600; border-color: #2f5fb3; }"
FOCUSED_STYLE = ("QFrame#criterionRow { border: 2px solid #3b7dd8; border-radius: 6px; background: #f3f8ff; } "
                 + CHECKED)
PLAIN_STYLE = "QFrame#criterionRow { border: 1px solid #d5dbe1; border-radius: 6px; } " + CHECKED


class CriterionRow(QFrame):
    changed = Signal()
    activated = Signal(object)          # this row, when the reviewer works in it
    seek_requested = Signal(float)

    def __init__(self, number: int, criterion: dict, now: Callable[[], float], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("criterionRow")
        self.criterion = criterion
        self.now = now
        self.evidence_s: float | None = None
        title = criterion["title"]
        extra = [f"weight {criterion['weight']:g}"]
        if criterion.get("required"):
            extra.append(f"required{' ≥ ' + str(criterion['min_score']) if criterion.get('min_score') else ''}")
        self.title = QLabel(f"<b>{number}. {title}</b> <span style='color:#667'>· {' · '.join(extra)}</span>")
        self.title.setWordWrap(True)
        anchors = criterion.get("anchors") or {}
        self.anchors = QLabel("<br>".join(f"<b>{k}</b> {anchors[k]}" for k in sorted(anchors)))
        self.anchors.setWordWrap(True)
        self.anchors.setObjectName("criterionAnchors")
        self.anchors.setStyleSheet("color:#4a5560; font-size: 11px;")

        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        scale = QHBoxLayout()
        scale.setSpacing(4)
        self.buttons: list[QPushButton] = []
        for value in range(1, 6):
            b = QPushButton(str(value))
            b.setCheckable(True)
            b.setFixedWidth(32)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            hint = anchors.get(value)
            b.setToolTip(f"{value}: {hint}" if hint else f"Score {value} (key {value})")
            b.setAccessibleName(f"{title}: score {value}")
            self.group.addButton(b, value)
            self.buttons.append(b)
            scale.addWidget(b)
        self.group.idClicked.connect(self._on_score)
        scale.addStretch(1)
        self.cite_button = QPushButton("Cite now")
        self.cite_button.setToolTip("Cite the player's current moment as evidence for this score (E)")
        self.cite_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cite_button.clicked.connect(self.cite)
        self.evidence_button = QToolButton()
        self.evidence_button.setObjectName("evidenceLink")
        self.evidence_button.setToolTip("Play from the cited moment")
        self.evidence_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.evidence_button.clicked.connect(lambda: self.evidence_s is not None and
                                             self.seek_requested.emit(self.evidence_s))
        self.clear_evidence = QToolButton()
        self.clear_evidence.setText("×")
        self.clear_evidence.setToolTip("Remove the evidence")
        self.clear_evidence.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_evidence.clicked.connect(lambda: self.set_evidence(None))
        evidence = QHBoxLayout()
        evidence.setSpacing(4)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("Why? (optional)")
        self.comment.setAccessibleName(f"{title}: why this score")
        self.comment.textEdited.connect(lambda _t: self.changed.emit())

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(4)
        lay.addWidget(self.title)
        lay.addWidget(self.anchors)
        lay.addLayout(scale)
        evidence.addWidget(self.cite_button)
        evidence.addWidget(self.evidence_button)
        evidence.addWidget(self.clear_evidence)
        evidence.addWidget(self.comment, 1)
        lay.addLayout(evidence)
        self.set_focused(False)
        self.set_evidence(None)

    # -- values ---------------------------------------------------------------------------------------
    @property
    def score(self) -> int | None:
        value = self.group.checkedId()
        return value if value > 0 else None

    def set_score(self, value: int | None) -> None:
        if value is None:
            self.group.setExclusive(False)
            for b in self.buttons:
                b.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[value - 1].setChecked(True)
        self.changed.emit()

    def _on_score(self, value: int) -> None:
        self.activated.emit(self)
        self.changed.emit()

    def cite(self) -> None:
        self.activated.emit(self)
        self.set_evidence(self.now())

    def set_evidence(self, seconds: float | None) -> None:
        self.evidence_s = None if seconds is None else round(float(seconds), 1)
        has = self.evidence_s is not None
        self.evidence_button.setText(f"▶ {clock(self.evidence_s)}" if has else "no evidence")
        self.evidence_button.setEnabled(has)
        self.clear_evidence.setVisible(has)
        self.changed.emit()

    def set_focused(self, focused: bool) -> None:
        self.setStyleSheet(FOCUSED_STYLE if focused else PLAIN_STYLE)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.activated.emit(self)
        super().mousePressEvent(event)
