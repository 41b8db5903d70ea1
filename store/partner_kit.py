"""Partner kits: a certification program with its rubric, vocabulary and exemplar takes, as a folder a
partner organisation imports into their own Rolecall (``rolecall import-kit DIR``).

Layout of the folder::

    kit.yaml                  the program, its rubric, its exercises and vocabulary (a normal kit)
    exemplars.json            manifest: format, program, one entry per exemplar take
    media/<recording id>.mp4  the exemplar takes (checked by sha256 on import)
    transcripts/<id>.json     their transcripts: segments with words, term hits by term slug, metrics

Ids travel unchanged (kit ids derive from slugs; takes, transcripts and exemplars keep their UUIDs), so
importing the same kit twice adds nothing. The import half, which trusts nothing in the folder, is
store/partner_kit_import.py.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from store.clock import kit_id, now_iso
from store.db import Store
from store.kit import KitRepo
from store.partner_kit_import import (FORMAT, ID, MANIFEST, PartnerImport, PartnerKitError, sha256_file,  # noqa: F401
                                      import_exemplars)


# -- export ----------------------------------------------------------------------------------------
def _rows(store: Store, sql: str, params=()) -> list[dict]:
    cur = store.db.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _clean(d: dict) -> dict:
    """Drop empty optional values (the kit reader wants non-empty text where text is given)."""
    return {k: v for k, v in d.items() if v not in (None, "", [], {})}


def kit_document(store: Store, program_key: str, extra_term_ids: set[str] = frozenset()) -> dict:
    """The kit YAML document (as a dict) for one program."""
    kit = KitRepo(store)
    program = next((p for p in kit.programs() if program_key in (p["id"], p["slug"])), None)
    if program is None:
        raise PartnerKitError(f"There is no program '{program_key}' in this station's kit.")
    rubric = _rows(store, "SELECT * FROM rubrics WHERE id=?", [program["rubric_id"]])[0]
    criteria = kit.criteria(rubric["id"])
    crit_slug = {c["id"]: c["slug"] for c in criteria}
    exercises = _rows(store, "SELECT * FROM exercises WHERE deleted=0")
    ex_by_id = {e["id"]: e for e in exercises}
    terms = {t["id"]: t for t in kit.terms()}
    wanted = {tid for c in criteria for tid in c["terms"]} | set(extra_term_ids)
    vocabulary = [_clean({"id": t["slug"], "term": t["term"], "definition": t["definition"],
                          "aliases": list(t["aliases"])}) for tid, t in terms.items() if tid in wanted]
    return {
        "kit": f"partner-{program['slug']}",
        "title": f"{program['title']} (partner kit)",
        "vocabulary": vocabulary,
        "rubrics": [_clean({
            "id": rubric["slug"], "title": rubric["title"], "description": rubric["description"],
            "version": rubric["version"],
            "criteria": [_clean({"id": c["slug"], "title": c["title"], "description": c["description"],
                                 "terms": [terms[t]["slug"] for t in c["terms"] if t in terms],
                                 "weight": c["weight"], "required": c["required"] or None,
                                 "min_score": c["min_score"], "scale": dict(c["anchors"])})
                         for c in criteria]})],
        "exercises": [_clean({"id": e["slug"], "kind": e["kind"], "title": e["title"], "rubric": rubric["slug"],
                              "prompt": e["prompt"], "prework": e["prework"], "time_limit_s": e["time_limit_s"],
                              "available_from": e["available_from"]})
                      for eid in program["exercises"] if (e := ex_by_id.get(eid))],
        "programs": [_clean({
            "id": program["slug"], "title": program["title"], "description": program["description"],
            "rubric": rubric["slug"], "exercises": [ex_by_id[e]["slug"] for e in program["exercises"] if e in ex_by_id],
            "pass_threshold": program["pass_threshold"],
            "required_criteria": {crit_slug[c]: m for c, m in program["required_criteria"].items() if c in crit_slug},
            "min_scorecards": program["min_scorecards"], "valid_days": program["valid_days"],
            "version": program["version"]})],
    }


def exemplar_rows(store: Store, program_key: str) -> list[dict]:
    program = next(p for p in KitRepo(store).programs() if program_key in (p["id"], p["slug"]))
    if not program["exercises"]:
        return []
    marks = ", ".join("?" * len(program["exercises"]))
    return _rows(store, f"""
        SELECT x.id AS exemplar_id, x.reason, r.id AS recording_id, r.media_path, r.duration_s,
               r.submitted_at, r.has_video, r.has_audio, e.slug AS exercise, p.name AS rep
        FROM exemplars x JOIN recordings r ON r.id = x.recording_id
        JOIN exercises e ON e.id = COALESCE(r.exercise_id, x.exercise_id)
        LEFT JOIN people p ON p.id = r.rep_id
        WHERE x.deleted = 0 AND r.deleted = 0 AND e.id IN ({marks})
        ORDER BY x.created_at""", program["exercises"])


def _transcript(store: Store, recording_id: str) -> dict | None:
    rows = _rows(store, "SELECT * FROM transcripts WHERE recording_id=? ORDER BY complete DESC, created_at DESC "
                        "LIMIT 1", [recording_id])
    if not rows:
        return None
    t = rows[0]
    segments = _rows(store, "SELECT idx, start_s, end_s, text, words, no_speech_prob FROM segments "
                            "WHERE transcript_id=? ORDER BY idx", [t["id"]])
    hits = _rows(store, "SELECT h.id, t.slug AS term, h.start_s, h.end_s, h.text, h.score FROM term_hits h "
                        "JOIN terms t ON t.id = h.term_id WHERE h.transcript_id=? ORDER BY h.start_s", [t["id"]])
    for s in segments:
        s["words"] = json.loads(s["words"] or "[]")
    return {"id": t["id"], "model": t["model"], "language": t["language"], "text": t["text"],
            "duration_s": t["duration_s"], "complete": t["complete"], "metrics": json.loads(t["metrics"] or "{}"),
            "segments": segments, "term_hits": hits}


def _take_file(store: Store, recording_id: str) -> Path | None:
    """Where this station keeps the take's file, by the same rule sync uses (never a path a synced row
    chose: a hostile one could name the database or the key)."""
    from store.sync.media import local_media_path  # noqa: PLC0415 - sync is not needed to build a kit

    cur = store.db.execute("SELECT * FROM recordings WHERE id=?", [recording_id])
    found = cur.fetchone()
    return None if found is None else local_media_path(store, dict(zip([d[0] for d in cur.description], found)))


def export_partner_kit(store: Store, program_key: str, out_dir: Path, with_names: bool = False) -> dict:
    """Write the partner kit folder (built aside, then moved into place). Returns the manifest.

    The kit leaves the company, so the reps' names are left out unless ``with_names``."""
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise PartnerKitError(f"{out_dir} already exists and is not an empty folder; choose a new one.")
    kit_document(store, program_key)   # an unknown program fails here, before anything is written
    exemplars = exemplar_rows(store, program_key)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".partner-kit-", dir=out_dir.parent))
    try:
        (work / "media").mkdir()
        (work / "transcripts").mkdir()
        entries, hit_terms = [], set()
        for x in exemplars:
            if not ID.match(str(x["recording_id"])):    # it becomes a file name below
                raise PartnerKitError(f"Exemplar take {str(x['recording_id'])[:60]!r} has an unusual id; "
                                      "it cannot be exported.")
            source = _take_file(store, x["recording_id"])
            if source is None or not source.is_file():
                raise PartnerKitError(f"The media of exemplar take {x['recording_id']} is missing ({source}).")
            media = Path("media") / f"{x['recording_id']}{source.suffix or '.mp4'}"
            shutil.copy2(source, work / media)
            entry = {"exemplar_id": x["exemplar_id"], "recording_id": x["recording_id"], "exercise": x["exercise"],
                     "rep": x["rep"] if with_names else None, "reason": x["reason"], "duration_s": x["duration_s"],
                     "submitted_at": x["submitted_at"], "has_video": bool(x["has_video"]),
                     "has_audio": bool(x["has_audio"]), "media": media.as_posix(),
                     "sha256": sha256_file(work / media), "transcript": None}
            transcript = _transcript(store, x["recording_id"])
            if transcript is not None:
                rel = Path("transcripts") / f"{x['recording_id']}.json"
                (work / rel).write_text(json.dumps(transcript, indent=1, ensure_ascii=False), encoding="utf-8")
                entry["transcript"] = rel.as_posix()
                hit_terms |= {kit_id("term", h["term"]) for h in transcript["term_hits"]}
            entries.append(entry)
        document = kit_document(store, program_key, hit_terms)
        (work / "kit.yaml").write_text(
            "# Partner kit exported by Rolecall: import with `rolecall import-kit <this folder>`\n"
            + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        manifest = {"format": FORMAT, "program": document["programs"][0]["id"], "exported_at": now_iso(),
                    "station_id": store.station_id, "exemplars": entries}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        if out_dir.exists():
            out_dir.rmdir()
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(work, 0o777 & ~mask)        # mkdtemp made it private; the kit is meant to be shared
        os.replace(work, out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest
