"""Time stamps and identifiers for records that may leave the station."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone


def now_iso() -> str:
    """The current UTC time as ISO 8601 with milliseconds, e.g. 2026-11-23T10:42:00.123Z."""
    return to_iso(datetime.now(timezone.utc))


def to_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def new_id() -> str:
    return str(uuid.uuid4())


# Kit items (terms, rubrics, criteria, exercises, programs) get ids derived from their slugs, so every
# station that imports the same kit holds the same ids and sync merges them instead of duplicating.
KIT_NAMESPACE = uuid.UUID("6f1c2a9e-5b7d-4e0a-9c1e-7a3b2d4f8e10")


def kit_id(kind: str, slug: str) -> str:
    return str(uuid.uuid5(KIT_NAMESPACE, f"{kind}:{slug}"))
