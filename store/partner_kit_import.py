"""Importing a partner kit's exemplar takes (the second half of ``rolecall import-kit DIR``). No Qt.

The folder comes from another organisation, so nothing in it is trusted (issue #12):

* the manifest and each transcript are checked field by field before anything is written; a problem
  names the file, the exemplar and the field, and skips that exemplar only;
* a file named by the manifest must lie inside the kit folder once links are followed, and never in
  this station's data folder;
* media are stored content-addressed, ``media/partner/<sha256>.<ext>``: copied to a private temp file,
  hashed on the way, checked against the manifest, then linked into place create-only. Two kits'
  ``take.mp4`` never meet, the same take imported twice is stored once, and a file already there is
  never replaced;
* ids must look like ids (they end up in file names when the kit is exported again);
* each take's rows go in one transaction; a database refusal (an id already used) skips that take.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from store.clock import kit_id
from store.db import Store
from store.hashing import sha256_file  # noqa: F401 - partner_kit imports it from here

FORMAT = "rolecall-partner-kit/1"
MANIFEST = "exemplars.json"
MAX_JSON_BYTES = 64 * 1024 * 1024
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


class PartnerKitError(ValueError):
    pass


@dataclass
class PartnerImport:
    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{len(self.imported)} exemplar take(s) imported"
        if self.skipped:
            text += f", {len(self.skipped)} already here"
        if self.problems:
            text += f"; {len(self.problems)} skipped with problems:\n  " + "\n  ".join(self.problems)
        return text


# -- reading and checking -------------------------------------------------------------------------
def read_json(path: Path, what: str):
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise PartnerKitError(f"{path}: {what} is larger than {MAX_JSON_BYTES >> 20} MB")
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PartnerKitError(f"{path} cannot be read: {exc}") from exc
    except ValueError as exc:          # json.JSONDecodeError names the line and column
        raise PartnerKitError(f"{path}: not valid JSON: {str(exc)[:200]}") from exc
    except RecursionError as exc:
        raise PartnerKitError(f"{path}: not valid JSON: nested too deeply") from exc


def _text(value, name: str, optional: bool = False, limit: int = 1_000_000) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise PartnerKitError(f"{name} must be text" + ("" if limit >= 1_000_000 else f" of at most {limit} characters"))
    return value


def _number(value, name: str, optional: bool = True) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or abs(value) > 1e9:
        raise PartnerKitError(f"{name} must be a finite number")
    return value


def _ident(value, name: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not ID.match(value):
        raise PartnerKitError(f"{name} must be an id (letters, digits and dashes), not {str(value)[:60]!r}")
    return value


def check_entry(entry) -> dict:
    """One exemplar of the manifest, its types checked (raises PartnerKitError naming the field)."""
    if not isinstance(entry, dict):
        raise PartnerKitError("an exemplar must be a JSON object")
    sha = entry.get("sha256")
    if not isinstance(sha, str) or not SHA256.match(sha):
        raise PartnerKitError("sha256 must be 64 lower-case hex digits")
    for flag in ("has_video", "has_audio"):
        if not isinstance(entry.get(flag, True), bool):
            raise PartnerKitError(f"{flag} must be true or false")
    return {"recording_id": _ident(entry.get("recording_id"), "recording_id"),
            "exemplar_id": _ident(entry.get("exemplar_id"), "exemplar_id", optional=True),
            "exercise": _text(entry.get("exercise"), "exercise", limit=200),
            "media": _text(entry.get("media"), "media", limit=1000),
            "sha256": sha,
            "transcript": _text(entry.get("transcript"), "transcript", optional=True, limit=1000),
            "rep": _text(entry.get("rep"), "rep", optional=True, limit=200),
            "reason": _text(entry.get("reason"), "reason", optional=True, limit=10_000),
            "duration_s": _number(entry.get("duration_s"), "duration_s"),
            "submitted_at": _text(entry.get("submitted_at"), "submitted_at", optional=True, limit=40),
            "has_video": entry.get("has_video", True), "has_audio": entry.get("has_audio", True)}


def check_transcript(t) -> dict:
    if not isinstance(t, dict):
        raise PartnerKitError("a transcript must be a JSON object")
    segments, hits = t.get("segments", []), t.get("term_hits", [])
    if not isinstance(segments, list) or not isinstance(hits, list):
        raise PartnerKitError("segments and term_hits must be lists")
    metrics = t.get("metrics") or {}
    if not isinstance(metrics, dict):
        raise PartnerKitError("metrics must be an object")
    out_segments, seen = [], set()
    for n, s in enumerate(segments, 1):
        where = f"segment {n}"
        if not isinstance(s, dict):
            raise PartnerKitError(f"{where} must be an object")
        idx = s.get("idx")
        if isinstance(idx, bool) or not isinstance(idx, int) or not 0 <= idx < 10_000_000 or idx in seen:
            raise PartnerKitError(f"{where}: idx must be a new whole number")
        seen.add(idx)
        words = s.get("words") or []
        if not isinstance(words, list):
            raise PartnerKitError(f"{where}: words must be a list")
        out_segments.append({"idx": idx, "start_s": _number(s.get("start_s"), f"{where}: start_s", False),
                             "end_s": _number(s.get("end_s"), f"{where}: end_s", False),
                             "text": _text(s.get("text"), f"{where}: text"), "words": json.dumps(words),
                             "no_speech_prob": _number(s.get("no_speech_prob"), f"{where}: no_speech_prob")})
    out_hits = []
    for n, h in enumerate(hits, 1):
        where = f"term hit {n}"
        if not isinstance(h, dict):
            raise PartnerKitError(f"{where} must be an object")
        out_hits.append({"term": _text(h.get("term"), f"{where}: term", limit=200),
                         "start_s": _number(h.get("start_s"), f"{where}: start_s", False),
                         "end_s": _number(h.get("end_s"), f"{where}: end_s", False),
                         "text": _text(h.get("text"), f"{where}: text", limit=10_000),
                         "score": _number(h.get("score"), f"{where}: score")})
    return {"id": _ident(t.get("id"), "transcript id"), "model": _text(t.get("model"), "model", True, 200),
            "language": _text(t.get("language"), "language", True, 20), "text": _text(t.get("text", ""), "text"),
            "duration_s": _number(t.get("duration_s"), "duration_s"), "complete": 1 if t.get("complete", 1) else 0,
            "metrics": json.dumps(metrics), "segments": out_segments, "term_hits": out_hits}


def inside(store: Store, folder: Path, relative: str, what: str) -> Path:
    """A file named by the manifest: inside the kit folder once links are followed, a regular file,
    and not one of this station's own files."""
    path = (folder / relative).resolve()
    if folder.resolve() not in path.parents or not path.is_file():
        raise PartnerKitError(f"{what} {relative} is missing from the kit folder")
    if store.data_dir.resolve() in path.parents:
        raise PartnerKitError(f"{what} {relative} is inside this station's data folder; import a copy of "
                              "the kit from elsewhere")
    return path


# -- storing ---------------------------------------------------------------------------------------
def store_media(store: Store, source: Path, sha256: str) -> tuple[str, int]:
    """Copy ``source`` to ``media/partner/<sha256><ext>`` if its content hashes to ``sha256``; return
    (relative path, size). An identical file already there is reused; a different one is never replaced."""
    suffix = source.suffix.lower() if SUFFIX.match(source.suffix.lower()) else ".mp4"
    rel = Path("media") / "partner" / f"{sha256}{suffix}"
    target = store.data_dir / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".import-", suffix=".part", dir=target.parent)
    try:
        digest, size = hashlib.sha256(), 0
        with open(source, "rb") as src, os.fdopen(handle, "wb") as out:
            for block in iter(lambda: src.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
                size += len(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise PartnerKitError(f"media file {source.name} is damaged (checksum differs)")
        try:
            os.link(temp, target)                      # create-only: never replaces a file
        except FileExistsError:
            if sha256_file(target) != sha256:
                raise PartnerKitError(f"{rel.as_posix()} is already here with other content; it was left "
                                      "as it is and this take skipped") from None
        except OSError:                                # no hard links on this file system
            if target.exists():
                raise PartnerKitError(f"{rel.as_posix()} appeared meanwhile; try again") from None
            os.replace(temp, target)
    finally:
        Path(temp).unlink(missing_ok=True)
    return rel.as_posix(), size


def import_exemplars(store: Store, folder: Path) -> PartnerImport:
    """Bring a partner kit's exemplar takes and transcripts in (call after its kit.yaml is imported)."""
    folder = Path(folder)
    report = PartnerImport()
    path = folder / MANIFEST
    if not path.is_file():
        return report
    manifest = read_json(path, "the manifest")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PartnerKitError(f"{path} is not a Rolecall partner kit ({FORMAT}).")
    entries = manifest.get("exemplars", [])
    if not isinstance(entries, list):
        raise PartnerKitError(f"{path}: 'exemplars' must be a list")
    for number, raw in enumerate(entries, 1):
        label = raw.get("recording_id") if isinstance(raw, dict) else None
        label = label if isinstance(label, str) and ID.match(label) else f"exemplar {number}"
        try:
            entry = check_entry(raw)
            if _import_one(store, folder, entry):
                report.imported.append(entry["recording_id"])
            else:
                report.skipped.append(entry["recording_id"])
        except (PartnerKitError, OSError) as exc:
            report.problems.append(f"{MANIFEST}, {label}: {exc}")
        except sqlite3.Error as exc:
            report.problems.append(f"{MANIFEST}, {label}: not stored ({exc}); an id may already be in use here")
    return report


def _import_one(store: Store, folder: Path, entry: dict) -> bool:
    rid = entry["recording_id"]
    if store.db.execute("SELECT 1 FROM recordings WHERE id=?", [rid]).fetchone():
        return False
    exercise_id = kit_id("exercise", entry["exercise"])
    if not store.db.execute("SELECT 1 FROM exercises WHERE id=?", [exercise_id]).fetchone():
        raise PartnerKitError(f"exercise {entry['exercise'][:60]!r} is not in this station's kit")
    transcript = None
    if entry["transcript"]:
        source = inside(store, folder, entry["transcript"], "transcript")
        try:
            transcript = check_transcript(read_json(source, "the transcript"))
        except PartnerKitError as exc:
            raise PartnerKitError(f"{entry['transcript']}: {exc}") from None
    rel, size = store_media(store, inside(store, folder, entry["media"], "media file"), entry["sha256"])
    who = f" — {entry['rep']}'s take" if entry["rep"] else ""
    with store.transaction() as db:
        f = store.record_fields()
        db["recordings"].insert({**f, "id": rid, "updated_at": f["created_at"], "rep_id": None,
                                 "exercise_id": exercise_id, "status": "submitted", "source": "partner-kit",
                                 "started_at": entry["submitted_at"], "submitted_at": entry["submitted_at"],
                                 "duration_s": entry["duration_s"], "media_path": rel,
                                 "media_sha256": entry["sha256"], "media_size": size,
                                 "has_video": int(entry["has_video"]), "has_audio": int(entry["has_audio"])})
        if transcript is not None:
            _insert_transcript(store, db, rid, transcript)
        x = store.record_fields()
        db["exemplars"].insert({**x, "id": entry["exemplar_id"] or x["id"], "updated_at": x["created_at"],
                                "recording_id": rid, "exercise_id": exercise_id, "promoted_by": None,
                                "reason": f"Partner kit{who}: {entry['reason'] or ''}".rstrip(": ")})
    return True


def _insert_transcript(store: Store, db, recording_id: str, t: dict) -> None:
    tid = t["id"]
    db["transcripts"].insert({**store.record_fields(), "id": tid, "recording_id": recording_id,
                              "model": t["model"], "language": t["language"], "text": t["text"],
                              "duration_s": t["duration_s"], "complete": t["complete"], "metrics": t["metrics"]})
    for s in t["segments"]:
        db["segments"].insert({**store.record_fields(), "transcript_id": tid, **s})
    known = {r[0] for r in db.execute("SELECT id FROM terms WHERE deleted=0")}
    for h in t["term_hits"]:
        term_id = kit_id("term", h["term"])
        if term_id in known:
            db["term_hits"].insert({**store.record_fields(), "transcript_id": tid, "recording_id": recording_id,
                                    "term_id": term_id, "start_s": h["start_s"], "end_s": h["end_s"],
                                    "text": h["text"], "score": h["score"]})
