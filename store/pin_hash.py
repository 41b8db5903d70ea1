"""PIN rules and hashes, below both the PIN repository (store/pins.py) and the rules of who confirms
(store/pin_auth.py): scrypt hashing, the new-PIN policy, the lockout schedule and the errors a person
at the station reads. No database here."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1     # ~16 MiB and tens of ms per check
FREE_ATTEMPTS = 3
BASE_LOCK_S = 30
MAX_LOCK_S = 3600
MIN_PIN_LENGTH = 6
MAX_PIN_LENGTH = 64
WHERE_PINS_LIVE = ("PINs stay on the station where they are set (they are never synced): "
                   "set one on each station where you sign off.")


class PinError(Exception):
    """A PIN could not be set or was refused; the message is for the person at the station."""


class WrongPin(PinError):
    def __init__(self, failures: int, locked_for_s: int):
        self.failures = failures
        self.locked_for_s = locked_for_s
        extra = f" Too many wrong PINs: try again in {human_wait(locked_for_s)}." if locked_for_s else \
            f" {FREE_ATTEMPTS - failures} attempt(s) left before the PIN is locked." \
            if failures < FREE_ATTEMPTS else ""
        super().__init__("Wrong PIN." + extra)


class PinLocked(PinError):
    def __init__(self, seconds: int, what: str = "PINs"):
        self.seconds = seconds
        super().__init__(f"Too many wrong {what}: try again in {human_wait(seconds)}.")


class NoPin(PinError):
    pass


def human_wait(seconds: int) -> str:
    seconds = max(1, int(seconds))
    return f"{seconds} s" if seconds < 90 else f"{round(seconds / 60)} min"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P,
             salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=0, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_hash(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(pin.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), maxmem=0, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def _straight_run(pin: str) -> bool:
    if len(pin) < 3 or not pin.isascii():
        return False
    steps = {ord(b) - ord(a) for a, b in zip(pin, pin[1:])}
    return steps in ({1}, {-1})


def check_new_pin(pin: str) -> str:
    pin = pin or ""
    if pin != pin.strip():
        raise PinError("A PIN cannot start or end with spaces.")
    if len(pin) < MIN_PIN_LENGTH:
        raise PinError(f"A PIN needs at least {MIN_PIN_LENGTH} characters.")
    if len(pin) > MAX_PIN_LENGTH:
        raise PinError(f"A PIN can have at most {MAX_PIN_LENGTH} characters.")
    if len(set(pin)) == 1:
        raise PinError("A PIN of one repeated character is too easy to guess.")
    if _straight_run(pin):
        raise PinError("A straight run such as 123456 is too easy to guess.")
    return pin


def lock_seconds(failures: int) -> int:
    """How long the PIN is locked after ``failures`` wrong attempts in a row (0: not locked)."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_LOCK_S, BASE_LOCK_S * 2 ** min(failures - FREE_ATTEMPTS, 32))
