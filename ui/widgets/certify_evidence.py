"""The evidence for one candidate: requirements, takes with their transcript, peer scores, notes."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QSplitter,
                               QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget)

from store.certification_evidence import Evidence
from store.transcripts import TranscriptRepo
from ui.widgets.player import TakePlayer
from ui.widgets.transcript_view import TranscriptView, fmt_time

OK, MISSING = "✔", "✘"


def requirements_html(evidence: Evidence) -> str:
    rows = []
    for r in evidence.readiness.requirements:
        colour = "#1b7f3b" if r.met else "#b00020"
        if r.met or not r.detail:
            text = html.escape(r.label)
        else:
            text = f"{html.escape(r.detail)} <span style='color:#5a6b7d'>(needs: {html.escape(r.label.lower())})</span>"
        rows.append(f"<div><span style='color:{colour}; font-weight:600'>{OK if r.met else MISSING}</span> "
                    f"{text}</div>")
    return "".join(rows)


class EvidencePanel(QWidget):
    def __init__(self, store, media=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.transcripts = TranscriptRepo(store)
        self.requirements = QLabel()
        self.requirements.setObjectName("certifyRequirements")
        self.requirements.setTextFormat(Qt.TextFormat.RichText)
        self.requirements.setWordWrap(True)
        self.takes = QComboBox()
        self.takes.setObjectName("certifyTakes")
        self.takes.setAccessibleName("Take")
        self.takes.setToolTip("The latest submitted take of each of the program's exercises counts")
        self.takes.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.takes.setMinimumContentsLength(24)
        self.takes.currentIndexChanged.connect(self._show_take)
        self.transcript = TranscriptView(show_export=False)
        self.player = TakePlayer(media)
        self.player.setObjectName("certifyPlayer")
        self.transcript.seek_requested.connect(self.player.seek)
        self.player.position_changed.connect(self.transcript.set_position)
        self.scores = QTableWidget(0, 6)
        self.scores.setObjectName("certifyScores")
        self.scores.setHorizontalHeaderLabels(["Criterion", "Weight", "Min", "Mean", "Range", "n"])
        self.scores.verticalHeader().setVisible(False)
        self.scores.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.scores.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.scores.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 6):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.agreement = QLabel()
        self.agreement.setObjectName("certifyAgreement")
        self.agreement.setWordWrap(True)
        self.notes = QTextBrowser()
        self.notes.setObjectName("certifyNotes")

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.requirements)
        take_row = QHBoxLayout()
        take_row.addWidget(QLabel("<b>Take</b>"))
        take_row.addWidget(self.takes, 1)
        tl.addLayout(take_row)
        watch = QSplitter(Qt.Orientation.Horizontal)
        watch.addWidget(self.player)
        watch.addWidget(self.transcript)
        watch.setSizes([360, 440])
        tl.addWidget(watch, 1)
        scores = QWidget()
        sl = QVBoxLayout(scores)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(QLabel("<b>Peer scores</b> over the evidence"))
        sl.addWidget(self.scores, 1)
        sl.addWidget(self.agreement)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(scores)
        bottom.addWidget(self.notes)
        bottom.setSizes([560, 260])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([380, 220])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        self.evidence: Evidence | None = None

    def show_evidence(self, evidence: Evidence | None) -> None:
        self.evidence = evidence
        self.takes.clear()
        self.scores.setRowCount(0)
        if evidence is None:
            self.requirements.setText("Choose a candidate.")
            self.transcript.set_transcript([], [])
            self.player.clear()
            self.agreement.clear()
            self.notes.clear()
            return
        self.requirements.setText(requirements_html(evidence))
        self.takes.blockSignals(True)
        for take in evidence.takes:
            dur = f" · {fmt_time(take['duration_s'])}" if take.get("duration_s") else ""
            self.takes.addItem(f"{take['exercise']} — submitted {str(take['submitted_at'])[:16].replace('T', ' ')}"
                               f"{dur} · {take['scorecards']} peer scorecard(s)", take["recording_id"])
        self.takes.blockSignals(False)
        if evidence.takes:
            self.takes.setCurrentIndex(0)
            self._show_take(0)
        else:
            self.transcript.set_transcript([], [])
            self.player.clear()
        for row in evidence.criteria:
            agg = row.aggregate
            below = row.minimum is not None and (agg.mean is None or agg.mean < row.minimum)
            cells = [row.title, f"{row.weight:g}", "" if row.minimum is None else str(row.minimum),
                     "—" if agg.mean is None else f"{agg.mean:.2f}",
                     "—" if agg.low is None else f"{agg.low}–{agg.high}", str(agg.n)]
            r = self.scores.rowCount()
            self.scores.insertRow(r)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 3 and below:
                    item.setForeground(Qt.GlobalColor.red)
                self.scores.setItem(r, c, item)
        a = evidence.agreement
        if a is None or a.alpha is None:
            self.agreement.setText("Agreement between peers: not enough scores to say.")
        else:
            self.agreement.setText(f"Agreement between peers (Krippendorff's α, ordinal, {a.units} take × "
                                   f"criterion units): {a.alpha:.2f} — {a.label}.")
        if evidence.notes:
            self.notes.setHtml("<b>Coach notes and peer comments</b><br>" + "<br>".join(
                f"<i>{html.escape(n['kind'])}</i> · {html.escape(n['author'] or '?')}"
                f"{' at ' + fmt_time(n['at_s']) if n['at_s'] is not None else ''}: {html.escape(n['text'])}"
                for n in evidence.notes))
        else:
            self.notes.setHtml("<span style='color:#5a6b7d'>No coach notes or peer comments on these takes.</span>")

    def _show_take(self, row: int) -> None:
        rid = self.takes.itemData(row) if row >= 0 else None
        if rid is None:
            return
        take = next((t for t in (self.evidence.takes if self.evidence else []) if t["recording_id"] == rid), {})
        self.player.load_take(rid, take.get("duration_s"))
        if not self.transcript.load_recording(self.transcripts, rid):
            self.transcript.summary.setText("This take has no transcript yet.")

    def shutdown(self) -> None:
        self.player.shutdown()
