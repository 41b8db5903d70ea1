"""Kit validation and import: the default kit, idempotent re-import, every kind of bad kit."""
from __future__ import annotations

import json

import pytest

from scoring.kit import KitError, default_kit_path, parse_kit
from store.kit import KitRepo

DEFAULT = default_kit_path().read_text(encoding="utf-8")


def table_state(store):
    tables = ("terms", "rubrics", "criteria", "exercises", "programs")
    return {t: [tuple(r) for r in store.db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()]
            for t in tables}


def test_default_kit_is_seeded_on_first_start(store):
    repo = KitRepo(store)
    slugs = {t["slug"] for t in repo.terms()}
    assert {"teach-back", "socratic-question", "reframe", "champion", "economic-buyer", "cold-call",
            "email-outreach", "deal-clinic", "new-messaging", "discovery-call", "call-to-action"} <= slugs
    reframe = next(t for t in repo.terms() if t["slug"] == "reframe")
    assert "reframing" in reframe["aliases"] and reframe["definition"]
    titles = {c["title"] for r in repo.rubrics() for c in r["criteria"]}
    assert {"Asked a Socratic question", "Reframed the buyer's objection", "Tested the champion",
            "Used the new-messaging pillars"} <= titles
    for rubric in repo.rubrics():
        for criterion in rubric["criteria"]:
            assert {1, 3, 5} <= set(criterion["anchors"])
    kinds = {e["slug"]: e["kind"] for e in repo.exercises()}
    assert kinds["teach-back-reframing"] == "teach-back"
    assert {"cold-call", "email-outreach", "champion-building", "new-messaging-pitch"} <= set(kinds)
    assert repo.programs()[0]["slug"] == "new-messaging-certification"


def test_reimporting_the_same_kit_changes_nothing(store):
    before = table_state(store)
    clock = store.get_meta("clock")
    report = KitRepo(store).import_kit(parse_kit(DEFAULT))
    assert not report.changed and report.unchanged > 30
    assert table_state(store) == before and store.get_meta("clock") == clock


def test_an_edited_kit_updates_only_what_changed(store):
    edited = DEFAULT.replace("A first call to a prospect who does not expect it",
                             "A first call to a stranger")
    report = KitRepo(store).import_kit(parse_kit(edited))
    assert report.updated == {"terms": 1} and report.added == {}
    cold = KitRepo(store).find("terms", "cold-call")
    assert cold["definition"].startswith("A first call to a stranger")


def test_kit_ids_are_the_same_on_every_station(tmp_path):
    from store.station import open_station

    a, b = open_station(tmp_path / "a"), open_station(tmp_path / "b")
    try:
        assert KitRepo(a).exercises() == KitRepo(b).exercises()
        assert a.station_id != b.station_id
    finally:
        a.close()
        b.close()


BAD_KITS = [
    ("unknown field", "    title: Teach-back\n", "    titel: Teach-back\n", "unknown field 'titel' (did you mean 'title'?)"),
    ("bad kind", "    kind: role-play\n", "    kind: roleplay\n", "'roleplay' is not a kind"),
    ("unknown rubric", "    rubric: cold-call-craft\n", "    rubric: cold-cal-craft\n", "unknown rubric 'cold-cal-craft'"),
    ("unknown term", "        terms: [reframe]\n", "        terms: [refrain]\n", "unknown term 'refrain'"),
    ("duplicate id", "  - id: deal-clinic\n", "  - id: cold-call\n", "duplicate id 'cold-call'"),
    ("wrong type", "        weight: 3\n", "        weight: heavy\n", "expected a number"),
    ("missing anchor", "          5: A specific action peers can take this week.\n", "", "1, 3 and 5 are required"),
    ("bad id", "  - id: teach-back-reframing\n", "  - id: Teach Back!\n", "is not a valid id"),
    ("time limit", "    time_limit_s: 240\n", "    time_limit_s: 5\n", "between 10 and 3600"),
    ("program criterion", "      messaging-pillars: 4\n", "      messaging-pilars: 4\n", "has no criterion 'messaging-pilars'"),
    ("yaml syntax", "    aliases: [deal clinics]\n", "    aliases: [deal clinics\n", "not valid YAML"),
]


@pytest.mark.parametrize("label,old,new,message", BAD_KITS, ids=[b[0] for b in BAD_KITS])
def test_bad_kits_name_the_line_and_import_nothing(store, label, old, new, message):
    assert old in DEFAULT, label
    text = DEFAULT.replace(old, new, 1)
    expected_line = DEFAULT[: DEFAULT.index(old)].count("\n") + 1
    before = table_state(store)
    with pytest.raises(KitError) as caught:
        KitRepo(store).import_kit(parse_kit(text, "team.yaml"))
    problems = "\n".join(caught.value.problems)
    assert message in problems
    lines = [int(p.split("line ")[1].split(":")[0]) for p in caught.value.problems if message in p]
    assert any(abs(line - expected_line) <= 3 for line in lines), (lines, expected_line)
    assert table_state(store) == before


def test_every_problem_is_reported_at_once():
    text = DEFAULT.replace("    kind: role-play\n", "    kind: roleplay\n").replace(
        "    titel", "    titel").replace("  - id: deal-clinic\n", "  - id: cold-call\n")
    with pytest.raises(KitError) as caught:
        parse_kit(text)
    assert len(caught.value.problems) >= 5


def test_empty_and_non_mapping_kits():
    assert parse_kit("").terms == []
    with pytest.raises(KitError, match="expected a mapping"):
        parse_kit("- just\n- a list\n")


def test_kit_list_json_shape(store):
    repo = KitRepo(store)
    data = {"terms": repo.terms(), "rubrics": repo.rubrics(), "exercises": repo.exercises()}
    text = json.dumps(data)
    assert all("id" in item for items in data.values() for item in items)
    assert "Socratic question" in text
