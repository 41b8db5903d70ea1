"""Where the LRS secret lives: the OS keyring (Windows Credential Manager, macOS Keychain, the Secret
Service on a Linux desktop) through ``keyring``; on a computer with no keyring (a headless Linux
station) a file in the station's data folder that only this user can read (mode 0600), never in the
database, so it is in no sync batch and no set-up file. ``ROLECALL_SECRET_STORE=file`` chooses the
file even where a keyring exists (a kiosk account whose keyring would ask to be unlocked)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SERVICE = "Rolecall LRS"
FILE_NAME = "lrs.secret"
ENV = "ROLECALL_SECRET_STORE"


class SecretError(RuntimeError):
    pass


@dataclass(frozen=True)
class Saved:
    where: str          # 'keyring' or 'file'
    detail: str         # the keyring's name, or the file's path and why it is a file


def _keyring():
    """The keyring backend, or None where there is none that stores anything."""
    if os.environ.get(ENV, "").lower() == "file":
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    chained = getattr(backend, "backends", None)
    if chained is not None and not chained:
        return None
    return backend


class SecretStore:
    """The secret of this station's LRS key. ``backend`` (tests) replaces the system keyring."""

    def __init__(self, data_dir: Path, station_id: str, backend=...):
        self.path = Path(data_dir) / FILE_NAME
        self.user = station_id
        self._backend = _keyring() if backend is ... else backend

    def save(self, secret: str) -> Saved:
        if not secret:
            raise SecretError("The LRS secret is empty.")
        if self._backend is not None:
            try:
                self._backend.set_password(SERVICE, self.user, secret)
            except Exception as exc:  # noqa: BLE001 - any keyring failure falls back to the file
                return self._save_file(secret, f"the keyring refused it ({exc})")
            self.path.unlink(missing_ok=True)
            return Saved("keyring", type(self._backend).__name__)
        return self._save_file(secret, "this computer has no OS keyring")

    def _save_file(self, secret: str, why: str) -> Saved:
        temp = self.path.with_name(self.path.name + ".tmp")
        temp.unlink(missing_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secret.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, self.path)
        return Saved("file", f"{self.path} (readable only by you; {why})")

    def load(self) -> str | None:
        if self._backend is not None:
            try:
                found = self._backend.get_password(SERVICE, self.user)
            except Exception:  # noqa: BLE001
                found = None
            if found:
                return found
        try:
            return self.path.read_text(encoding="utf-8") or None
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SecretError(f"Cannot read the LRS secret from {self.path}: {exc.strerror or exc}") from exc

    def where(self) -> str:
        """Where the secret is now, in words."""
        if self._backend is not None:
            try:
                if self._backend.get_password(SERVICE, self.user):
                    return f"in the OS keyring ({type(self._backend).__name__})"
            except Exception:  # noqa: BLE001
                pass
        if self.path.is_file():
            return f"in {self.path} (readable only by you: this computer has no OS keyring)"
        return "not set"
