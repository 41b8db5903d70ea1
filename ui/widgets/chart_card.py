"""A dashboard card: a title, a chart (or table, or heat map) and its PNG / CSV exports."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStackedLayout,
                               QVBoxLayout, QWidget)

from scoring.analytics import Table
from ui.widgets.chart_builders import RENDER_HINT


class ChartCard(QFrame):
    """Holds one figure. ``set_chart``/``set_widget`` swap what is shown; ``table`` is what CSV holds."""

    def __init__(self, title: str, slug: str, on_export: Callable[[str, str], None] | None = None,
                 parent=None):
        super().__init__(parent)
        self.slug = slug
        self.table: Table | None = None
        self._on_export = on_export
        self.setObjectName("chartCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#chartCard { background: white; border: 1px solid #d6dbe4; "
                           "border-radius: 6px; }")
        self.title = QLabel(title)
        self.title.setStyleSheet("font-weight: 600; border: none;")
        self.note = QLabel("")
        self.note.setStyleSheet("color: #5b6478; border: none;")
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.png_button = QPushButton("PNG…")
        self.png_button.setToolTip("Save this figure as a PNG image")
        self.png_button.clicked.connect(self._ask_png)
        self.csv_button = QPushButton("CSV…")
        self.csv_button.setToolTip("Save the numbers behind this figure as CSV")
        self.csv_button.clicked.connect(self._ask_csv)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.note, 1)
        head.addWidget(self.png_button)
        head.addWidget(self.csv_button)
        self.view = QChartView()
        self.view.setRenderHint(RENDER_HINT)
        self.view.setMinimumHeight(220)
        self.view.setStyleSheet("border: none;")
        self.empty = QLabel("No data for these filters.")
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QStackedLayout()
        self.body.addWidget(self.view)
        self.body.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(head)
        layout.addLayout(self.body, 1)
        self._widget: QWidget = self.view
        self.set_empty(None, "Computing…")      # until the first figures arrive

    # -- content -------------------------------------------------------------------------------
    def set_chart(self, chart: QChart, table: Table, note: str = "") -> None:
        old = self.view.chart()
        self.view.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()
        self._show(self.view, table, note)

    def set_widget(self, widget: QWidget, table: Table, note: str = "") -> None:
        if self.body.indexOf(widget) < 0:
            self.body.addWidget(widget)
        self._show(widget, table, note)

    def set_empty(self, table: Table | None, text: str = "No data for these filters.") -> None:
        self.table = table
        self.empty.setText(text)
        self.note.setText("")
        self.body.setCurrentWidget(self.empty)
        self._widget = self.empty

    def _show(self, widget: QWidget, table: Table, note: str) -> None:
        self.table = table
        self.note.setText(note)
        self.body.setCurrentWidget(widget)
        self._widget = widget

    def is_empty(self) -> bool:
        return self._widget is self.empty

    # -- exports -------------------------------------------------------------------------------
    def export_png(self, path: str | Path) -> Path:
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        self.grab().save(str(path), "PNG")
        self._exported("png", path)
        return path

    def export_csv(self, path: str | Path) -> Path:
        path = Path(path)
        if path.suffix.lower() != ".csv":
            path = path.with_suffix(".csv")
        path.write_text(self.table.to_csv() if self.table else "", encoding="utf-8")
        self._exported("csv", path)
        return path

    def _exported(self, fmt: str, path: Path) -> None:
        if self._on_export:
            self._on_export(self.slug, fmt)

    def _ask_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save figure as PNG", f"{self.slug}.png", "PNG (*.png)")
        if path:
            self.export_png(path)

    def _ask_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save figure data as CSV", f"{self.slug}.csv",
                                              "CSV (*.csv)")
        if path:
            self.export_csv(path)
