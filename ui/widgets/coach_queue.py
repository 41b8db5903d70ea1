"""The coach's queue: every submitted take with its peer scores aggregated, sortable, flags shown.

All rows are loaded once (store.review_queries.coach_queue) and kept in memory; filtering and sorting
happen here, so a click on a column header or a filter change does not touch the database.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QTableView, QVBoxLayout, QWidget)

from store.review_queries import QueueRow, ReviewQueries

FLAG_BG = QColor("#fff4e5")
SHORT_FLAGS = {"too few scorers": "few scorers", "high disagreement": "disagree", "below required": "below min"}


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


class CoachQueueModel(QAbstractTableModel):
    HEADERS = ("Rep", "Team", "Exercise", "Submitted", "Scorers", "Total", "Spread", "Flags", "Notes", "Exemplar")
    NUMERIC = {4, 5, 6, 8}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.all_rows: list[QueueRow] = []
        self.rows: list[QueueRow] = []
        self.sort_column, self.sort_order = 3, Qt.SortOrder.DescendingOrder
        self.filters: dict = {"exercise_id": None, "team": None, "flagged": False}
        self.criteria: list[dict] = []     # one column per criterion while a single exercise is shown

    def set_criteria(self, criteria: list[dict]) -> None:
        """Per-criterion columns (mean ± spread, sortable by mean) for the exercise being shown."""
        self.beginResetModel()
        self.criteria = list(criteria)
        if self.sort_column >= self.columnCount():
            self.sort_column, self.sort_order = 3, Qt.SortOrder.DescendingOrder
        self.rows = self._sorted(self.rows, self.sort_column, self.sort_order)
        self.endResetModel()

    def set_rows(self, rows: list[QueueRow]) -> None:
        self.all_rows = rows
        self.apply()

    def set_filter(self, **filters) -> None:
        self.filters.update(filters)
        self.apply()

    def apply(self) -> None:
        ex, team, flagged = self.filters["exercise_id"], self.filters["team"], self.filters["flagged"]
        rows = [r for r in self.all_rows if (ex is None or r.exercise_id == ex) and (team is None or r.team == team)
                and (not flagged or r.aggregate.too_few or r.aggregate.disagree)]
        self.beginResetModel()
        self.rows = self._sorted(rows, self.sort_column, self.sort_order)
        self.endResetModel()

    def _key(self, column: int):
        missing_low = -1e9
        if column >= len(self.HEADERS):
            cid = self.criteria[column - len(self.HEADERS)]["id"]

            def by_mean(r):
                a = r.aggregate.criteria.get(cid)
                return a.mean if a is not None and a.mean is not None else missing_low
            return by_mean
        return {
            0: lambda r: r.rep.lower(),
            1: lambda r: (r.team or "").lower(),
            2: lambda r: r.exercise.lower(),
            3: lambda r: r.submitted_at or "",
            4: lambda r: r.aggregate.scorers,
            5: lambda r: r.aggregate.total if r.aggregate.total is not None else missing_low,
            6: lambda r: r.aggregate.spread if r.aggregate.spread is not None else missing_low,
            7: lambda r: (r.aggregate.disagree, r.aggregate.too_few),
            8: lambda r: r.notes,
            9: lambda r: r.exemplar,
        }[column]

    def _sorted(self, rows, column, order):
        return sorted(rows, key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self.rows = self._sorted(self.rows, column, order)
        self.layoutChanged.emit()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return len(self.HEADERS) + len(self.criteria)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        extra = section - len(self.HEADERS)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if extra < 0 else self.criteria[extra]["slug"]
        if role == Qt.ItemDataRole.ToolTipRole and extra >= 0:
            c = self.criteria[extra]
            return f"{c['title']} (weight {c['weight']:g}): mean ± spread of the peers' scores"
        return None

    def _criterion_cell(self, row: QueueRow, extra: int, role):
        c = self.criteria[extra]
        a = row.aggregate.criteria.get(c["id"])
        if role == Qt.ItemDataRole.DisplayRole:
            return "–" if a is None or a.mean is None else f"{a.mean:.1f} ±{a.spread:.1f}"
        if role == Qt.ItemDataRole.ToolTipRole and a is not None and a.n:
            return f"{c['title']}: mean {a.mean:.2f}, spread {a.spread:.2f}, range {a.low}–{a.high}, {a.n} scores"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        col, agg = index.column(), row.aggregate
        if col >= len(self.HEADERS) and role != Qt.ItemDataRole.BackgroundRole:
            return self._criterion_cell(row, col - len(self.HEADERS), role)
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.rep, row.team or "", row.exercise, (row.submitted_at or "")[5:16].replace("T", " "),
                    str(agg.scorers), _num(agg.total), _num(agg.spread), " · ".join(SHORT_FLAGS[f] for f in agg.flags),
                    str(row.notes or ""), "★" if row.exemplar else "")[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 7 and agg.flags:
            return ", ".join(agg.flags)
        if role == Qt.ItemDataRole.UserRole:
            return row.recording_id
        if role == Qt.ItemDataRole.BackgroundRole and (agg.too_few or agg.disagree):
            return QBrush(FLAG_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _LoadSignals(QObject):
    done = Signal(object, int)            # rows, generation


class _LoadQueue(QRunnable):
    """Reads and aggregates the whole queue off the main thread (about a second at 10,000 takes)."""

    def __init__(self, queries: ReviewQueries, generation: int):
        super().__init__()
        self.queries, self.generation = queries, generation
        self.signals = _LoadSignals()

    def run(self) -> None:
        try:
            rows = self.queries.coach_queue()
        except Exception as exc:  # noqa: BLE001  (reported in the queue's count label)
            rows = exc
        self.signals.done.emit(rows, self.generation)


class CoachQueue(QWidget):
    take_selected = Signal(object)        # QueueRow
    loaded = Signal()

    def __init__(self, context, queries: ReviewQueries, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.queries = queries
        self.exercise = QComboBox()
        self.exercise.setAccessibleName("Exercise")
        self.team = QComboBox()
        self.team.setAccessibleName("Team")
        self.flagged = QCheckBox("Flagged only")
        self.flagged.setToolTip("Too few scorers, or peers disagree (a criterion's spread ≥ 1)")
        self.count = QLabel()
        self.count.setStyleSheet("color:#667")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Exercise"))
        bar.addWidget(self.exercise, 1)
        bar.addWidget(QLabel("Team"))
        bar.addWidget(self.team)
        bar.addWidget(self.flagged)
        self.loading = False
        self.model = CoachQueueModel(self)
        self.table = QTableView()
        self.table.setObjectName("coachQueue")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(3, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((120, 70, 160, 96, 70, 58, 70, 140, 58, 80)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.count)
        lay.addWidget(self.table, 1)
        self.load_choices()
        self.exercise.currentIndexChanged.connect(self._filter)
        self.team.currentIndexChanged.connect(self._filter)
        self.flagged.toggled.connect(self._filter)

    def load_choices(self) -> None:
        self._rubric_of = {e["id"]: e["rubric_id"] for e in self.context.kit.exercises()}
        for combo, items in ((self.exercise, [(e["title"], e["id"]) for e in self.context.kit.exercises()]),
                             (self.team, [(t, t) for t in self.context.people.teams()])):
            combo.blockSignals(True)
            keep = combo.currentData()
            combo.clear()
            combo.addItem("All", None)
            for label, value in items:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(keep)))
            combo.blockSignals(False)

    def reload(self) -> None:
        """Read the queue from the store again (after scores change), off the main thread."""
        self._generation = getattr(self, "_generation", 0) + 1
        self.loading = True
        self.count.setText("Loading the queue…")
        job = _LoadQueue(self.queries, self._generation)
        job.signals.done.connect(self._on_loaded, Qt.ConnectionType.QueuedConnection)
        self._job = job                   # keep the signals object alive until it reports
        QThreadPool.globalInstance().start(job)

    def _on_loaded(self, rows, generation: int) -> None:
        if generation != self._generation:
            return                        # a newer reload is on its way
        self.loading = False
        if isinstance(rows, Exception):
            self.count.setText(f"Could not read the queue: {rows}")
            return
        keep = self.selected_id()
        self.model.set_rows(rows)
        self._after_change(keep)
        self.loaded.emit()

    def _filter(self, *_args) -> None:
        keep = self.selected_id()
        ex = self.exercise.currentData()
        rubric = self._rubric_of.get(ex) if ex else None
        criteria = self.context.kit.criteria(rubric) if rubric else []
        if [c["id"] for c in criteria] != [c["id"] for c in self.model.criteria]:
            self.model.set_criteria(criteria)
            header = self.table.horizontalHeader()
            after_spread = header.visualIndex(CoachQueueModel.HEADERS.index("Spread")) + 1
            for i in range(len(criteria)):      # shown right after Spread, where the coach looks
                logical = len(self.model.HEADERS) + i
                self.table.setColumnWidth(logical, 96)
                header.moveSection(header.visualIndex(logical), after_spread + i)
        self.table.setColumnHidden(2, ex is not None)      # one exercise: its column says nothing
        self.model.set_filter(exercise_id=self.exercise.currentData(), team=self.team.currentData(),
                              flagged=self.flagged.isChecked())
        self._after_change(keep)

    def _after_change(self, keep: str | None) -> None:
        flagged = sum(1 for r in self.model.rows if r.aggregate.too_few or r.aggregate.disagree)
        if not self.model.all_rows:
            self.count.setText("No submitted takes yet.")
        else:
            self.count.setText(f"{len(self.model.rows):,} takes · {flagged:,} flagged")
        if keep:
            self.select(keep)

    def select(self, recording_id: str) -> bool:
        for i, r in enumerate(self.model.rows):
            if r.recording_id == recording_id:
                self.table.selectRow(i)
                return True
        return False

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()].recording_id if index.isValid() and index.row() < len(self.model.rows) \
            else None

    def row_for(self, recording_id: str) -> QueueRow | None:
        return next((r for r in self.model.all_rows if r.recording_id == recording_id), None)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.model.rows):
            self.take_selected.emit(self.model.rows[current.row()])
