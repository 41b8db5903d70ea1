"""QtCharts charts for the dashboard, built from plain lists (no store, no analytics here)."""
from __future__ import annotations

from PySide6.QtCharts import (QBarCategoryAxis, QBarSeries, QBarSet, QChart, QHorizontalPercentBarSeries,
                              QLineSeries, QLogValueAxis, QValueAxis)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

PALETTE = ("#3b5ba5", "#f2a541", "#3aa57a", "#c0392b", "#8e6bbf", "#2aa6c8", "#7f8c8d")
SCORE_COLOURS = ("#c0392b", "#e67e22", "#f1c40f", "#7dbb5f", "#2e8b57")   # 1..5


def _chart() -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    font = QFont()
    font.setPointSize(9)
    chart.legend().setFont(font)
    return chart


def _short(label: str, width: int = 22) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _wrap(label: str, width: int = 11) -> str:
    """Long category names on several short lines (at spaces and hyphens), so bars need no slant."""
    words = label.replace("-", "- ").split()
    lines: list[str] = []
    for word in words:
        glue = "" if not lines or lines[-1].endswith("-") else " "
        if lines and len(lines[-1]) + len(glue) + len(word) <= width:
            lines[-1] += glue + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _categories(labels: list[str], angle_over: int = 6, truncate: bool = True) -> QBarCategoryAxis:
    # Qt 6.6 drops the last label of a horizontal category axis when truncation is off, and elides
    # every label of a vertical one when it is on: off only for vertical axes.
    axis = QBarCategoryAxis()
    axis.append(labels or [""])
    rotated = len(labels) > angle_over
    axis.setTruncateLabels(truncate and not rotated)
    font = QFont()
    font.setPointSize(8)
    axis.setLabelsFont(font)
    axis.setLabelsAngle(-35 if rotated else 0)
    return axis


def _value_axis(maximum: float, fmt: str = "%.1f", title: str = "", nice: bool = False) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, maximum if maximum > 0 else 1)
    axis.setLabelFormat(fmt)
    axis.setTickCount(5)
    if nice:
        axis.applyNiceNumbers()       # 0, 1000, 2000 ... rather than 0, 1106, 2213 ...
    if title:
        axis.setTitleText(title)
    return axis


def bar_chart(categories: list[str], series: dict[str, list[float | None]], maximum: float | None = None,
              fmt: str = "%.1f", y_title: str = "") -> QChart:
    """Grouped vertical bars: one set per entry of ``series`` (None counts as 0)."""
    chart = _chart()
    bars = QBarSeries()
    top = 0.0
    for index, (name, values) in enumerate(series.items()):
        bar_set = QBarSet(name)
        bar_set.setColor(QColor(PALETTE[index % len(PALETTE)]))
        for value in values:
            bar_set.append(float(value or 0.0))
            top = max(top, float(value or 0.0))
        bars.append(bar_set)
    chart.addSeries(bars)
    x = _categories([_wrap(_short(c, 28)) for c in categories], angle_over=6)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    bars.attachAxis(x)
    y = _value_axis(maximum if maximum is not None else top * 1.1, fmt, y_title, nice=maximum is None)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(y)
    chart.legend().setVisible(len(series) > 1)
    return chart


def line_chart(categories: list[str], series: dict[str, list[float | None]], maximum: float | None = None,
               minimum: float = 0.0, fmt: str = "%.1f", y_title: str = "", log: bool = False) -> QChart:
    """Lines over ordered categories (time buckets); a None (or, on a log scale, a 0) is skipped."""
    chart = _chart()
    x = _categories(categories, angle_over=10)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    top = 0.0
    lines = []
    for index, (name, values) in enumerate(series.items()):
        line = QLineSeries()
        line.setName(name)
        pen = QPen(QColor(PALETTE[index % len(PALETTE)]))
        pen.setWidth(3)
        line.setPen(pen)
        line.setPointsVisible(True)
        for position, value in enumerate(values):
            if value is not None and not (log and value <= 0):
                line.append(position, float(value))
                top = max(top, float(value))
        chart.addSeries(line)
        line.attachAxis(x)
        lines.append(line)
    if log:
        y = QLogValueAxis()
        y.setBase(10)
        y.setLabelFormat("%g")
        y.setRange(0.8, max(10.0, top * 2))
        y.setTitleText(y_title or "log scale")
    else:
        y = _value_axis(maximum if maximum is not None else top * 1.1, fmt, y_title, nice=maximum is None)
        y.setMin(minimum)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    for line in lines:
        line.attachAxis(y)
    chart.legend().setVisible(len(series) > 1)
    return chart


def score_distribution_chart(labels: list[str], counts: list[list[int]]) -> QChart:
    """One horizontal 100 % bar per criterion, split by how many scores of 1..5 it got."""
    chart = _chart()
    bars = QHorizontalPercentBarSeries()
    for score in range(1, 6):
        bar_set = QBarSet(str(score))
        bar_set.setColor(QColor(SCORE_COLOURS[score - 1]))
        for row in counts:
            bar_set.append(float(row[score - 1]))
        bars.append(bar_set)
    chart.addSeries(bars)
    y = _categories([_short(label, 44) for label in labels], angle_over=10 ** 6, truncate=False)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(y)
    x = QValueAxis()
    x.setRange(0, 100)
    x.setLabelFormat("%d%%")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    bars.attachAxis(x)
    return chart


RENDER_HINT = QPainter.RenderHint.Antialiasing
