"""Issue #12, station side: who may set a PIN and who may make a certifier (store and command line)."""
from __future__ import annotations

import pytest

from store.people import PeopleError, PeopleRepo
from store.pins import FREE_ATTEMPTS, PinLocked, PinRepo, WrongPin
from store.sync.keys import save_key
from tests.cli_helpers import run_cli as _run, text_file as _file

EVE_PIN, ZED_PIN = "583920", "402718"
TEAM_KEY = "handed-out-by-the-organiser-7Qx"


@pytest.fixture
def eve(store):
    """Certifier Eve with a PIN on this station, and rep Ana."""
    people = PeopleRepo(store)
    people.add("Ana", "rep")
    person = people.add("Eve", "certifier")
    PinRepo(store).set_pin(person.id, EVE_PIN)
    return person


def test_first_pin_on_a_station_is_a_reported_bootstrap(store, tmp_path):
    PeopleRepo(store).add("Eve", "certifier")
    save_key(store.data_dir, TEAM_KEY)
    result = _run(store, "people", "set-pin", "Eve", "--pin-file", _file(tmp_path, "new", EVE_PIN),
                  "--team-key-file", _file(tmp_path, "key", TEAM_KEY))
    assert result.exit_code == 0, result.output
    assert "No certifier had a PIN on this station" in result.output and "team key confirmed" in result.output
    assert "never synced" in result.output and EVE_PIN not in result.output


def test_set_pin_needs_the_current_pin_and_never_clears_a_lockout_without_it(store, eve, tmp_path):
    new = _file(tmp_path, "new", "918273")
    refused = _run(store, "people", "set-pin", "Eve", "--pin-file", new,
                   "--confirm-pin-file", _file(tmp_path, "wrong", "000000"))
    assert refused.exit_code == 1 and "Wrong PIN" in refused.output
    pins = PinRepo(store)
    for _ in range(FREE_ATTEMPTS - 1):
        with pytest.raises(WrongPin):
            pins.verify(eve.id, "111111")
    assert pins.locked_for(eve.id) > 0
    locked = _run(store, "people", "set-pin", "Eve", "--pin-file", new,
                  "--confirm-pin-file", _file(tmp_path, "right", EVE_PIN))
    assert locked.exit_code == 1 and "try again in" in locked.output      # even the right PIN waits
    assert pins.locked_for(eve.id) > 0 and pins.state(eve.id).failures == FREE_ATTEMPTS
    with pytest.raises(PinLocked):
        pins.verify(eve.id, EVE_PIN)


def test_set_pin_with_the_current_pin_asked_hidden(store, eve):
    result = _run(store, "people", "set-pin", "Eve", input=f"{EVE_PIN}\n918273\n918273\n")
    assert result.exit_code == 0 and "confirmed with the current PIN" in result.output
    assert "918273" not in result.output
    PinRepo(store).verify(eve.id, "918273")


def test_another_certifier_resets_a_forgotten_locked_pin(store, eve, tmp_path):
    zed = PeopleRepo(store).add("Zed", "certifier", confirm_by=eve.id, confirm_pin=EVE_PIN)
    first = _run(store, "people", "set-pin", "Zed", "--pin-file", _file(tmp_path, "z", ZED_PIN))
    assert first.exit_code == 1 and "--confirm-by" in first.output and "Eve" in first.output
    ok = _run(store, "people", "set-pin", "Zed", "--pin-file", _file(tmp_path, "z", ZED_PIN),
              "--confirm-by", "Eve", "--confirm-pin-file", _file(tmp_path, "e", EVE_PIN))
    assert ok.exit_code == 0 and "confirmed by Eve" in ok.output
    pins = PinRepo(store)
    for _ in range(FREE_ATTEMPTS):
        with pytest.raises(WrongPin):
            pins.verify(zed.id, "111111")
    reset = _run(store, "people", "set-pin", "Zed", "--pin-file", _file(tmp_path, "z2", "736150"),
                 "--confirm-by", "Eve", "--confirm-pin-file", _file(tmp_path, "e", EVE_PIN))
    assert reset.exit_code == 0
    assert pins.locked_for(zed.id) == 0
    pins.verify(zed.id, "736150")


def test_only_certifiers_have_pins(store, eve, tmp_path):
    result = _run(store, "people", "set-pin", "Ana", "--pin-file", _file(tmp_path, "p", "736150"))
    assert result.exit_code == 1 and "only certifiers have a PIN" in result.output
    assert not PinRepo(store).has_pin(PeopleRepo(store).find("Ana").id)


def test_adding_a_certifier_needs_a_certifiers_pin(store, eve, tmp_path):
    bare = _run(store, "people", "add", "Mallory", "--role", "certifier")
    assert bare.exit_code == 1 and "--confirm-by" in bare.output
    wrong = _run(store, "people", "add", "Mallory", "--role", "certifier", "--confirm-by", "Eve",
                 input="000000\n")
    assert wrong.exit_code == 1 and "Wrong PIN" in wrong.output
    assert [p.name for p in PeopleRepo(store).list()] == ["Ana", "Eve"]
    ok = _run(store, "people", "add", "Zed", "--role", "certifier", "--confirm-by", "Eve", input=f"{EVE_PIN}\n")
    assert ok.exit_code == 0 and PeopleRepo(store).find("Zed").role == "certifier"
    assert _run(store, "people", "add", "Bo", "--role", "rep").exit_code == 0     # reps need nothing


def test_role_changes_to_or_from_certifier_need_a_certifiers_pin(store, eve, tmp_path):
    people = PeopleRepo(store)
    ana = people.find("Ana")
    with pytest.raises(PeopleError, match="Only a certifier"):
        people.update(ana.id, role="certifier")
    with pytest.raises(PeopleError, match="Only a certifier"):
        people.update(eve.id, role="rep")          # demoting the last PIN holder would allow a bootstrap
    assert people.update(ana.id, team="North").team == "North"
    bare = _run(store, "people", "set-role", "Ana", "certifier")
    assert bare.exit_code == 1 and people.get(ana.id).role == "rep"
    ok = _run(store, "people", "set-role", "Ana", "certifier", "--confirm-by", "Eve",
              "--confirm-pin-file", _file(tmp_path, "e", EVE_PIN))
    assert ok.exit_code == 0 and people.get(ana.id).role == "certifier"
    assert _run(store, "people", "set-role", "Ana", "coach").exit_code == 1


def test_a_station_without_certifier_pins_bootstraps_with_the_team_key_and_says_so(store):
    save_key(store.data_dir, TEAM_KEY)
    wrong = _run(store, "people", "add", "Eve", "--role", "certifier", input="a rep's guess\n")
    assert wrong.exit_code == 1 and "not this station's team sync key" in wrong.output
    assert "the organiser gives" in wrong.output                     # what is asked, and who has it
    assert PeopleRepo(store).list() == []
    result = _run(store, "people", "add", "Eve", "--role", "certifier", input=f"{TEAM_KEY}\n")
    assert result.exit_code == 0 and "No certifier has a PIN on this station yet" in result.output
    assert "set-pin" in result.output and TEAM_KEY not in result.output
    ana = PeopleRepo(store).add("Ana", "rep")
    refused = _run(store, "people", "set-role", "Ana", "certifier", input="letmein99\n")
    assert refused.exit_code == 1 and PeopleRepo(store).get(ana.id).role == "rep"
    ok = _run(store, "people", "set-role", "Ana", "certifier", input=f"{TEAM_KEY}\n")
    assert ok.exit_code == 0 and PeopleRepo(store).get(ana.id).role == "certifier"


def test_a_pin_file_that_never_ends_is_refused(store, eve, tmp_path):
    result = _run(store, "people", "set-pin", "Eve", "--pin-file", "/dev/zero",
                  "--confirm-pin-file", _file(tmp_path, "e", EVE_PIN))
    assert result.exit_code == 1 and "not a regular file" in result.output
    huge = tmp_path / "huge"
    huge.write_text(EVE_PIN + "x" * 10_000_000)                      # one very long line
    refused = _run(store, "people", "set-pin", "Eve", "--pin-file", _file(tmp_path, "n", "918273"),
                   "--confirm-pin-file", str(huge))
    assert refused.exit_code == 1 and "Wrong PIN" in refused.output
