"""The team sync key: set once per station, kept in a file in the data dir (mode 0600), never in the
database (databases get copied for support and backups; a key file is easy to leave out).

The key is any text the team shares (a generated one is best: ``rolecall sync set-key --generate``).
It is stretched with PBKDF2 into the HMAC key that signs every batch; ``key_id`` is a short
fingerprint stations can compare ("ab12-cd34-ef56") and that lets a station tell "signed with another
team key" apart from "tampered with".
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from store.sync.errors import NoKey, SyncError

KEY_FILE = "sync.key"
_SALT = b"rolecall-team-key/1"
_ROUNDS = 100_000


@functools.lru_cache(maxsize=8)
def _stretch(text: str) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", text.encode("utf-8"), _SALT, _ROUNDS)


@dataclass(frozen=True)
class TeamKey:
    secret: bytes

    @classmethod
    def from_text(cls, text: str) -> "TeamKey":
        text = (text or "").strip()
        if len(text) < 8:
            raise SyncError("A team key needs at least 8 characters (a generated one is best: "
                            "`rolecall sync set-key --generate`).")
        return cls(_stretch(text))

    @property
    def key_id(self) -> str:
        return hmac.new(self.secret, b"rolecall key id", hashlib.sha256).hexdigest()[:16]

    @property
    def fingerprint(self) -> str:
        k = self.key_id[:12]
        return "-".join(k[i:i + 4] for i in range(0, 12, 4))

    def sign(self, data: bytes) -> str:
        return hmac.new(self.secret, data, hashlib.sha256).hexdigest()

    def verify(self, data: bytes, signature: str) -> bool:
        return hmac.compare_digest(self.sign(data), signature or "")


def generate_key_text() -> str:
    return secrets.token_urlsafe(24)


def key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


def save_key(data_dir: Path, text: str) -> TeamKey:
    """Validate and store the key text with mode 0600 (written to a temp file, then renamed)."""
    key = TeamKey.from_text(text)
    path = key_path(data_dir)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, (text.strip() + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return key


def read_key_file(path: Path) -> TeamKey:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise NoKey(f"The key file {path} does not exist.") from exc
    except OSError as exc:
        raise NoKey(f"Cannot read the key file {path}: {exc.strerror or exc}") from exc
    return TeamKey.from_text(text)


def load_key(data_dir: Path, key_file: Path | None = None) -> TeamKey:
    """The key from ``key_file`` if given, else the station's saved key."""
    if key_file is not None:
        return read_key_file(key_file)
    path = key_path(data_dir)
    if not path.exists():
        raise NoKey("This station has no team sync key yet. Set the team's key in Settings, or run "
                    "`rolecall sync set-key`.")
    return read_key_file(path)


def has_key(data_dir: Path) -> bool:
    return key_path(data_dir).exists()
