"""Agreement between scorers per exercise and criterion (Krippendorff's alpha, ordinal) and each scorer's
bias against the consensus: who scores harshly, who leniently. Computed in scoring/agreement.py."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from store.review_queries import ReviewQueries
from ui.widgets.review_worker import run_in_pool

ALPHA_COLORS = {"good": "#e8f5e9", "tentative": "#fff8e1", "low": "#ffebee"}
EXPLAIN = ("Krippendorff's alpha (ordinal): 1 = peers agree perfectly, 0 = no better than chance. "
           "≥ 0.80 good, 0.67–0.80 tentative, below that the criterion or its anchors need calibrating. "
           "Bias = a scorer's mean difference from the other peers on the same takes (− harsh, + lenient).")


def _item(text: str, numeric: bool = False, sort_value=None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if sort_value is not None:
        item.setData(Qt.ItemDataRole.UserRole, sort_value)
    return item


class NumericItem(QTableWidgetItem):
    def __lt__(self, other):  # sort by the number, not the text
        a, b = self.data(Qt.ItemDataRole.UserRole), other.data(Qt.ItemDataRole.UserRole)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a < b
        return super().__lt__(other)


def _num_item(value, fmt: str) -> QTableWidgetItem:
    item = NumericItem("–" if value is None else format(value, fmt))
    item.setData(Qt.ItemDataRole.UserRole, -1e9 if value is None else value)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class AgreementPanel(QWidget):
    def __init__(self, context, queries: ReviewQueries, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.queries = queries
        self.exercise = QComboBox()
        self.exercise.setAccessibleName("Exercise")
        self.refresh_button = QPushButton("Recompute")
        self.refresh_button.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Exercise"))
        bar.addWidget(self.exercise, 1)
        bar.addWidget(self.refresh_button)
        explain = QLabel(EXPLAIN)
        explain.setWordWrap(True)
        explain.setStyleSheet("color:#4a5560;")
        self.alpha = QTableWidget(0, 5)
        self.alpha.setObjectName("agreementTable")
        self.alpha.setHorizontalHeaderLabels(["Exercise", "Criterion", "Alpha", "Reading", "Takes"])
        self.bias = QTableWidget(0, 5)
        self.bias.setObjectName("biasTable")
        self.bias.setHorizontalHeaderLabels(["Scorer", "Bias", "Mean |diff|", "Scores", "Reading"])
        for table in (self.alpha, self.bias):
            table.verticalHeader().setVisible(False)
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
            table.setSortingEnabled(True)
        split = QSplitter(Qt.Orientation.Horizontal)
        for title, table in (("Agreement per criterion", self.alpha), ("Scorer bias (harshest first)", self.bias)):
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            v.addWidget(QLabel(f"<b>{title}</b>"))
            v.addWidget(table)
            split.addWidget(box)
        split.setSizes([560, 440])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(explain)
        lay.addWidget(split, 1)
        self.load_choices()
        self.exercise.currentIndexChanged.connect(self.refresh)
        self._loaded = False
        self.loading = False

    def load_choices(self) -> None:
        self.exercise.blockSignals(True)
        keep = self.exercise.currentData()
        self.exercise.clear()
        self.exercise.addItem("All exercises", None)
        for e in self.context.kit.exercises():
            self.exercise.addItem(e["title"], e["id"])
        self.exercise.setCurrentIndex(max(0, self.exercise.findData(keep)))
        self.exercise.blockSignals(False)

    def refresh(self, *_args) -> None:
        """Recompute off the main thread (about a second over 60,000 scorecards)."""
        ex = self.exercise.currentData()
        self.loading = True
        self.refresh_button.setEnabled(False)
        self.refresh_button.setText("Computing…")
        self._generation = getattr(self, "_generation", 0) + 1
        generation = self._generation
        self._job = run_in_pool(lambda: (self.queries.agreement(ex), self.queries.bias(ex)),
                                lambda result: self._show(result, generation))

    def _show(self, result, generation: int) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.refresh_button.setEnabled(True)
        self.refresh_button.setText("Recompute")
        self._loaded = True
        if isinstance(result, Exception):
            self.alpha.setRowCount(0)
            self.bias.setRowCount(0)
            self.refresh_button.setToolTip(f"Last attempt failed: {result}")
            return
        rows, bias = result
        self.alpha.setSortingEnabled(False)
        self.alpha.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [_item(r["exercise"]), _item(r["criterion"]), _num_item(r["alpha"], ".2f"), _item(r["label"]),
                     _num_item(r["takes"], "d")]
            for j, cell in enumerate(cells):
                cell.setBackground(QColor(ALPHA_COLORS.get(r["label"], "#ffffff")))
                self.alpha.setItem(i, j, cell)
        self.alpha.setSortingEnabled(True)
        self.alpha.sortItems(2, Qt.SortOrder.AscendingOrder)       # least agreement first
        self.bias.setSortingEnabled(False)
        self.bias.setRowCount(len(bias))
        for i, (b, name) in enumerate(bias):
            cells = [_item(name), _num_item(b.bias, "+.2f"), _num_item(b.mean_abs, ".2f"), _num_item(b.n, "d"),
                     _item(b.label)]
            for j, cell in enumerate(cells):
                self.bias.setItem(i, j, cell)
        self.bias.setSortingEnabled(True)
        self.bias.sortItems(1, Qt.SortOrder.AscendingOrder)        # harshest first

    def showEvent(self, event) -> None:  # noqa: N802 (computed when first looked at)
        super().showEvent(event)
        if not self._loaded and not self.loading:
            self.refresh()
