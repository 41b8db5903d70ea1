"""A rep's decisions on a program, newest first, with the reasons of the selected one."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

LABELS = {"certified": "Certified", "needs_rework": "Needs rework"}


class HistoryPanel(QWidget):
    pdf_requested = Signal(object)      # Decision

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("certifyHistory")
        self.table.setHorizontalHeaderLabels(["Decided", "Decision", "Certifier", "Valid until", "Evidence"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        self.detail = QLabel()
        self.detail.setObjectName("historyDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.pdf = QPushButton("Certificate PDF…")
        self.pdf.setObjectName("certificatePdfButton")
        self.pdf.setEnabled(False)
        self.pdf.clicked.connect(lambda: self.pdf_requested.emit(self.current()))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.pdf)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.detail)
        lay.addLayout(row)
        self.decisions: list = []
        self.criteria_names: dict[str, str] = {}

    def show_history(self, decisions: list, criteria_names: dict[str, str]) -> None:
        self.decisions = list(decisions)
        self.criteria_names = criteria_names
        self.table.setRowCount(0)
        for d in self.decisions:
            r = self.table.rowCount()
            self.table.insertRow(r)
            cells = [d.decided_at[:16].replace("T", " "), LABELS.get(d.decision, d.decision), d.certifier or "?",
                     d.valid_until or "—", f"{len(d.evidence)} take(s)"]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.decisions:
            self.table.selectRow(0)
        else:
            self.detail.setText("<span style='color:#5a6b7d'>No decision yet.</span>")
            self.pdf.setEnabled(False)

    def current(self):
        rows = self.table.selectionModel().selectedRows()
        return self.decisions[rows[0].row()] if rows else None

    def _selected(self) -> None:
        d = self.current()
        self.pdf.setEnabled(d is not None and d.decision == "certified")
        if d is None:
            self.detail.clear()
            return
        latest = " (in force)" if d is self.decisions[0] else " (superseded by a later decision)"
        reasons = "".join(f"<li><b>{html.escape(self.criteria_names.get(k, k))}</b>: {html.escape(v)}</li>"
                          for k, v in d.reasons.items())
        total = d.scores.get("total")
        self.detail.setText(
            f"<b>{LABELS.get(d.decision, d.decision)}</b>{latest} by {html.escape(d.certifier or '?')} on "
            f"{d.decided_at[:10]}; program v{d.program_version}, rubric v{d.rubric_version}; weighted total at "
            f"the time {'—' if total is None else f'{total:.2f}'} from {d.scores.get('scorecards', 0)} scorecard(s)."
            + (f"<ul>{reasons}</ul>" if reasons else ""))
