"""Settings → Sync → Learning record store (xAPI): where practice and certification records go, the
automatic-sending toggle, Save and test, Send now (with progress and Cancel), and what waits or was
refused. The saving, the LRS check and the push run on the app's LrsSender (ui/workers/lrs_sender.py),
off the UI thread (a keyring may ask to be unlocked; an LRS may not answer)."""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QVBoxLayout, QWidget)

from store.db import Store
from store.xapi import queue
from store.xapi.config import ConfigError, LrsConfig, PushState, normal_endpoint, normal_home_page
from store.xapi.profile import DEFAULT_HOME_PAGE
from store.xapi.push import check_connection, open_client
from ui.workers.lrs_sender import LrsSender


class LrsSettingsGroup(QGroupBox):
    changed = Signal()

    def __init__(self, store: Store, sender: LrsSender | None = None, parent=None):
        super().__init__("Learning record store (xAPI)", parent)
        self.setObjectName("lrsSettings")
        self.store = store
        self.sender = sender or LrsSender(store, self)     # the app passes its own (ui/services.py)
        self.secrets = self.sender.secrets
        config = LrsConfig.load(store)

        self.endpoint = QLineEdit(config.url)
        self.endpoint.setPlaceholderText("The LRS's xAPI endpoint, e.g. https://lrs.example.com/xAPI/")
        self.key = QLineEdit(config.key)
        self.key.setPlaceholderText("The key (user name) the LRS gave Rolecall")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.home_page = QLineEdit("" if config.home_page == DEFAULT_HOME_PAGE else config.home_page)
        self.home_page.setPlaceholderText("A URL your organisation controls (names accounts and activities)")
        self.pseudonymise = QCheckBox("Pseudonymise people: send a hash of each email and no names")
        self.pseudonymise.setChecked(config.pseudonymise)
        self.scope = QComboBox()
        self.scope.addItem("Records made on this station", "own")
        self.scope.addItem("Every record this station holds (an online station sending for offline ones)", "all")
        self.scope.setCurrentIndex(max(0, self.scope.findData(config.scope)))
        self.auto = QCheckBox("Send statements to the LRS automatically while it answers")
        self.auto.setChecked(config.auto)
        self.auto.toggled.connect(self._save_toggle)

        self.save_button = QPushButton("Save and test")
        self.save_button.clicked.connect(self.save_and_test)
        self.send_button = QPushButton("Send now")
        self.send_button.setToolTip("Send the waiting statements now")
        self.send_button.clicked.connect(self.send_now)
        self.retry_button = QPushButton("Retry held")
        self.retry_button.setToolTip("Queue the statements the LRS refused again, then send")
        self.retry_button.clicked.connect(self.retry_held)
        self.retry_button.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        buttons = QHBoxLayout()
        for w in (self.save_button, self.send_button, self.retry_button, self.cancel_button):
            buttons.addWidget(w)
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(1)

        self.message = _Message()
        self.message.setWordWrap(True)
        self.message.setObjectName("statusMessage")
        self.message.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout(self)
        form.addRow("LRS &endpoint", self.endpoint)
        form.addRow("&Key", self.key)
        form.addRow("Se&cret", self.secret)
        form.addRow("&Home page", self.home_page)
        form.addRow("", self.pseudonymise)
        form.addRow("Se&nd", self.scope)
        form.addRow("", self.auto)
        form.addRow("", _wrap(buttons))
        notes = QVBoxLayout()
        notes.addWidget(self.message)
        notes.addWidget(self.status)
        notes.addStretch(1)
        form.addRow(_wrap(notes))

        self.sender.busy_changed.connect(self._busy_changed)
        self.sender.progress.connect(self._on_progress)
        self.sender.pushed.connect(self._pushed)
        self.sender.saved.connect(self._saved)
        self.sender.failed.connect(self._on_failed)
        self.sender.timer.timeout.connect(self._tick_refresh)
        self.refresh()

    def shutdown(self) -> None:
        self.sender.shutdown()

    # -- what the form says ---------------------------------------------------------------------------
    def form_config(self) -> LrsConfig:
        """The settings as typed, checked (ConfigError says what is wrong)."""
        config = LrsConfig.load(self.store)
        config.url = normal_endpoint(self.endpoint.text())
        config.key = self.key.text().strip()
        if not config.key:
            raise ConfigError("Enter the key the LRS gave Rolecall.")
        page = self.home_page.text().strip()
        config.home_page = normal_home_page(page) if page else DEFAULT_HOME_PAGE
        config.pseudonymise = self.pseudonymise.isChecked()
        config.scope = self.scope.currentData()
        config.auto = self.auto.isChecked()
        return config

    def busy(self) -> bool:
        return self.sender.busy()

    def refresh(self) -> None:
        config = LrsConfig.load(self.store)
        self.secret.setPlaceholderText(f"Saved {self.secrets.where()}" if self.secrets.load()
                                       else "The secret (kept in the OS keyring, never in the database)")
        self.send_button.setEnabled(config.configured and not self.busy())
        self.save_button.setEnabled(not self.busy())
        self.retry_button.setVisible(config.configured and not self.busy()
                                     and queue.counts(self.store, config.scope).held > 0)
        if not config.configured:
            self.status.setText("No LRS yet. Enter its endpoint, key and secret, then Save and test: what this "
                                "station already holds is queued, and new takes, scores and sign-offs follow.")
            return
        self.status.setText(status_text(self.store, config))

    def _tick_refresh(self) -> None:
        if not self.busy() and self.isVisible():
            self.refresh()

    # -- actions -------------------------------------------------------------------------------------
    def save_and_test(self) -> None:
        try:
            config = self.form_config()
        except ConfigError as exc:
            self.message.setText(str(exc))
            return
        secret = self.secret.text()
        old_url = LrsConfig.load(self.store).url
        store, secrets = self.store, self.secrets
        if not secret and secrets.load() is None:
            self.message.setText("Enter the secret the LRS gave with the key.")
            return

        def work(progress, cancelled):
            lines = []
            if secret:
                saved = secrets.save(secret)
                lines.append("Secret saved " + ("in the OS keyring." if saved.where == "keyring"
                                                else f"in {saved.detail}."))
            config.save(store)
            state = PushState.load(store)
            state.blocked, state.next_attempt_at = "", ""
            state.save(store)
            first = not queue.is_enabled(store)
            queued = queue.enable(store)
            if first:
                lines.append(f"Queued {queued:,} statement(s) for what this station already holds.")
            elif old_url and old_url != config.url:
                lines.append(f"A new LRS: {queue.requeue_all(store):,} statement(s) will be sent to it.")
            client = open_client(store, config, secrets)
            try:
                lines.append(check_connection(client).message)
            finally:
                client.close()
            return " ".join(lines)

        if self.sender.run(work, self.sender.saved.emit):
            self.secret.clear()
            self.message.setText("Saving and trying the LRS …")
        else:
            self.message.setText("A push is running; save again when it ends.")

    def _saved(self, text: str) -> None:
        self.message.setText(text)
        self.changed.emit()

    def _save_toggle(self, on: bool) -> None:
        config = LrsConfig.load(self.store)
        config.auto = on
        config.save(self.store)
        self.changed.emit()

    def send_now(self) -> None:
        if not LrsConfig.load(self.store).configured:
            self.message.setText("Set up the LRS first: its endpoint, key and secret, then Save and test.")
        elif self.sender.push():
            self.message.setText("Sending statements to the LRS …")

    def retry_held(self) -> None:
        again = queue.retry_held(self.store)
        if self.sender.push():
            self.message.setText(f"Sending {again:,} held statement(s) again with the rest …")

    def _pushed(self, report) -> None:
        self.message.setText(report.summary(LrsConfig.load(self.store).url))

    def cancel(self) -> None:
        if self.busy():
            self.sender.cancel()
            self.message.setText("Cancelling after the current batch …")

    def _on_failed(self, text: str) -> None:
        self.message.setText(f"Not done: {text}")

    def _busy_changed(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
        self.refresh()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done:,} / {total:,}")


def status_text(store: Store, config: LrsConfig) -> str:
    """One paragraph: what waits, what was refused and why, the last push, the next automatic try."""
    counts = queue.counts(store, config.scope)
    state = PushState.load(store)
    parts = [f"{counts.queued:,} statement(s) waiting, {counts.sent:,} sent"]
    if state.last_push_at:
        parts[-1] += f" (last push {_local(state.last_push_at)})"
    if counts.held:
        first = queue.held(store, 1)
        parts.append(f"{counts.held:,} held" + (f" — the first: {first[0][2]}" if first else "")
                     + " (Retry held sends them again)")
    if state.blocked:
        parts.append(f"Stopped: {state.blocked}")
    elif state.last_error:
        due = state.due()
        parts.append(f"Last try: {state.last_error}"
                     + ("" if due or not config.auto else f"; next automatic try at {_local(state.next_attempt_at)}"))
    if counts.elsewhere and config.scope == "own":
        parts.append(f"{counts.elsewhere:,} made on other stations are left to them")
    return ". ".join(parts) + "."


def _local(stamp: str) -> str:
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%d %b %H:%M") if moment.tzinfo else stamp


class _Message(QLabel):
    """A label that shows only while it has something to say."""

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        super().setText(text)
        self.setVisible(bool(text))


def _wrap(layout) -> QWidget:
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder
