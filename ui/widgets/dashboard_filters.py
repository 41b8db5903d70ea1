"""The dashboard's filter bar: date range, team, exercise and time buckets."""
from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from scoring.analytics import Filters


class FilterBar(QWidget):
    changed = Signal(object)   # Filters

    def __init__(self, parent=None):
        super().__init__(parent)
        self._quiet = False
        today = QDate.currentDate()
        self.from_check = QCheckBox("From")
        self.from_date = QDateEdit(today.addDays(-28))
        self.to_check = QCheckBox("to")
        self.to_date = QDateEdit(today)
        for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._emit)
            edit.dateChanged.connect(self._emit)
        self.team_combo = QComboBox()
        self.team_combo.setMinimumContentsLength(12)
        self.exercise_combo = QComboBox()
        self.exercise_combo.setMinimumContentsLength(18)
        self.bucket_combo = QComboBox()
        self.bucket_combo.addItem("Weekly", "week")
        self.bucket_combo.addItem("Daily", "day")
        for combo in (self.team_combo, self.exercise_combo, self.bucket_combo):
            combo.currentIndexChanged.connect(self._emit)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.from_check)
        row.addWidget(self.from_date)
        row.addWidget(self.to_check)
        row.addWidget(self.to_date)
        row.addSpacing(12)
        row.addWidget(QLabel("Team"))
        row.addWidget(self.team_combo)
        row.addWidget(QLabel("Exercise"))
        row.addWidget(self.exercise_combo)
        row.addWidget(self.bucket_combo)
        row.addStretch(1)
        self.set_options([], [])

    def set_options(self, teams: list[str], exercises: list[tuple[str, str]]) -> None:
        """Refill the team and exercise lists ((title, id) pairs), keeping the current choice."""
        self._quiet = True
        try:
            for combo, everything, items in ((self.team_combo, "All teams", [(t, t) for t in teams]),
                                             (self.exercise_combo, "All exercises", exercises)):
                current = combo.currentData()
                combo.clear()
                combo.addItem(everything, None)
                for label, value in items:
                    combo.addItem(label, value)
                index = combo.findData(current)
                combo.setCurrentIndex(max(0, index))
        finally:
            self._quiet = False

    def set_bucket(self, bucket: str) -> None:
        """Choose week/day buckets without emitting ``changed``."""
        self._quiet = True
        self.bucket_combo.setCurrentIndex(max(0, self.bucket_combo.findData(bucket)))
        self._quiet = False

    def filters(self) -> Filters:
        def day(check: QCheckBox, edit: QDateEdit):
            return edit.date().toString("yyyy-MM-dd") if check.isChecked() else None
        return Filters(date_from=day(self.from_check, self.from_date), date_to=day(self.to_check, self.to_date),
                       team=self.team_combo.currentData(), exercise=self.exercise_combo.currentData(),
                       bucket=self.bucket_combo.currentData() or "week")

    def _emit(self, *_args) -> None:
        if not self._quiet:
            self.changed.emit(self.filters())
