"""The term x team heat map: a table whose cells are coloured by a share (0..1)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

LOW, HIGH = QColor("#f4f6fb"), QColor("#1f4e9e")


def cell_colour(value: float | None) -> QColor:
    if value is None:
        return QColor("#ffffff")
    v = max(0.0, min(1.0, value))
    return QColor(int(LOW.red() + (HIGH.red() - LOW.red()) * v),
                  int(LOW.green() + (HIGH.green() - LOW.green()) * v),
                  int(LOW.blue() + (HIGH.blue() - LOW.blue()) * v))


class HeatmapModel(QAbstractTableModel):
    """Rows are teams, columns terms; ``cells[(term, team)]`` = share or None."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.terms: list[str] = []
        self.teams: list[str] = []
        self.cells: dict[tuple[str, str], float | None] = {}
        self.counts: dict[tuple[str, str], str] = {}
        self.top = 0.0          # colours are scaled to the highest cell, so small shares still differ

    def set_rows(self, rows: list[dict], metric: str, count_keys: tuple[str, str]) -> None:
        self.beginResetModel()
        self.terms = sorted({r["term"] for r in rows}, key=str.lower)
        self.teams = sorted({r["team"] for r in rows})
        self.cells = {(r["term"], r["team"]): r[metric] for r in rows}
        self.top = max([v for v in self.cells.values() if v is not None] + [0.0])
        self.counts = {(r["term"], r["team"]): f"{r[count_keys[0]]} of {r[count_keys[1]]} takes"
                       for r in rows}
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.teams)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.terms)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.terms[section] if orientation == Qt.Orientation.Horizontal else self.teams[section]

    def value(self, row: int, column: int) -> float | None:
        return self.cells.get((self.terms[column], self.teams[row]))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.value(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return "–" if value is None else f"{value * 100:.0f}%"
        scaled = None if value is None or self.top <= 0 else value / self.top
        if role == Qt.ItemDataRole.BackgroundRole:
            return cell_colour(scaled)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("white") if scaled is not None and scaled > 0.55 else QColor("#1f2a44")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            key = (self.terms[index.column()], self.teams[index.row()])
            return f"{key[0]} · {key[1]}: {self.counts.get(key, '')}"
        return None


def make_heatmap_view(model: HeatmapModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setResizeContentsPrecision(20)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
    view.setShowGrid(True)
    view.setStyleSheet("QTableView { gridline-color: white; }")
    return view
