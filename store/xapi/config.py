"""A station's LRS settings and push schedule, kept in the local ``station`` table (never synced, never
in a set-up file). The secret is not here: store/xapi/secret.py keeps it in the OS keyring."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit, urlunsplit

from store.clock import parse_iso, to_iso
from store.db import Store
from store.xapi.profile import DEFAULT_HOME_PAGE
from store.xapi.statements import Identity

PREFIX = "xapi."
MAX_BATCH = 1000


class ConfigError(ValueError):
    pass


def normal_endpoint(url: str) -> str:
    """The LRS endpoint as the xAPI resources hang off it, ending in '/': ``https://lrs/xAPI/``. A bare
    host gets ``/xAPI/``; a URL given with ``/statements`` at the end loses it."""
    text = (url or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"'{text}' is not an LRS address; give its xAPI endpoint, e.g. "
                          "https://lrs.example.com/xAPI/")
    if parts.query or parts.fragment:
        raise ConfigError(f"'{text}' has a query or fragment; give the LRS's xAPI endpoint only.")
    path = parts.path.rstrip("/")
    if path.lower().endswith("/statements"):
        path = path[: -len("/statements")]
    if not path:
        path = "/xAPI"
    return urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


def normal_home_page(url: str) -> str:
    text = (url or "").strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"'{text}' is not a home page; give a URL your organisation controls, e.g. "
                          "https://learning.example.com/rolecall")
    return text


@dataclass
class LrsConfig:
    url: str = ""
    key: str = ""
    auto: bool = False                   # send by itself while the app runs and the LRS answers
    home_page: str = DEFAULT_HOME_PAGE    # accounts' homePage and the base of activity ids
    pseudonymise: bool = False           # mbox_sha1sum and no names
    scope: str = "own"                   # 'own': records made here; 'all': every record the station holds
    batch_size: int = 100

    @classmethod
    def load(cls, store: Store) -> "LrsConfig":
        out = cls()
        for f in fields(cls):
            raw = store.get_meta(PREFIX + f.name)
            if raw is None:
                continue
            if f.type in ("bool", bool):
                setattr(out, f.name, raw == "1")
            elif f.type in ("int", int):
                setattr(out, f.name, max(1, min(MAX_BATCH, int(raw))) if raw.isdigit() else out.batch_size)
            else:
                setattr(out, f.name, raw)
        if out.scope not in ("own", "all"):
            out.scope = "own"
        return out

    def save(self, store: Store) -> None:
        with store.transaction() as db:
            for f in fields(self):
                value = getattr(self, f.name)
                value = ("1" if value else "0") if isinstance(value, bool) else str(value)
                db.execute("INSERT OR REPLACE INTO station(key, value) VALUES(?, ?)", [PREFIX + f.name, value])

    @property
    def identity(self) -> Identity:
        return Identity(self.home_page or DEFAULT_HOME_PAGE, self.pseudonymise)

    @property
    def configured(self) -> bool:
        return bool(self.url and self.key)


def retry_delay(failures: int) -> timedelta:
    """Back-off after ``failures`` pushes in a row that could not reach the LRS: 1, 2, 4 … minutes,
    at most an hour."""
    if failures <= 0:
        return timedelta(0)
    return timedelta(minutes=min(60, 2 ** (failures - 1)))


@dataclass
class PushState:
    """What the last pushes did: the status line and the automatic push's schedule."""
    failures: int = 0
    next_attempt_at: str = ""
    last_error: str = ""
    blocked: str = ""            # the LRS refused the key: no automatic push until the settings change
    last_push_at: str = ""
    last_sent: int = 0

    _KEYS = ("failures", "next_attempt_at", "last_error", "blocked", "last_push_at", "last_sent")

    @classmethod
    def load(cls, store: Store) -> "PushState":
        get = store.get_meta
        raw = {k: get(f"{PREFIX}state.{k}") or "" for k in cls._KEYS}
        return cls(int(raw["failures"] or 0), raw["next_attempt_at"], raw["last_error"], raw["blocked"],
                   raw["last_push_at"], int(raw["last_sent"] or 0))

    def save(self, store: Store) -> None:
        with store.transaction() as db:
            for k in self._KEYS:
                db.execute("INSERT OR REPLACE INTO station(key, value) VALUES(?, ?)",
                           [f"{PREFIX}state.{k}", str(getattr(self, k))])

    def due(self, now: datetime | None = None) -> bool:
        """May an automatic push start now?"""
        if self.blocked:
            return False
        if not self.next_attempt_at:
            return True
        now = now or datetime.now(timezone.utc)
        return now >= parse_iso(self.next_attempt_at)

    def failed(self, message: str, now: datetime, refused: bool = False) -> None:
        self.failures += 1
        self.last_error = message
        self.next_attempt_at = to_iso(now + retry_delay(self.failures))
        if refused:
            self.blocked = message

    def succeeded(self, sent: int, now: datetime) -> None:
        self.failures, self.next_attempt_at, self.last_error, self.blocked = 0, "", "", ""
        self.last_push_at, self.last_sent = to_iso(now), sent
