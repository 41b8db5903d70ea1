"""The Sync group on the Settings page: hub location, team key, automatic sync, fetch all media."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QWidget)

from store.db import Store
from store.sync import SyncConfig, SyncError, save_key
from store.sync.keys import key_path, read_key_file


class SyncSettingsGroup(QGroupBox):
    changed = Signal()

    def __init__(self, store: Store, parent=None):
        super().__init__("Sync", parent)
        self.setObjectName("syncSettings")
        self.store = store
        config = SyncConfig.load(store)

        self.hub = QLineEdit(config.hub)
        self.hub.setPlaceholderText("A shared folder or USB stick, or s3://bucket/prefix")
        self.hub.editingFinished.connect(self._save)
        browse = QPushButton("Choose folder…")
        browse.clicked.connect(self._browse)
        hub_row = QHBoxLayout()
        hub_row.addWidget(self.hub, 1)
        hub_row.addWidget(browse)

        self.endpoint = QLineEdit(config.endpoint_url)
        self.endpoint.setPlaceholderText("Only for S3-compatible services (MinIO, Ceph …), e.g. https://minio.local:9000")
        self.endpoint.editingFinished.connect(self._save)

        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("Paste the team's sync key")
        self.key.returnPressed.connect(self._save_key)
        save = QPushButton("Save key")
        save.clicked.connect(self._save_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(save)
        self.fingerprint = QLabel()
        self.fingerprint.setWordWrap(True)

        self.auto = QCheckBox("Sync automatically while the hub is reachable")
        self.auto.setChecked(config.auto)
        self.auto.toggled.connect(self._save)
        self.fetch_all = QCheckBox("Download every take's video at each sync (coach and certifier machines)")
        self.fetch_all.setChecked(config.fetch_all_media)
        self.fetch_all.toggled.connect(self._save)
        note = QLabel("S3 credentials come from the usual AWS settings on this computer (environment "
                      "or profile); Rolecall does not store them.")
        note.setWordWrap(True)
        note.setObjectName("hint")

        form = QFormLayout(self)
        form.addRow("&Hub", _wrap(hub_row))
        form.addRow("S3 &endpoint", self.endpoint)
        form.addRow("Team &key", _wrap(key_row))
        form.addRow("", self.fingerprint)
        form.addRow("", self.auto)
        form.addRow("", self.fetch_all)
        form.addRow("", note)
        self._show_fingerprint()

    def config(self) -> SyncConfig:
        return SyncConfig(hub=self.hub.text().strip(), endpoint_url=self.endpoint.text().strip(),
                          auto=self.auto.isChecked(), fetch_all_media=self.fetch_all.isChecked())

    def _save(self) -> None:
        new = self.config()
        if new != SyncConfig.load(self.store):
            new.save(self.store)
            self.changed.emit()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the hub folder", self.hub.text())
        if folder:
            self.hub.setText(folder)
            self._save()

    def _save_key(self) -> None:
        text = self.key.text()
        if not text.strip():
            return
        try:
            save_key(self.store.data_dir, text)
        except (SyncError, OSError) as exc:
            self.fingerprint.setText(f"Not saved: {exc}")
            return
        self.key.clear()
        self._show_fingerprint(saved=True)
        self.changed.emit()

    def _show_fingerprint(self, saved: bool = False) -> None:
        try:
            key = read_key_file(key_path(self.store.data_dir))
        except SyncError:
            self.fingerprint.setText("No team key on this station yet: syncing needs the same key on "
                                     "every station.")
            return
        self.fingerprint.setText(("Saved. " if saved else "") + f"Key fingerprint {key.fingerprint} — it "
                                 "must be the same on every station.")


def _wrap(layout) -> QWidget:
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder
