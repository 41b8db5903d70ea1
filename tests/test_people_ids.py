"""People's ids derive from their names (issue #14 follow-up): the same rep added at two stations before
they sync is one person after; a deleted person added again comes back under their id; a rename keeps
the id; names compare after Unicode NFKC, case folding and whitespace collapsing."""
from __future__ import annotations

import json
import uuid

import pytest

from store.db import open_store
from store.people import PeopleError, PeopleRepo, normal_name, person_id
from store.sync import Syncer
from test_sync_support import HubFactory, add_take, dump, logical_state, team_key

NAMESPACE = uuid.UUID("fb185bb8-9706-4fcc-bac5-07b3fe778b2b")      # what every station must agree on


@pytest.fixture
def people(tmp_path):
    store = open_store(tmp_path / "station")
    yield PeopleRepo(store)
    store.close()


def count(store, where: str = "1") -> int:
    return store.db.execute(f"SELECT COUNT(*) FROM people WHERE {where}").fetchone()[0]


# -- names and ids ------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", ["Ana Lopez", "  ana   LOPEZ ", "Ana\tLopez\n", "ＡＮＡ\u3000ＬＯＰＥＺ",
                                     "Ana\u00a0Lopez"])
def test_names_compare_after_nfkc_casefold_and_whitespace(variant):
    assert normal_name(variant) == "ana lopez"
    assert person_id(variant) == str(uuid.uuid5(NAMESPACE, "ana lopez"))


def test_accents_and_case_folding_are_unicode_not_ascii():
    assert normal_name("Jos\u00e9 Stra\u00dfe") == normal_name("JOSE\u0301 STRASSE") == "jos\u00e9 strasse"
    assert normal_name("José") != normal_name("Jose")            # an accent is part of the name
    assert person_id("Ana Lopez") != person_id("Ana Lopes")
    assert uuid.UUID(person_id("Ana Lopez")).version == 5


def test_a_new_person_gets_the_id_from_their_name_at_every_station(tmp_path):
    a, c = open_store(tmp_path / "a"), open_store(tmp_path / "c")
    try:
        at_a = PeopleRepo(a).add("Ana Lopez", "rep", "North")
        at_c = PeopleRepo(c).add("ana  lopez", "rep", "South")
        assert at_a.id == at_c.id == person_id("Ana Lopez")
        assert (at_a.name, at_c.name) == ("Ana Lopez", "ana lopez")       # each keeps the name as typed
    finally:
        a.close(), c.close()


# -- adding a name that is here already ---------------------------------------------------------------

@pytest.mark.parametrize("again", ["ana lopez", "ANA  LOPEZ", "ＡＮＡ ＬＯＰＥＺ"])
def test_adding_a_name_that_is_here_is_refused_and_nothing_is_written(people, again):
    ana = people.add("Ana Lopez", "rep", "North")
    clock = people.store.get_meta("clock")
    with pytest.raises(PeopleError, match=f"already someone called 'Ana Lopez'.*{ana.id}"):
        people.add(again, "coach")
    assert count(people.store) == 1 and people.store.get_meta("clock") == clock
    assert people.get(ana.id) == ana


def test_a_person_made_before_ids_were_derived_blocks_their_name_and_is_named_by_id(people):
    store = people.store
    with store.transaction() as db:                    # as an older Rolecall made her: a random id
        fields = store.record_fields()
        db["people"].insert({**fields, "updated_at": fields["created_at"], "name": "Ana Lopez", "role": "rep"})
    assert fields["id"] != person_id("Ana Lopez")
    with pytest.raises(PeopleError, match=f"already someone called 'Ana Lopez' at this station \\(rep, id "
                                          f"{fields['id']}\\)"):
        people.add("ana lopez", "rep")
    assert people.find("ANA   LOPEZ").id == fields["id"]


# -- a deleted person added again ---------------------------------------------------------------------

def test_a_deleted_person_added_again_is_revived_under_their_id(people):
    store = people.store
    ana = people.add("Ana Lopez", "rep", "North")
    with store.transaction() as db:
        db.execute("UPDATE people SET deleted=1, clock=? WHERE id=?", [store.tick(), ana.id])
    tombstone_clock = store.db.execute("SELECT clock FROM people WHERE id=?", [ana.id]).fetchone()[0]
    assert people.list() == []
    back = people.add("ana lopez", "coach", "South")
    assert back.id == ana.id and (back.name, back.role, back.team) == ("ana lopez", "coach", "South")
    row = store.db.execute("SELECT deleted, clock FROM people WHERE id=?", [ana.id]).fetchone()
    assert row[0] == 0 and row[1] > tombstone_clock
    assert count(store) == 1 and people.list() == [back]


def test_a_person_deleted_outright_is_added_again_under_their_id(people):
    store = people.store
    ana = people.add("Ana Lopez", "rep")
    with store.transaction() as db:
        db.execute("DELETE FROM people WHERE id=?", [ana.id])
    assert people.add("Ana Lopez", "rep").id == ana.id and count(store) == 1


@pytest.mark.parametrize("how", ["flag", "row"])
def test_a_pin_kept_here_for_a_deleted_person_does_not_come_back_with_their_name(people, how):
    from store.pins import PinRepo

    store, pins = people.store, PinRepo(people.store)
    eve = people.add("Eve Martin", "rep")            # (a rep: a PIN is stored the same way for anyone)
    pins.set_pin(eve.id, "482615")
    assert pins.has_pin(eve.id)
    with store.transaction() as db:
        if how == "flag":
            db.execute("UPDATE people SET deleted=1, clock=? WHERE id=?", [store.tick(), eve.id])
        else:
            db.execute("DELETE FROM people WHERE id=?", [eve.id])
    again = people.add("Eve Martin", "rep")          # perhaps another Eve Martin: she sets her own PIN
    assert again.id == eve.id and not pins.has_pin(eve.id)
    assert store.db.execute("SELECT COUNT(*) FROM pin_hashes WHERE person_id=?", [eve.id]).fetchone() == (0,)


# -- renames ------------------------------------------------------------------------------------------

def test_a_rename_keeps_the_id_and_the_old_name_is_free_for_someone_else(people):
    ana = people.add("Ana Lopez", "rep", "North")
    married = people.update(ana.id, name="  Ana   Smith ")
    assert married.id == ana.id and married.name == "Ana Smith"
    assert people.find("ana smith") == married
    other = people.add("Ana Lopez", "rep", "South")         # her id is taken by Ana Smith: a new one
    assert other.id not in (ana.id, person_id("Ana Lopez"))
    assert {p.name for p in people.list()} == {"Ana Smith", "Ana Lopez"}


def test_a_rename_to_a_name_someone_has_is_refused(people):
    ana = people.add("Ana Lopez", "rep")
    ben = people.add("Ben Okafor", "rep")
    with pytest.raises(PeopleError, match="already someone called 'Ben Okafor'.*choose another name"):
        people.update(ana.id, name="BEN  okafor")
    with pytest.raises(PeopleError, match="needs a name"):
        people.update(ana.id, name="   ")
    assert people.get(ana.id) == ana and people.get(ben.id) == ben
    assert people.update(ana.id, name="ANA LOPEZ").name == "ANA LOPEZ"      # her own name, other case


# -- two stations, one folder hub ---------------------------------------------------------------------

def sync(store, hub: HubFactory):
    opened = hub.hub()
    try:
        report = Syncer(store, opened, team_key()).run()
    finally:
        opened.close()
    assert report.ok, report
    return report


def version(store, pid: str) -> tuple[int, str]:
    return tuple(store.db.execute("SELECT clock, station_id FROM people WHERE id=?", [pid]).fetchone())


def test_the_same_rep_added_at_two_stations_with_different_teams_is_one_person_after_sync(tmp_path):
    hub = HubFactory("folder", tmp_path)
    a, c = open_store(tmp_path / "a"), open_store(tmp_path / "c")
    try:
        at_a = PeopleRepo(a).add("Ana Lopez", "rep", "North")
        at_c = PeopleRepo(c).add("ana  lopez", "rep", "South")
        take_a, take_c = add_take(a, at_a.id, b"take at a" * 100), add_take(c, at_c.id, b"take at c" * 100)
        newer = max((version(a, at_a.id), at_a), (version(c, at_c.id), at_c))[1]
        older = at_c if newer is at_a else at_a
        for station in (a, c, a):
            sync(station, hub)
        for station in (a, c):
            people = PeopleRepo(station)
            assert people.list() == [newer], f"{station.data_dir}: {people.list()}"
            assert people.find("Ana Lopez") == newer                    # no "Several people match"
            reps = station.db.execute("SELECT rep_id FROM recordings WHERE id IN (?, ?)",
                                      [take_a, take_c]).fetchall()
            assert reps == [(newer.id,), (newer.id,)]
        lost_at = a if older is at_a else c                  # the loser is kept where it was replaced
        lost = [json.loads(r[0]) for r in lost_at.db.execute(
            "SELECT row FROM sync_history WHERE tbl='people' AND id=?", [newer.id])]
        assert {(r["name"], r["team"]) for r in lost} == {(older.name, older.team)}
        assert dump(logical_state(a)) == dump(logical_state(c))
    finally:
        a.close(), c.close()


@pytest.mark.parametrize("how", ["flag", "row"])
def test_a_person_deleted_everywhere_and_added_again_at_another_station_comes_back_everywhere(tmp_path, how):
    hub = HubFactory("folder", tmp_path)
    a, c = open_store(tmp_path / "a"), open_store(tmp_path / "c")
    try:
        ana = PeopleRepo(a).add("Ana Lopez", "rep", "North")
        sync(a, hub), sync(c, hub)
        with a.transaction() as db:                   # deleted at a: a tombstone flag, or the row gone
            if how == "flag":
                db.execute("UPDATE people SET deleted=1, clock=? WHERE id=?", [a.tick(), ana.id])
            else:
                db.execute("DELETE FROM people WHERE id=?", [ana.id])
        sync(a, hub), sync(c, hub)
        assert PeopleRepo(c).list() == []
        back = PeopleRepo(c).add("ANA LOPEZ", "coach", "South")
        assert back.id == ana.id
        sync(c, hub), sync(a, hub)
        for station in (a, c):
            assert PeopleRepo(station).list() == [back]
            assert station.db.execute("SELECT deleted FROM people WHERE id=?", [ana.id]).fetchone() == (0,)
        assert dump(logical_state(a)) == dump(logical_state(c))
    finally:
        a.close(), c.close()


# -- the command line ---------------------------------------------------------------------------------

def test_people_rename_keeps_the_id_and_add_refuses_a_name_here(tmp_path):
    from click.testing import CliRunner

    from cli import cli

    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, ["--data-dir", str(tmp_path / "station"), *args], catch_exceptions=False)

    added = run("people", "add", "Ana Lopez", "--role", "rep", "--team", "North")
    assert added.exit_code == 0 and person_id("Ana Lopez") in added.output
    run("people", "add", "Ben Okafor", "--role", "rep")
    again = run("people", "add", "ana   LOPEZ", "--role", "coach")
    assert again.exit_code == 1 and "already someone called 'Ana Lopez'" in again.output
    refused = run("people", "rename", "Ana Lopez", "ben okafor")
    assert refused.exit_code == 1 and "already someone called 'Ben Okafor'" in refused.output
    renamed = run("people", "rename", "ana lopez", "Ana Smith")
    assert renamed.exit_code == 0, renamed.output
    assert "Ana Lopez is now called Ana Smith" in renamed.output and person_id("Ana Lopez") in renamed.output
    listed = json.loads(run("people", "list", "--format", "json").output)
    assert [(p["id"], p["name"]) for p in listed] == [(person_id("Ana Lopez"), "Ana Smith"),
                                                      (person_id("Ben Okafor"), "Ben Okafor")]


# -- the picker ---------------------------------------------------------------------------------------

def test_the_picker_tells_two_rows_with_one_name_apart_by_id(qtbot, context):
    from ui.widgets.person_picker import PersonPicker

    store = context.store
    made = []
    for name, team in (("Ana Lopez", "North"), ("ana  lopez", "North")):   # random ids, as before: two rows
        with store.transaction() as db:
            fields = store.record_fields()
            db["people"].insert({**fields, "updated_at": fields["created_at"], "name": name, "role": "rep",
                                 "team": team})
        made.append(fields["id"])
    ben = context.people.add("Ben Okafor", "rep", "South")
    picker = PersonPicker(context)
    qtbot.addWidget(picker)
    labels = {picker.combo.itemData(i).id: picker.combo.itemText(i) for i in range(1, picker.combo.count())}
    assert labels[ben.id] == "Ben Okafor (rep, South)"
    assert {labels[pid] for pid in made} == {f"Ana Lopez (rep, North) · id {made[0][:8]}",
                                             f"ana  lopez (rep, North) · id {made[1][:8]}"}


def test_adding_a_namesake_rep_elsewhere_does_not_demote_a_certifier(tmp_path):
    hub = HubFactory("folder", tmp_path)
    a, b = open_store(tmp_path / "a"), open_store(tmp_path / "b")
    try:
        eve = PeopleRepo(a).add("Eve Martin", "certifier")
        for i in range(5):                           # b has been busy: its Lamport clock is ahead
            PeopleRepo(b).add(f"Rep {i}", "rep")
        assert PeopleRepo(b).add("eve martin", "rep").id == eve.id
        for station in (a, b, a):
            sync(station, hub)
        assert PeopleRepo(a).get(eve.id).role == "certifier"
        sync(b, hub)                                 # b held its own newer rep version: it converges too
        assert PeopleRepo(b).get(eve.id).role == "certifier"
        assert logical_state(a) == logical_state(b)
    finally:
        a.close(), b.close()


def test_a_certifier_demoted_by_an_edit_elsewhere_is_demoted_everywhere(tmp_path):
    """The certifier role is kept only against a namesake created apart; a station that received the
    certifier's row and changes the role there (an edit, confirmed as set-role asks) demotes them."""
    hub = HubFactory("folder", tmp_path)
    a, b = open_store(tmp_path / "a"), open_store(tmp_path / "b")
    try:
        eve = PeopleRepo(a).add("Eve Martin", "certifier")
        sync(a, hub), sync(b, hub)
        PeopleRepo(b).update(eve.id, role="coach")   # no certifier PIN at b: the bootstrap rule applies
        sync(b, hub), sync(a, hub)
        assert PeopleRepo(a).get(eve.id).role == "coach"
        assert logical_state(a) == logical_state(b)
    finally:
        a.close(), b.close()
