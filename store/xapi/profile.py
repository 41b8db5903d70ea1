"""The Rolecall xAPI profile: every verb, activity type and extension IRI, and the statement ids.

Pure (no database, no Qt). docs/xapi.md describes each IRI; tests/test_xapi_profile.py keeps that
document and this module in step, so a new IRI cannot ship undocumented.

Statement ids are UUID5s of (kind, record id) in :data:`STATEMENT_NAMESPACE`: the same fact always gets
the same id, on every station and in every export, so an LRS stores a re-sent statement once.
"""
from __future__ import annotations

import hashlib
import math
import uuid

PROFILE = "https://w3id.org/xapi/rolecall"
VERSION_HEADER = "1.0.3"

ADL = "http://adlnet.gov/expapi"
VERBS = {
    "attempted": f"{ADL}/verbs/attempted",
    "completed": f"{ADL}/verbs/completed",
    "scored": f"{ADL}/verbs/scored",
    "passed": f"{ADL}/verbs/passed",
    "failed": f"{ADL}/verbs/failed",
    "voided": f"{ADL}/verbs/voided",
    "promoted": f"{PROFILE}/verbs/promoted",
}

ACTIVITY_TYPES = {
    "exercise": f"{ADL}/activities/performance",    # a teach-back or role-play of the kit
    "program": f"{ADL}/activities/assessment",      # a certification program
    "take": f"{ADL}/activities/media",              # one recorded take (video)
    "profile": f"{ADL}/activities/profile",         # this profile, in context.contextActivities.category
}

EXT = f"{PROFILE}/extensions"
EXTENSIONS = {
    "exercise-kind": f"{EXT}/exercise-kind",            # context: "teach-back" | "role-play"
    "station": f"{EXT}/station",                        # context: {"id", "name"} of the station
    "take": f"{EXT}/take",                              # context: the take's record id
    "rubric": f"{EXT}/rubric",                          # context: {"slug", "version"}
    "scorer-role": f"{EXT}/scorer-role",                # context: "peer" | "coach" | "certifier"
    "scorecard-version": f"{EXT}/scorecard-version",    # context: 1, 2 … (a revision supersedes)
    "criterion-scores": f"{EXT}/criterion-scores",      # result: [{criterion, name, score, weight}]
    "evidence": f"{EXT}/evidence",                      # result: [{criterion, at_s}] cited moments
    "program-version": f"{EXT}/program-version",        # context: the program's version
    "valid-until": f"{EXT}/valid-until",                # result: date a certificate expires
    "criterion-means": f"{EXT}/criterion-means",        # result: {criterion slug: mean peer score}
}

DISPLAY = {"attempted": "attempted", "completed": "completed", "scored": "scored", "passed": "passed",
           "failed": "failed", "voided": "voided", "promoted": "promoted as an exemplar"}

STATEMENT_NAMESPACE = uuid.UUID("3a0e6c52-8f0b-4d8e-b1a4-6f7c2d9e5b13")   # never change: ids derive from it
KINDS = ("attempted", "completed", "scored", "voided", "decision", "exemplar")
DEFAULT_HOME_PAGE = "https://rolecall.invalid"
LANGUAGE = "en"


_NS_BYTES = STATEMENT_NAMESPACE.bytes


def _uuid5(name: str) -> str:
    """``str(uuid.uuid5(STATEMENT_NAMESPACE, name))``, four times faster (exports make millions)."""
    digest = bytearray(hashlib.sha1(_NS_BYTES + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def statement_id(kind: str, record_id: str) -> str:
    """The id of the statement of this kind about this record, the same everywhere."""
    return _uuid5(f"{kind}:{record_id}")


def registration(take_id: str) -> str:
    """One registration per take: its attempted, completed and scored statements share it."""
    return _uuid5(f"registration:{take_id}")


def verb(name: str) -> dict:
    return {"id": VERBS[name], "display": {"en-US": DISPLAY[name]}}


def duration(seconds: float | None) -> str | None:
    """ISO 8601 duration to 0.01 s (the precision xAPI asks for), e.g. ``PT95.5S``."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return None
    text = f"{round(seconds, 2):.2f}".rstrip("0").rstrip(".")
    return f"PT{text}S"


def mbox(email: str) -> str:
    """``mailto:`` IRI with the domain in lower case (xAPI asks for that before hashing)."""
    local, _, domain = email.strip().rpartition("@")
    return f"mailto:{local}@{domain.lower()}"


def mbox_sha1sum(email: str) -> str:
    return hashlib.sha1(mbox(email).encode("utf-8")).hexdigest()


def agent(person_id: str, name: str | None, email: str | None, home_page: str,
          pseudonymise: bool = False) -> dict:
    """A person as an xAPI Agent: by email (``mbox``) when known, else an ``account`` named by their
    Rolecall id on ``home_page``. Pseudonymised: ``mbox_sha1sum`` (or the opaque account) and no name."""
    out: dict = {"objectType": "Agent"}
    if not pseudonymise and name:
        out["name"] = name
    if email:
        out["mbox_sha1sum" if pseudonymise else "mbox"] = mbox_sha1sum(email) if pseudonymise else mbox(email)
    else:
        out["account"] = {"homePage": home_page, "name": person_id}
    return out


def activity_id(home_page: str, kind: str, key: str) -> str:
    """``{home page}/exercises/{slug}``, ``…/programs/{slug}``, ``…/takes/{record id}``."""
    return f"{home_page.rstrip('/')}/{kind}/{key}"


PROFILE_ACTIVITY = {"objectType": "Activity", "id": PROFILE, "definition": {"type": ACTIVITY_TYPES["profile"]}}


def profile_activity() -> dict:
    """The profile as a category activity (one shared object: never change it in place)."""
    return PROFILE_ACTIVITY
