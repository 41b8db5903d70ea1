"""The LRS secret: in the OS keyring where there is one, else a 0600 file in the data folder — never in
the database (so never in a sync batch or a set-up file)."""
from __future__ import annotations

import os
import stat

import keyring.backend
import pytest

from cli_helpers import run_cli
from store.xapi.secret import SERVICE, SecretStore


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend like the OS ones, keeping passwords in memory."""
    priority = 1

    def __init__(self):
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def set_password(self, service, username, password):
        self.saved[(service, username)] = password

    def get_password(self, service, username):
        return self.saved.get((service, username))

    def delete_password(self, service, username):
        self.saved.pop((service, username), None)


class LockedKeyring(MemoryKeyring):
    def set_password(self, service, username, password):
        raise keyring.errors.KeyringLocked("the keyring is locked")


def test_the_secret_goes_to_the_os_keyring_where_there_is_one(store):
    backend = MemoryKeyring()
    secrets = SecretStore(store.data_dir, store.station_id, backend)
    saved = secrets.save("p4ss")
    assert saved.where == "keyring" and backend.saved == {(SERVICE, store.station_id): "p4ss"}
    assert not secrets.path.exists() and secrets.load() == "p4ss"
    assert secrets.where().startswith("in the OS keyring")


@pytest.mark.parametrize("backend", [None, LockedKeyring()], ids=["no-keyring", "keyring-refuses"])
def test_without_a_keyring_the_secret_is_a_file_only_the_user_can_read(store, backend):
    secrets = SecretStore(store.data_dir, store.station_id, backend)
    saved = secrets.save("p4ss")
    assert saved.where == "file" and "readable only by you" in saved.detail
    assert stat.S_IMODE(os.stat(secrets.path).st_mode) == 0o600
    assert secrets.path.parent == store.data_dir and secrets.load() == "p4ss"
    assert "no OS keyring" in secrets.where() or "refused" in saved.detail


def test_lrs_set_keeps_the_secret_out_of_the_database(store, monkeypatch):
    monkeypatch.setenv("ROLECALL_SECRET_STORE", "file")
    secret = "very-secret-9c1f"
    result = run_cli(store, "lrs", "set", "https://lrs.example.com/xAPI/", "--key", "rolecall", "--secret", secret,
                     "--no-check")
    assert result.exit_code == 0, result.output
    assert "readable only by you" in result.output
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for name in os.listdir(store.data_dir):
        if name.startswith("rolecall.db"):
            assert secret.encode() not in (store.data_dir / name).read_bytes(), name
    assert not any(secret in str(v) for (v,) in store.db.execute("SELECT value FROM station"))
    assert (store.data_dir / "lrs.secret").read_text() == secret
    status = run_cli(store, "lrs", "status")
    assert secret not in status.output and "lrs.secret" in status.output
