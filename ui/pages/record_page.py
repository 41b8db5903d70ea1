"""The Record page: pick the exercise, see yourself and your level, 3-2-1, record, play back, retake, submit.

The recording lifecycle (capture worker, countdown, the take's states, begin/finish in the store) is a
RecordController (record_controller.py); this page holds the layout and the user's actions and shows what
the controller reports. Submit and discard are small repo calls here.
"""
from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QStackedWidget, QVBoxLayout, QWidget)

from store.changes import Changes
from store.recordings import RecordingError, RecordingRepo
from ui.pages.record_controller import RecordController, TakeRequest
from ui.pages.record_import import CAMERA_FAILED, NO_CAMERA, RecordImport
from ui.pages.record_setup import RecordSetup, disk_space_warning, local_time, mmss, repolish
from ui.widgets.level_meter import LevelMeter
from ui.widgets.video_preview import VideoPreview
from ui.widgets.take_player import TakePlayer


class RecordPage(QWidget):
    TITLE = "Record"
    take_finished = Signal(object)    # Recording row, for other pages/tests

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.repo = RecordingRepo(context.store)
        self._problems_told: set[str] = set()   # the preview's problems the status bar was told of
        self._last_status = ""                  # what the app last said in the status bar
        context.status_message.connect(self._on_status)
        self.playback = TakePlayer(self)
        self.playback.state_changed.connect(self._update_buttons)
        self.playback.position_text.connect(lambda text: self.time_label.setText(text))
        self.playback.failed.connect(lambda text: self._say(text, error=True))
        self.importer = RecordImport(context.store, self._who, self)   # recordings made elsewhere
        self.importer.said.connect(self._say)
        self.importer.imported.connect(self._on_imported)
        self.importer.idle.connect(self._update_buttons)
        self.importer.set_playback_problem(self.playback.unavailable)
        self._build()
        self._wire_worker()
        self.setup.load_exercises()
        self.setup.load_devices()
        self._on_person(context.person)
        context.person_changed.connect(self._on_person)
        context.people_changed.connect(self.setup.load_partners)
        context.on_change({"kit"}, lambda _c: self.setup.load_exercises(), self)
        self._tell_recovered()

    # --- building ----------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        title = QLabel(self.TITLE)
        title.setObjectName("pageTitle")
        root.addWidget(title)
        # Other pages' engineers put the exemplars and "due for practice" widgets here.
        self.extras_layout = QVBoxLayout()
        self.extras_layout.setObjectName("recordExtras")
        root.addLayout(self.extras_layout)
        from ui.widgets.exemplars_panel import ExemplarsPanel  # exemplars first (#5)
        self.extras_layout.addWidget(ExemplarsPanel(self.context, self))
        from ui.widgets.due_panel import DuePanel  # issue #6: practice / re-certification due for the rep
        self.extras_layout.addWidget(DuePanel(self.context))
        body = QHBoxLayout()
        root.addLayout(body, 1)

        self.setup = RecordSetup(self.context)
        self.setup.setMaximumWidth(430)
        body.addWidget(self.setup, 0)
        for name in ("exercise_combo", "prompt_title", "prompt", "prework", "rep_label", "partner_combo",
                     "camera_combo", "mic_combo"):
            setattr(self, name, getattr(self.setup, name))
        self.setup.exercise_changed.connect(self._on_exercise)
        self.setup.devices_changed.connect(self._on_devices_changed)
        self.setup.problem.connect(lambda text: self._say(text, error=True))

        right = QVBoxLayout()
        body.addLayout(right, 1)
        right.addWidget(self.importer.notice)          # no camera / no playback here, and what to do
        self.stack = QStackedWidget()
        self.preview = VideoPreview()
        self.stack.addWidget(self.preview)
        right.addWidget(self.stack, 1)
        meter_row = QHBoxLayout()
        meter_row.addWidget(QLabel("Mic"))
        self.level_meter = LevelMeter()
        meter_row.addWidget(self.level_meter, 1)
        self.time_label = QLabel("00:00")
        self.time_label.setStyleSheet("font-size: 14pt; font-weight: 600; font-family: monospace")
        meter_row.addWidget(self.time_label)
        right.addLayout(meter_row)

        buttons = QHBoxLayout()
        self.record_button = QPushButton("Record  (R)")
        self.record_button.setObjectName("primary")
        self.record_button.clicked.connect(self.toggle_record)
        self.play_button = QPushButton("Play  (Space)")
        self.play_button.clicked.connect(self.toggle_play)
        self.submit_button = QPushButton("Submit this take")
        self.submit_button.clicked.connect(self.submit_selected)
        self.discard_button = QPushButton("Discard")
        self.discard_button.clicked.connect(self.discard_selected)
        for b in (self.record_button, self.play_button, self.submit_button, self.discard_button,
                  self.importer.button):
            buttons.addWidget(b)
        right.addLayout(buttons)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        right.addWidget(self.message)
        right.addWidget(QLabel("Takes (kept until you submit one or discard them)"))
        self.takes = QListWidget()
        self.takes.setMaximumHeight(110)
        self.takes.currentItemChanged.connect(lambda *_: self._update_buttons())
        right.addWidget(self.takes)

        QShortcut(QKeySequence(Qt.Key.Key_R), self, self.toggle_record,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, self.toggle_play,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _wire_worker(self) -> None:
        self.recorder = RecordController(self.repo, self.context.services, self._devices, self)
        self.recorder.state_changed.connect(self._on_state)
        self.recorder.countdown.connect(self.preview.set_overlay)
        self.recorder.tick.connect(self._update_time)
        self.recorder.warning.connect(lambda text: self._say(text, error=True))
        self.recorder.preview_problem.connect(self._on_preview_problem)
        self.recorder.finished.connect(self._on_finished)
        self.recorder.failed.connect(self._on_failed)
        worker = self.recorder.worker                  # what the devices show goes straight to the widgets
        worker.preview.connect(self.preview.set_image)
        worker.level.connect(self.level_meter.set_level)
        worker.camera_problem.connect(self.preview.clear)
        worker.camera_problem.connect(self._on_camera_problem)
        worker.preview_stopped.connect(self.level_meter.reset)

    def _devices(self) -> tuple[str, str]:
        return self.camera_combo.currentText().strip(), self.mic_combo.currentText().strip()

    # the recorder's state, as tests and benchmarks/soak_app.py read it from the page
    @property
    def worker(self):
        return self.recorder.worker

    @property
    def state(self) -> str:            # idle | countdown | starting | recording | stopping
        return self.recorder.state

    @property
    def countdown_seconds(self) -> int:
        return self.recorder.countdown_seconds

    @countdown_seconds.setter
    def countdown_seconds(self, seconds: int) -> None:
        self.recorder.countdown_seconds = seconds

    @property
    def _clock(self):
        return self.recorder.clock

    # --- data --------------------------------------------------------------------------------------
    def _load_exercises(self) -> None:
        self.setup.load_exercises()

    @property
    def exercise(self) -> dict | None:
        return self.setup.exercise

    def _on_exercise(self) -> None:
        self._update_time()
        self._refresh_takes()

    def _on_person(self, person) -> None:
        self.setup.show_person(person)
        self._refresh_takes()

    def _tell_recovered(self) -> None:
        """Takes cut off by a crash were found when the station opened: say so, once."""
        recovered = self.repo.take_recovery_notice()
        if recovered:
            names = {p.id: p.name for p in self.context.people.list()}
            parts = [f"{names.get(r.rep_id, 'someone')} ({r.duration_s or 0:.0f} s)" for r in recovered]
            self._say(f"Recording was interrupted last time; {len(recovered)} take(s) were recovered and "
                      f"kept: {', '.join(parts)}. They are listed under Takes for that rep and exercise.")

    def _on_preview_problem(self, text: str) -> None:
        """The preview says so on every start (each visit, each take): the page always shows it, the
        status bar each problem once (another device is another problem), and only while this page is
        on screen."""
        loud = self.isVisible() and text not in self._problems_told
        if loud:
            if len(self._problems_told) > 100:      # device names typed letter by letter
                self._problems_told.clear()
            self._problems_told.add(text)
        self._say(text, error=True, status_bar=loud)

    def _on_camera_problem(self, _text: str) -> None:      # the preview shows what went wrong
        self.importer.set_camera_problem(CAMERA_FAILED if self.setup.cameras else NO_CAMERA)

    def _who(self) -> tuple[str, str, str | None] | str:
        """Who an imported recording is of, for the importer; or what to choose first."""
        person, ex = self.context.person, self.exercise
        if person is None or ex is None:
            return "Choose who is recording and an exercise first."
        return person.id, ex["id"], self.setup.partner_id()

    def _on_imported(self, imported) -> None:
        self._say(f"Imported as a take ({imported.how}, {imported.duration:.1f} s). Play it back, then "
                  "submit it or discard it.")
        self._refresh_takes()
        self.context.notify(Changes.of("recordings"), origin=self)

    def _on_status(self, text: str, _msecs: int) -> None:
        self._last_status = text

    def _on_devices_changed(self) -> None:
        if self.isVisible() and self.state == "idle":
            self._restart_preview()

    def _refresh_takes(self) -> None:
        self.takes.clear()
        person, ex = self.context.person, self.exercise
        if person and ex:
            for rec in self.repo.open_takes(person.id, ex["id"]):
                label = (f"{local_time(rec.started_at)} · {rec.duration_s or 0:.1f} s"
                         f"{' · recovered after a crash' if rec.status == 'recovered' else ''}"
                         f"{f' · {len(rec.gaps)} gap(s)' if rec.gaps else ''}")
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, rec.id)
                self.takes.addItem(item)
            if self.takes.count():
                self.takes.setCurrentRow(0)
        self._update_buttons()

    def selected_take_id(self) -> str | None:
        item = self.takes.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    # --- recording ---------------------------------------------------------------------------------
    def toggle_record(self) -> None:
        if self.state == "idle":
            self.start_countdown()
        elif self.state == "countdown":
            self.recorder.cancel_countdown()
        elif self.state == "recording":
            self.stop_recording()

    def start_countdown(self) -> None:
        person, ex = self.context.person, self.exercise
        if person is None or ex is None:
            self._say("Choose who is recording and an exercise first.", error=True)
            return
        self._stop_playback()
        self._say(disk_space_warning(self.context.store.media_dir))
        self.recorder.start(TakeRequest(person.id, ex["id"], self.setup.partner_id(),
                                        float(ex["time_limit_s"])))

    def stop_recording(self) -> None:
        self.recorder.stop()

    def _on_state(self, state: str) -> None:
        if state == "recording":
            self.preview.set_badge("● REC 00:00")
        self._update_buttons()

    def _on_finished(self, rec, result) -> None:
        self.preview.set_badge("")
        self.level_meter.reset()
        notes = [f"Take recorded: {result.duration:.1f} s."]
        if result.message:
            notes.append(result.message)
        if result.gaps:
            notes.append("Gaps: " + "; ".join(f"{g.source} {g.reason} {g.start:.1f}–{g.end:.1f} s"
                                             for g in result.gaps))
        if result.dropped_frames:
            notes.append(f"{result.dropped_frames} frames were dropped.")
        notes.append("Play it back, record another take, or submit it.")
        self._say(" ".join(notes), error=result.stop_reason in ("disk_full", "error"))
        self._refresh_takes()
        self._update_time()
        self.take_finished.emit(rec)
        self.context.notify(Changes.of("recordings"), origin=self)
        if self.isVisible():
            self._restart_preview()

    def _on_failed(self, message: str) -> None:
        self.preview.set_badge("")
        self._say(message, error=True)
        self._update_buttons()
        if self.isVisible():
            self._restart_preview()

    def _update_time(self) -> None:
        ex = self.exercise
        limit = ex["time_limit_s"] if ex else 0
        elapsed = self.recorder.elapsed_s()
        self.time_label.setText(f"{mmss(elapsed)} / {mmss(limit)}  ({mmss(math.ceil(limit - elapsed))} left)")
        if self.state == "recording":
            self.preview.set_badge(f"● REC {mmss(elapsed)}")

    # --- playback, submit, discard -----------------------------------------------------------------
    def _ensure_player(self):
        if not self.playback.created:
            self.playback.media_player()
            self.video_widget = self.playback.video_widget
            self.stack.addWidget(self.video_widget)
        return self.playback.media_player()

    @property
    def player(self):
        return self._ensure_player()

    def toggle_play(self) -> None:
        if self.state != "idle":
            return
        if self.playback.unavailable:
            self._say(self.playback.unavailable, error=True)
            return
        rec_id = self.selected_take_id()
        if rec_id is None:
            return
        self._ensure_player()

        def show_video() -> None:
            self.recorder.stop_preview()
            self.stack.setCurrentWidget(self.video_widget)
        self.playback.toggle(self.repo.media_file(rec_id), before_play=show_video)

    def _stop_playback(self) -> None:
        self.playback.stop()
        self.stack.setCurrentWidget(self.preview)
        self._update_time()

    def submit_selected(self) -> None:
        rec_id = self.selected_take_id()
        if rec_id is None:
            return
        self._stop_playback()
        try:
            rec = self.repo.submit(rec_id)
        except RecordingError as err:
            self._say(str(err), error=True)
            return
        self._say(f"Submitted ({rec.duration_s or 0:.1f} s). It is queued for transcription; "
                  "earlier takes of this exercise were set aside.")
        self.context.notify(Changes.of("recordings"), origin=self)
        self._refresh_takes()
        self._restart_preview()

    def discard_selected(self) -> None:
        rec_id = self.selected_take_id()
        if rec_id is None:
            return
        self._stop_playback()
        try:
            self.repo.discard(rec_id)
        except RecordingError as err:
            self._say(str(err), error=True)
            return
        self._say("Take discarded (the file is kept on this station).")
        self._refresh_takes()
        self._restart_preview()

    # --- state, messages, lifecycle ------------------------------------------------------------------
    def _update_buttons(self) -> None:
        busy = self.state != "idle"
        labels = {"idle": "Record  (R)", "countdown": "Cancel  (R)", "starting": "Starting…",
                  "recording": "Stop  (R)", "stopping": "Stopping…"}
        self.record_button.setText(labels[self.state])
        name = "danger" if self.state == "recording" else "primary"
        if self.record_button.objectName() != name:
            self.record_button.setObjectName(name)
            repolish(self.record_button)
        self.record_button.setEnabled(self.state in ("idle", "countdown", "recording"))
        has_take = self.selected_take_id() is not None
        playing = self.playback.is_playing()
        self.play_button.setText("Pause  (Space)" if playing else "Play  (Space)")
        for b in (self.play_button, self.submit_button, self.discard_button):
            b.setEnabled(has_take and not busy)
        self.importer.button.setEnabled(not busy and not self.importer.running)
        if self.playback.unavailable:
            self.play_button.setEnabled(False)
            self.play_button.setToolTip(self.playback.unavailable)
        self.setup.set_busy(busy)

    def _say(self, text: str, error: bool = False, status_bar: bool = True) -> None:
        name = "errorText" if error else "message"
        if self.message.objectName() != name:
            self.message.setObjectName(name)
            repolish(self.message)
        self.message.setText(text)
        if text and status_bar:
            self.context.say(text, 8000)

    def _restart_preview(self) -> None:
        if self.stack.currentWidget() is self.preview:
            camera, microphone = self._devices()
            no_camera = camera.lower() in ("", "none")
            self.importer.set_camera_problem(NO_CAMERA if no_camera and not self.setup.cameras else "")
            if no_camera:
                self.preview.clear("Audio only: no camera chosen")
            self.level_meter.reset()
            self.recorder.start_preview(camera, microphone)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.state == "idle":
            self._restart_preview()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        if self.state == "idle":
            self.recorder.stop_preview()
            self.playback.pause()
        if self._last_status in self._problems_told:     # the preview's problem is no news on other pages
            self.context.say("", 0)

    def shutdown(self) -> None:
        """Stop a running take (it is kept) and the worker thread. Called when the app quits."""
        self.recorder.shutdown()
        self.importer.wait()
