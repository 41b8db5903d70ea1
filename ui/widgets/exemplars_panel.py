""""How the best of us do it": the exercise's exemplar takes, shown first on the Record page.

    panel = ExemplarsPanel(context, record_page)        # follows record_page.exercise_combo (its data is
    record_page.extras_layout.addWidget(panel)          # the exercise row dict, or an id); or a combo,
                                                        # or set_exercise(id) by hand

Double-click an exemplar to watch it (a small player window); the view is logged as an
'exemplar_view' event for the dashboard (#8).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from store.scores import ScoreRepo
from ui.widgets.player import TakePlayer, clock


class ExemplarsPanel(QWidget):
    def __init__(self, context, exercise_source=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exemplarsPanel")
        self.context = context
        self.scores = ScoreRepo(context.store)
        self.source = exercise_source
        self.combo = None
        self.exercise_id: str | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-weight:600;")
        self.list = QListWidget()
        self.list.setMaximumHeight(76)
        self.list.setToolTip("Double-click to watch")
        self.list.itemDoubleClicked.connect(self._watch)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 4)
        lay.addWidget(self.title)
        lay.addWidget(self.list)
        context.on_change({"exemplars"}, lambda _c: self.refresh(), self)
        self.setVisible(False)
        QTimer.singleShot(0, self._connect)        # the page builds and fills its combo after this

    def _connect(self) -> None:
        source = self.source
        combo = getattr(source, "exercise_combo", source)
        if combo is not None and hasattr(combo, "currentIndexChanged"):
            self.combo = combo
            combo.currentIndexChanged.connect(lambda _i: self._from_combo())
            self._from_combo()

    def _from_combo(self) -> None:
        if self.combo is None:
            return
        data = self.combo.currentData()
        self.set_exercise(data.get("id") if isinstance(data, dict) else data)

    def set_exercise(self, exercise_id: str | None) -> None:
        self.exercise_id = exercise_id
        self.refresh()

    def refresh(self) -> None:
        rows = self.scores.exemplars(self.exercise_id) if self.exercise_id else []
        self.list.clear()
        for x in rows:
            item = QListWidgetItem(f"★ {x['rep']}{' (' + x['team'] + ')' if x['team'] else ''} · "
                                   f"{clock(x['duration_s'])} — {x['reason']}")
            item.setData(Qt.ItemDataRole.UserRole, x)
            self.list.addItem(item)
        plural = "s" if len(rows) != 1 else ""
        self.title.setText(f"How the best of us do it — {len(rows)} exemplar take{plural} (double-click to watch)")
        self.setVisible(bool(rows))

    def _watch(self, item: QListWidgetItem) -> None:
        x = item.data(Qt.ItemDataRole.UserRole)
        person = self.context.person
        self.scores.log_event("exemplar_view", person.id if person else None, x["recording_id"], x["exercise_id"])
        dialog = QDialog(self)
        dialog.setWindowTitle(f"Exemplar: {x['rep']} — {x['exercise']}")
        dialog.resize(560, 420)
        player = TakePlayer(self.context.services.media)
        player.load_take(x["recording_id"], x["duration_s"])
        reason = QLabel(f"Why: {x['reason']}")
        reason.setWordWrap(True)
        lay = QVBoxLayout(dialog)
        lay.addWidget(reason)
        lay.addWidget(player, 1)
        dialog.finished.connect(lambda _r: player.shutdown())
        dialog.show()
        if player.has_video():
            player.media.play()
        self._dialog = dialog
