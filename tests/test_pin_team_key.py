"""Issue #12 follow-up: on a station where no certifier has a PIN yet, the team sync key (not "nobody")
confirms a certifier's first PIN, a new certifier and a role change (store/pin_auth.py, cli)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from cli import cli
from store.people import PeopleRepo
from store.pin_auth import NO_TEAM_KEY, TEAM_KEY_ATTEMPTS, WrongTeamKey, check_team_key
from store.pins import FREE_ATTEMPTS, PinError, PinLocked, PinRepo
from store.sync.keys import save_key
from tests.cli_helpers import run_cli as _run, text_file as _file

KEY = "x7Hq-organiser-key-2026"
PIN = "583920"


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def eve(store):
    return PeopleRepo(store).add("Eve", "certifier")      # the store API leaves the add to its callers


def test_the_right_key_passes_and_clears_the_count(store):
    save_key(store.data_dir, KEY)
    pins = PinRepo(store)
    with pytest.raises(WrongTeamKey, match="not this station's team sync key"):
        check_team_key(pins, "guess-number-one")
    assert pins.state(TEAM_KEY_ATTEMPTS).failures == 1
    check_team_key(pins, f"  {KEY}\n")                    # as sync reads it: surrounding spaces do not count
    assert pins.state(TEAM_KEY_ATTEMPTS).failures == 0


def test_wrong_keys_are_counted_and_lock_like_pins(store):
    save_key(store.data_dir, KEY)
    clock = Clock()
    pins = PinRepo(store, clock=clock)
    for n in range(1, FREE_ATTEMPTS + 1):
        with pytest.raises(WrongTeamKey) as wrong:
            check_team_key(pins, f"not the key {n}")
        assert wrong.value.failures == n
    assert wrong.value.locked_for_s > 0 and "try again in" in str(wrong.value)
    with pytest.raises(PinLocked, match="wrong team keys"):
        check_team_key(pins, KEY)                        # while locked, even the right key waits
    clock.now += timedelta(seconds=wrong.value.locked_for_s)
    check_team_key(pins, KEY)


def test_short_empty_and_huge_keys_are_wrong_not_errors(store):
    save_key(store.data_dir, KEY)
    pins = PinRepo(store)
    for text in ("short", KEY + "x" * 5_000_000):
        with pytest.raises(WrongTeamKey):
            check_team_key(pins, text)
    for nothing in ("", "  ", None):                       # nothing typed: asked for, not counted
        with pytest.raises(PinError, match="the team sync key confirms this"):
            check_team_key(pins, nothing)
    assert pins.state(TEAM_KEY_ATTEMPTS).failures == 2


def test_a_station_without_a_key_refuses_and_says_how(store, eve):
    pins = PinRepo(store)
    with pytest.raises(PinError) as refused:
        check_team_key(pins, KEY)
    assert str(refused.value) == NO_TEAM_KEY and "rolecall sync set-key" in NO_TEAM_KEY
    with pytest.raises(PinError, match="Set the team key first"):
        pins.change_pin(eve.id, PIN, team_key=KEY)
    assert not pins.has_pin(eve.id)


def test_first_pin_needs_the_stations_key(store, eve):
    save_key(store.data_dir, KEY)
    pins = PinRepo(store)
    for given in (None, "", "a rep's own guess"):
        with pytest.raises(PinError):
            pins.change_pin(eve.id, PIN, team_key=given)
    assert not pins.has_pin(eve.id)
    assert pins.change_pin(eve.id, PIN, team_key=KEY) == "bootstrap"
    pins.verify(eve.id, PIN)
    zed = PeopleRepo(store).add("Zed", "certifier", confirm_by=eve.id, confirm_pin=PIN)
    with pytest.raises(PinError, match="another certifier with a PIN here confirms"):
        pins.change_pin(zed.id, "402718", team_key=KEY)  # once a certifier has a PIN, the key is not enough
    assert not pins.has_pin(zed.id)


def test_cli_first_pin_from_a_key_file_or_a_hidden_prompt(store, eve, tmp_path):
    save_key(store.data_dir, KEY)
    pin_file = _file(tmp_path, "pin", PIN)
    wrong = _run(store, "people", "set-pin", "Eve", "--pin-file", pin_file,
                 "--team-key-file", _file(tmp_path, "guess", "a rep's guess"))
    assert wrong.exit_code == 1 and "not this station's team sync key" in wrong.output
    prompted = _run(store, "people", "set-pin", "Eve", "--pin-file", pin_file, input=f"{KEY}\n")
    assert prompted.exit_code == 0 and "confirmed with the team key" in prompted.output
    assert "organiser" in prompted.output and KEY not in prompted.output
    PinRepo(store).verify(eve.id, PIN)


def test_cli_key_file_rules(store, eve, tmp_path):
    pin_file = _file(tmp_path, "pin", PIN)
    no_key = _run(store, "people", "set-pin", "Eve", "--pin-file", pin_file,
                  "--team-key-file", _file(tmp_path, "k", KEY))
    assert no_key.exit_code == 1 and "Set the team key first" in no_key.output
    save_key(store.data_dir, KEY)
    endless = _run(store, "people", "set-pin", "Eve", "--pin-file", pin_file, "--team-key-file", "/dev/zero")
    assert endless.exit_code == 1 and "Cannot read the team key from /dev/zero: not a regular file" in endless.output
    missing = _run(store, "people", "set-pin", "Eve", "--pin-file", pin_file,
                   "--team-key-file", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "does not exist" in missing.output
    huge = tmp_path / "huge"
    huge.write_text(KEY + "x" * 10_000_000)                 # one long line: only 4 KB are read
    assert _run(store, "people", "set-pin", "Eve", "--pin-file", pin_file,
                "--team-key-file", str(huge)).exit_code == 1
    assert not PinRepo(store).has_pin(eve.id)
    ok = _run(store, "people", "set-pin", "Eve", "--pin-file", pin_file, "--team-key-file", _file(tmp_path, "k", KEY))
    assert ok.exit_code == 0, ok.output


def test_cli_certifier_add_and_role_change_need_the_key(store, tmp_path):
    no_key = _run(store, "people", "add", "Eve", "--role", "certifier")
    assert no_key.exit_code == 1 and "Set the team key first" in no_key.output
    save_key(store.data_dir, KEY)
    wrong = _run(store, "people", "add", "Eve", "--role", "certifier",
                 "--team-key-file", _file(tmp_path, "guess", "not-the-key-at-all"))
    assert wrong.exit_code == 1 and PeopleRepo(store).list() == []
    ok = _run(store, "people", "add", "Eve", "--role", "certifier", "--team-key-file", _file(tmp_path, "k", KEY))
    assert ok.exit_code == 0 and "the team key confirmed this" in ok.output
    assert _run(store, "people", "add", "Ana", "--role", "rep").exit_code == 0     # reps need nothing
    demote = _run(store, "people", "set-role", "Eve", "rep", input="wrong-key-typed\n")
    assert demote.exit_code == 1 and PeopleRepo(store).find("Eve").role == "certifier"


def test_a_station_with_a_key_of_its_own_cannot_send_what_it_bootstrapped(tmp_path):
    """Why "no key: refused" is enough (store/pin_auth.py): a rep who replaces her station's key with one
    of her own can bootstrap with it, but the team's stations never apply what that station sends."""
    hub, a, c = tmp_path / "hub", tmp_path / "a", tmp_path / "c"
    hub.mkdir()

    def run(data_dir, *args):
        return CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], catch_exceptions=False)

    for d in (a, c):
        assert run(d, "sync", "set-key", "--from-file", _file(tmp_path, "team", KEY)).exit_code == 0
        assert run(d, "sync", "set-hub", str(hub)).exit_code == 0
    assert run(a, "people", "add", "Ana", "--role", "rep").exit_code == 0
    for d in (a, c, a):
        assert run(d, "sync").exit_code == 0
    own = _file(tmp_path, "own", "ana's very own key")
    assert run(a, "sync", "set-key", "--from-file", own).exit_code == 0
    assert run(a, "people", "set-role", "Ana", "certifier", "--team-key-file", own).exit_code == 0
    refused = run(a, "sync")                                          # the hub's marker: another key
    assert refused.exit_code == 1 and "Key mismatch" in refused.output and "Nothing was sent" in refused.output
    (hub / "rolecall-hub.json").unlink()                              # without the marker she can send ...
    assert run(a, "sync").exit_code == 0
    (hub / "rolecall-hub.json").unlink()
    received = run(c, "sync")                                         # ... but each batch says its key
    assert received.exit_code == 1 and "signed with a different team key" in received.output
    listed = run(c, "people", "list", "--format", "json").output
    assert '"role": "rep"' in listed and "certifier" not in listed
