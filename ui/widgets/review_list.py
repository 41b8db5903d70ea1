"""The takes a reviewer may score, with filters: exercise, team, rep, status, "not yet scored by me"."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QHeaderView, QLabel,
                               QTableView, QVBoxLayout, QWidget)

from store.review_queries import ReviewFilter, ReviewQueries, ReviewRow
from ui.widgets.player import clock

STATUS_LABELS = (("any", "Any status"), ("unscored", "No scores yet"), ("needs", "Needs more scores"),
                 ("scored", "Enough scores"))


class ReviewListModel(QAbstractTableModel):
    HEADERS = ("Rep", "Team", "Exercise", "Submitted", "Length", "Scorers", "You")

    KEYS = (lambda r: r.rep.lower(), lambda r: (r.team or "").lower(), lambda r: r.exercise.lower(),
            lambda r: r.submitted_at or "", lambda r: r.duration_s or 0.0, lambda r: r.scorers,
            lambda r: r.scored_by_me)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[ReviewRow] = []
        self.sort_column: int | None = None
        self.sort_order = Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: list[ReviewRow]) -> None:
        self.beginResetModel()
        self.rows = self._sorted(rows)
        self.endResetModel()

    def _sorted(self, rows: list[ReviewRow]) -> list[ReviewRow]:
        if self.sort_column is None:
            return rows                       # the store's order: newest first
        return sorted(rows, key=self.KEYS[self.sort_column],
                      reverse=self.sort_order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self.rows = self._sorted(self.rows)
        self.layoutChanged.emit()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return row.rep
            if col == 1:
                return row.team or ""
            if col == 2:
                return row.exercise
            if col == 3:
                return (row.submitted_at or "")[5:16].replace("T", " ")
            if col == 4:
                return clock(row.duration_s)
            if col == 5:
                return str(row.scorers)
            if col == 6:
                return "scored" if row.scored_by_me else ""
        if role == Qt.ItemDataRole.UserRole:
            return row.recording_id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReviewList(QWidget):
    take_selected = Signal(str)

    def __init__(self, context, queries: ReviewQueries, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.queries = queries
        self.exercise = QComboBox()
        self.team = QComboBox()
        self.rep = QComboBox()
        self.status = QComboBox()
        for key, label in STATUS_LABELS:
            self.status.addItem(label, key)
        self.status.setToolTip("Needs more scores: fewer than 3 peers have scored it; enough: 3 or more")
        self.not_mine = QCheckBox("Not yet scored by me")
        self.not_mine.setChecked(True)
        self.count = QLabel()
        self.count.setWordWrap(True)
        self.count.setStyleSheet("color:#667")
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (label, combo) in enumerate((("Exercise", self.exercise), ("Team", self.team), ("Rep", self.rep),
                                            ("Status", self.status))):
            combo.setAccessibleName(label)
            combo.setMinimumContentsLength(8)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            grid.addWidget(QLabel(label), i, 0)
            grid.addWidget(combo, i, 1)
        grid.addWidget(self.not_mine, 4, 0, 1, 2)
        self.model = ReviewListModel(self)
        self.table = QTableView()
        self.table.setObjectName("reviewTable")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(3, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((110, 60, 150, 80, 44, 50, 44)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.activated.connect(lambda idx: self.take_selected.emit(self.model.rows[idx.row()].recording_id))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(grid)
        lay.addWidget(self.count)
        lay.addWidget(self.table, 1)
        self.load_choices()
        for combo in (self.exercise, self.team, self.rep, self.status):
            combo.currentIndexChanged.connect(self.refresh)
        self.not_mine.toggled.connect(self.refresh)

    def load_choices(self) -> None:
        for combo in (self.exercise, self.team, self.rep):
            combo.blockSignals(True)
            keep = combo.currentData()
            combo.clear()
            combo.addItem("All", None)
            if combo is self.exercise:
                for ex in self.context.kit.exercises():
                    combo.addItem(ex["title"], ex["id"])
            elif combo is self.team:
                for team in self.context.people.teams():
                    combo.addItem(team, team)
            else:
                for p in self.context.people.list():
                    if p.role == "rep":
                        combo.addItem(p.name, p.id)
            index = combo.findData(keep)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    def current_filter(self) -> ReviewFilter:
        person = self.context.person
        return ReviewFilter(viewer_id=person.id if person else None, exercise_id=self.exercise.currentData(),
                            rep_id=self.rep.currentData(), team=self.team.currentData(),
                            status=self.status.currentData() or "any",
                            not_scored_by_me=self.not_mine.isChecked() and person is not None)

    def refresh(self, *_args) -> None:
        current = self.selected_id()
        rows = self.queries.review_list(self.current_filter())
        self.model.set_rows(rows)
        who = self.context.person
        text = f"{len(rows):,} take{'s' if len(rows) != 1 else ''}"
        if not rows:
            text = ("Nothing to review with these filters." if self._filtered() else
                    "No takes to review yet: they appear here when peers submit them.")
        self.count.setText(text + ("" if who else " Choose who you are (Ctrl+P) to score."))
        if current:
            for i, r in enumerate(rows):
                if r.recording_id == current:
                    selection = self.table.selectionModel()
                    selection.blockSignals(True)        # re-selecting must not reopen the take
                    self.table.selectRow(i)
                    selection.blockSignals(False)
                    break

    def _filtered(self) -> bool:
        return any(c.currentIndex() > 0 for c in (self.exercise, self.team, self.rep, self.status)) or \
            (self.not_mine.isChecked() and self.context.person is not None)

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()].recording_id if index.isValid() and index.row() < len(self.model.rows) \
            else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.model.rows):
            self.take_selected.emit(self.model.rows[current.row()].recording_id)
