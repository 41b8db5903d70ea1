"""The Record page's left column: the exercise (prompt or scenario, pre-work, time limit), who records
(and the partner playing the buyer in a role-play), and the camera/microphone remembered per station."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from ui.settings import Key


def mmss(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet's rules after an objectName change (setting a style sheet re-polishes)."""
    widget.setStyleSheet(widget.styleSheet() or " ")
    widget.setStyleSheet("")


def local_time(iso: str | None) -> str:
    """'2026-11-23T10:02:03.000Z' -> '10:02:03' in the station's time zone."""
    from datetime import datetime
    try:
        return datetime.fromisoformat((iso or "").replace("Z", "+00:00")).astimezone().strftime("%H:%M:%S")
    except ValueError:
        return "?"


LOW_DISK_BYTES = 500_000_000
BYTES_PER_MINUTE = 25_000_000      # a 720p30 take, benchmarks/bench_record.py: ~24 MB a minute


def disk_space_warning(folder) -> str:
    """A sentence when the media folder's disk is nearly full, else ''."""
    import shutil
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return ""
    if free >= LOW_DISK_BYTES:
        return ""
    return (f"Only {free / 1e6:.0f} MB free on this station's disk (about {free / BYTES_PER_MINUTE:.0f} min "
            "of video). Recording will stop cleanly if it fills up; free space before the next rep.")


class RecordSetup(QWidget):
    exercise_changed = Signal()
    devices_changed = Signal()
    problem = Signal(str)          # e.g. PortAudio missing: shown by the page

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.cameras: list[str] = []       # the cameras the OS reported at the last load_devices()
        left = QVBoxLayout(self)
        left.setContentsMargins(0, 0, 0, 0)
        ex_box = QGroupBox("Exercise")
        ex_form = QVBoxLayout(ex_box)
        self.exercise_combo = QComboBox()
        self.exercise_combo.setAccessibleName("Exercise")
        self.exercise_combo.currentIndexChanged.connect(self._on_exercise)
        self.exercise_meta = QLabel()
        self.prompt_title = QLabel("Prompt")
        self.prompt = QLabel()
        self.prework_title = QLabel("Pre-work")
        self.prework = QLabel()
        for w in (self.prompt_title, self.prework_title):
            w.setStyleSheet("font-weight: 600")
        for w in (self.prompt, self.prework):
            w.setWordWrap(True)
            w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for w in (self.exercise_combo, self.exercise_meta, self.prompt_title, self.prompt,
                  self.prework_title, self.prework):
            ex_form.addWidget(w)
        left.addWidget(ex_box)

        who_box = QGroupBox("Who")
        who = QFormLayout(who_box)
        self.rep_label = QLabel()
        self.rep_label.setWordWrap(True)
        self.partner_combo = QComboBox()
        self.partner_combo.setAccessibleName("Partner playing the buyer")
        self.partner_label = QLabel("Buyer")
        who.addRow("Rep", self.rep_label)
        who.addRow(self.partner_label, self.partner_combo)
        left.addWidget(who_box)

        dev_box = QGroupBox("Devices")
        dev = QFormLayout(dev_box)
        self.camera_combo = QComboBox()
        self.mic_combo = QComboBox()
        for combo, name, key in ((self.camera_combo, "Camera", Key.CAMERA),
                                 (self.mic_combo, "Microphone", Key.MICROPHONE)):
            combo.setEditable(True)           # a device index, name or file may be typed
            combo.setAccessibleName(name)
            combo.setMinimumContentsLength(18)
            combo.currentTextChanged.connect(lambda text, key=key: self._remember(key, text))
        dev.addRow("Camera", self.camera_combo)
        dev.addRow("Microphone", self.mic_combo)
        left.addWidget(dev_box)
        left.addStretch(1)

    # --- loading -----------------------------------------------------------------------------------
    def load_exercises(self) -> None:
        """(Re)load the kit's exercises, keeping the chosen one (a sync may bring a new kit)."""
        keep = (self.exercise or {}).get("id")
        self.exercise_combo.blockSignals(True)
        self.exercise_combo.clear()
        for ex in self.context.kit.exercises():
            self.exercise_combo.addItem(ex["title"], ex)
            if ex["id"] == keep:
                self.exercise_combo.setCurrentIndex(self.exercise_combo.count() - 1)
        self.exercise_combo.blockSignals(False)
        self._on_exercise()

    def load_partners(self) -> None:
        current = self.partner_combo.currentData()
        self.partner_combo.clear()
        self.partner_combo.addItem("(no partner)", None)
        me = self.context.person.id if self.context.person else None
        for person in self.context.people.list():
            if person.id != me:
                self.partner_combo.addItem(person.label, person.id)
        self.partner_combo.setCurrentIndex(max(0, self.partner_combo.findData(current)))

    def load_devices(self) -> None:
        from recorder.devices import list_cameras, list_microphones
        from recorder.errors import RecorderError
        cams = self.cameras = [d.spec for d in list_cameras()]
        try:
            mics = [d.spec for d in list_microphones()]
        except RecorderError as err:
            mics = []
            self.problem.emit(str(err))
        for combo, items, key in ((self.camera_combo, cams, Key.CAMERA),
                                  (self.mic_combo, mics, Key.MICROPHONE)):
            saved = str(self.context.settings.value(key) or "")
            combo.blockSignals(True)
            combo.clear()
            for item in [*items, "none"]:
                combo.addItem(item)
            if saved and combo.findText(saved) < 0:
                combo.insertItem(0, saved)
            combo.setCurrentText(saved or (items[0] if items else "none"))
            combo.blockSignals(False)

    def show_person(self, person) -> None:
        self.rep_label.setText(person.label if person else
                               "No one is chosen at this station: choose a person first (Ctrl+P).")
        self.load_partners()

    # --- state ---------------------------------------------------------------------------------------
    @property
    def exercise(self) -> dict | None:
        return self.exercise_combo.currentData()

    def partner_id(self) -> str | None:
        ex = self.exercise
        return self.partner_combo.currentData() if ex and ex["kind"] == "role-play" else None

    def set_busy(self, busy: bool) -> None:
        for w in (self.exercise_combo, self.partner_combo, self.camera_combo, self.mic_combo):
            w.setEnabled(not busy)

    def _remember(self, key: Key, text: str) -> None:
        self.context.settings.set(key, text.strip())
        self.devices_changed.emit()

    def _on_exercise(self, *_) -> None:
        ex = self.exercise
        role_play = bool(ex and ex["kind"] == "role-play")
        if ex:
            self.exercise_meta.setText(f"{ex['kind'].replace('-', ' ').title()} · time limit "
                                       f"{mmss(ex['time_limit_s'])}")
            self.prompt_title.setText("Role-play scenario" if role_play else "Prompt")
            self.prompt.setText(ex["prompt"] or "(no prompt)")
            self.prework.setText(ex["prework"] or "(none)")
        self.partner_combo.setVisible(role_play)
        self.partner_label.setVisible(role_play)
        self.exercise_changed.emit()
