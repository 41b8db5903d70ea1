"""A read-only table model over an analytics Table, with per-column formats and numeric sorting."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from scoring.analytics import Table


def fmt_value(value, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "pct":
        return f"{value * 100:.0f}%"
    if kind == "score":
        return f"{value:.2f}"
    if kind == "signed":
        return f"{value:+.2f}"
    if kind == "days":
        return f"{value:.1f} d"
    return str(value)


class TableModel(QAbstractTableModel):
    """``columns`` = [(key, header, kind)]; kind is '', 'pct', 'score', 'signed' or 'days'."""

    def __init__(self, columns: list[tuple[str, str, str]], parent=None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list[dict] = []
        self.highlight = lambda row: False      # rows shown in bold (the viewer's own)

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self.rows = list(table.rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][1]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key, _header, kind = self.columns[index.column()]
        value = self.rows[index.row()].get(key)
        if role == Qt.ItemDataRole.DisplayRole:
            return fmt_value(value, kind)
        if role == Qt.ItemDataRole.UserRole:           # what sorting compares
            return (value is None, value if value is not None else 0)
        if role == Qt.ItemDataRole.FontRole and self.highlight(self.rows[index.row()]):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _Sort(QSortFilterProxyModel):
    def lessThan(self, left, right) -> bool:  # noqa: N802
        a, b = left.data(Qt.ItemDataRole.UserRole), right.data(Qt.ItemDataRole.UserRole)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


def make_table_view(model: TableModel) -> QTableView:
    view = QTableView()
    proxy = _Sort(view)
    proxy.setSourceModel(model)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(30)      # size columns from 30 rows, not all 400 reps
    if model.columnCount() > 1:
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)   # the name column takes the room
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    return view
