"""Station keys (issue #12): each station signs its batches with its own Ed25519 key, so holding the
team key is no longer enough to publish as another station.

* The private key is made on a station's first sync and kept in the station's own database (the local
  ``station`` table, which never syncs): the station's identity (its id) already lives there, so a
  restored database keeps both, and a fresh database is a new station with a new id and a new key.
* A batch header carries the public key (``station_key``) and a signature (``station_sig``) over the
  rest of the header, which covers the body through its sha256. The team-key HMAC still covers all.
* Trust on first use: the first key a station sees for a station id is pinned (in ``sync_state``,
  local); later batches for that id signed with another key are refused, and once a station signs,
  its unsigned batches numbered at or after its first signed one are refused too. A batch from before
  #12 (unsigned) is accepted while its station has never signed — older stations keep syncing.

What it does not do: it does not stop a team-key holder from publishing as a *new* station (any
station may edit any row: that is the team key's trust), nor from publishing unsigned batches under
the id of a station that has never signed (one still on an older Rolecall) or in the numbers below
a station's first signed batch that were never published. A station's database, copied, lets the
copy sign as that station.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

SIG_DOMAIN = b"rolecall station signature/1\n"
META = "sync.signing_key"
_PIN = "station:"


class StationSigner:
    def __init__(self, private_hex: str):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: PLC0415
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat  # noqa: PLC0415

        self._key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex))
        self.public_hex = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()

    def sign(self, message: bytes) -> str:
        return self._key.sign(SIG_DOMAIN + message).hex()


def verify(public_hex: str, message: bytes, signature_hex: str) -> bool:
    from cryptography.exceptions import InvalidSignature  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey  # noqa: PLC0415

    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(bytes.fromhex(signature_hex), SIG_DOMAIN + message)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def fingerprint(public_hex: str) -> str:
    return "-".join(public_hex[i:i + 4] for i in range(0, 12, 4))


def load_signer(store) -> StationSigner:
    """This station's signer, made (and pinned for this station from its next batch on) the first time."""
    private = store.get_meta(META)
    if private:
        return StationSigner(private)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: PLC0415
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat  # noqa: PLC0415

    raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()).hex()
    with store.transaction() as db:
        existing = db.execute("SELECT value FROM station WHERE key=?", [META]).fetchone()
        if existing:                                  # another process made one meanwhile
            return StationSigner(existing[0])
        db.execute("INSERT INTO station(key, value) VALUES(?, ?)", [META, raw])
        signer = StationSigner(raw)
        row = db.execute("SELECT value FROM sync_state WHERE key='next_seq'").fetchone()
        set_pin(db.conn, store.station_id, Pin(signer.public_hex, int(row[0]) if row else 1, store.station_name))
    return signer


@dataclass
class Pin:
    key: str | None          # None: only unsigned (older) batches seen so far, name remembered
    first_seq: int
    name: str = ""


def get_pin(conn, station: str) -> Pin | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key=?", [_PIN + station]).fetchone()
    if not row:
        return None
    try:
        d = json.loads(row[0])
        return Pin(d.get("key"), int(d.get("first_seq", 1)), str(d.get("name", "")))
    except (ValueError, TypeError, AttributeError):
        return None


def set_pin(conn, station: str, pin: Pin) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES(?, ?)",
                 [_PIN + station, json.dumps({"key": pin.key, "first_seq": pin.first_seq, "name": pin.name})])


def forget_pin(conn, station: str) -> bool:
    """Drop the key pinned for a station (it really lost its key: a database restored from before its
    first signed sync). Its next signed batch is trusted on first use again."""
    return conn.execute("DELETE FROM sync_state WHERE key=?", [_PIN + station]).rowcount > 0


def station_names(conn) -> dict[str, str]:
    out = {}
    for key, value in conn.execute("SELECT key, value FROM sync_state WHERE key LIKE ?", [_PIN + "%"]):
        try:
            out[key[len(_PIN):]] = str(json.loads(value).get("name") or "")
        except (ValueError, AttributeError):
            pass
    return out


def refusal(pin: Pin | None, seq: int, station_key: str | None) -> str | None:
    """Why a verified batch (its signature, if any, matches its ``station_key``) must not be applied
    for the station ``pin`` belongs to; None when it may be."""
    if pin is None or pin.key is None:
        return None
    if station_key is None:
        if seq < pin.first_seq:
            return None                      # from before that station signed (arrived late)
        return (f"not signed, though that station signs its batches since its batch {pin.first_seq} "
                "(someone with the team key is publishing as that station)")
    if station_key != pin.key:
        return (f"signed by a different station key ({fingerprint(station_key)}) than the one this "
                f"station holds for that station ({fingerprint(pin.key)}): someone with the team key is "
                "publishing as that station")
    return None


def remember(conn, station: str, seq: int, station_key: str | None, name: str) -> None:
    """After applying a batch: pin a first key, remember the station's name."""
    pin = get_pin(conn, station)
    if pin is None:
        set_pin(conn, station, Pin(station_key, seq, name))
    elif pin.key is None and station_key is not None:
        set_pin(conn, station, Pin(station_key, seq, name or pin.name))
    elif name and name != pin.name:
        set_pin(conn, station, Pin(pin.key, pin.first_seq, name))
