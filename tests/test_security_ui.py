"""Issue #12, station side, in the app: a new certifier needs a certifier's PIN, and a forgotten PIN is
reset by another certifier (pytest-qt, offscreen)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from store.people import PeopleRepo
from store.pins import PinRepo
from store.sync.keys import save_key
from test_certif_support import cast
from ui.pages.certify_page import CertifyPage
from ui.widgets.person_dialog import AddPersonDialog

EVE_PIN, ZED_PIN = "583920", "402718"
TEAM_KEY = "Zb3-organiser-only-key-77"
SHOTS = Path("/tmp/shots")


def _dialog(context, qtbot):
    dialog = AddPersonDialog(context.people, context.people.teams())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_new_certifier_is_confirmed_by_a_certifiers_pin(context, qtbot):
    eve = context.people.add("Eve", "certifier")
    PinRepo(context.store).set_pin(eve.id, EVE_PIN)
    dialog = _dialog(context, qtbot)
    qtbot.keyClicks(dialog.name, "Mallory")
    assert not dialog.confirm_pin.isVisible()                      # reps need no confirmation
    dialog.role.setCurrentText("certifier")
    assert dialog.confirm_pin.isVisible() and dialog.confirmer.currentText() == "Eve"
    qtbot.keyClicks(dialog.confirm_pin, "000000")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert "Wrong PIN" in dialog.error.text() and dialog.person is None and dialog.confirm_pin.text() == ""
    assert [p.name for p in context.people.list()] == ["Eve"]
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "add_certifier_dialog.png"))
    qtbot.keyClicks(dialog.confirm_pin, EVE_PIN)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.person is not None and dialog.person.role == "certifier"


def _add(dialog, qtbot):
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_the_first_certifier_on_a_station_needs_the_team_key_and_the_dialog_says_why(context, qtbot):
    save_key(context.store.data_dir, TEAM_KEY)
    dialog = _dialog(context, qtbot)
    qtbot.keyClicks(dialog.name, "Eve")
    assert not dialog.team_key.isVisible()                         # reps need no confirmation
    dialog.role.setCurrentText("certifier")
    assert not dialog.confirm_pin.isVisible() and dialog.team_key.isVisible()
    assert dialog.team_key.echoMode() == QLineEdit.EchoMode.Password
    note = dialog.certifier_note.text()
    assert "team sync key" in note and "organiser" in note and "not to reps" in note
    qtbot.keyClicks(dialog.team_key, "a rep's guess at the key")
    _add(dialog, qtbot)
    assert "not this station's team sync key" in dialog.error.text() and dialog.person is None
    assert dialog.team_key.text() == "" and context.people.list() == []
    dialog.team_key.setText(f"{TEAM_KEY}\n")                        # pasted from the key file, newline and all
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "add_first_certifier_team_key.png"))
    _add(dialog, qtbot)
    assert dialog.person is not None and dialog.person.role == "certifier"


def test_a_station_without_a_team_key_cannot_add_its_first_certifier(context, qtbot):
    dialog = _dialog(context, qtbot)
    qtbot.keyClicks(dialog.name, "Eve")
    dialog.role.setCurrentText("certifier")
    add = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not add.isEnabled() and "Set the team key first" in dialog.error.text()
    assert not dialog.team_key.isVisible()
    dialog.role.setCurrentText("rep")                                 # a rep can still be added
    assert add.isEnabled() and not dialog.error.isVisible()
    _add(dialog, qtbot)
    assert dialog.person is not None and dialog.person.role == "rep"


def _certify_page(context, qtbot) -> CertifyPage:
    page = CertifyPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def _set_pin_dialog(page: CertifyPage, qtbot, person_id: str):
    """Pick ``person_id`` as the certifier and click Set PIN…; the dialog it opens."""
    page.decision.certifier.setCurrentIndex(page.decision.certifier.findData(person_id))
    qtbot.mouseClick(page.decision.set_pin, Qt.MouseButton.LeftButton)
    return page.set_pin_dialog


def test_the_first_pin_on_a_station_needs_the_team_key_on_the_certify_page(context, qtbot):
    store = context.store
    people, _ = cast(store)
    eve = people["Eve"]
    page = _certify_page(context, qtbot)
    try:
        no_key = _set_pin_dialog(page, qtbot, eve.id)
        assert no_key.confirm is None and "Set the team key first" in no_key.error.text()
        assert not no_key.save_button.isEnabled() and not no_key.team_key.isVisible()
        SHOTS.mkdir(exist_ok=True)
        no_key.grab().save(str(SHOTS / "set_first_pin_no_team_key.png"))
        no_key.reject()
        save_key(store.data_dir, TEAM_KEY)
        qtbot.mouseClick(page.decision.set_pin, Qt.MouseButton.LeftButton)
        dialog = page.set_pin_dialog
        assert dialog.team_key.isVisible() and dialog.save_button.isEnabled()
        assert "team sync key" in dialog.hint.text() and "organiser" in dialog.hint.text()
        qtbot.keyClicks(dialog.team_key, "a rep's guess at the key")
        qtbot.keyClicks(dialog.new, "111222")
        qtbot.keyClicks(dialog.again, "111222")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "not this station's team sync key" in dialog.error.text() and dialog.isVisible()
        assert not PinRepo(store).has_pin(eve.id) and dialog.team_key.text() == ""
        qtbot.keyClicks(dialog.team_key, TEAM_KEY)
        dialog.grab().save(str(SHOTS / "set_first_pin_team_key.png"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        PinRepo(store).verify(eve.id, "111222")
        assert page.decision.sign.isEnabled()
    finally:
        page.shutdown()


def test_another_certifier_resets_a_forgotten_pin_on_the_certify_page(context, qtbot):
    store = context.store
    people, _ = cast(store)
    eve = people["Eve"]
    pins = PinRepo(store)
    pins.set_pin(eve.id, EVE_PIN)
    zed = PeopleRepo(store).add("Zed", "certifier", confirm_by=eve.id, confirm_pin=EVE_PIN)
    pins.change_pin(zed.id, ZED_PIN, eve.id, EVE_PIN)
    page = _certify_page(context, qtbot)
    try:
        dialog = _set_pin_dialog(page, qtbot, eve.id)
        assert dialog.confirm == "self"
        assert [dialog.confirmer.itemText(i) for i in range(dialog.confirmer.count())] == ["Eve (current PIN)", "Zed"]
        assert "never synced" in dialog.hint.text() and "Forgotten or locked" in dialog.hint.text()
        dialog.grab().save(str(SHOTS / "set_pin_dialog_reset.png"))
        dialog.confirmer.setCurrentIndex(1)
        qtbot.keyClicks(dialog.current, ZED_PIN)
        qtbot.keyClicks(dialog.new, "1234")
        qtbot.keyClicks(dialog.again, "1234")
        dialog._save()
        assert "at least 6 characters" in dialog.error.text()
        for edit in (dialog.new, dialog.again):
            edit.clear()
            qtbot.keyClicks(edit, "918273")
        qtbot.keyClicks(dialog.current, ZED_PIN)
        dialog._save()
        qtbot.waitUntil(lambda: not dialog.isVisible())
        pins.verify(eve.id, "918273")
    finally:
        page.shutdown()


def test_a_pin_that_travelled_before_is_flagged_after_a_sign_off(context, qtbot):
    from store.clock import now_iso
    from store.pins import hash_pin

    store = context.store
    people, _ = cast(store)
    with store.transaction() as db:          # what migration v8 leaves for a PIN from people.pin_hash
        db.execute("INSERT INTO pin_hashes(person_id, pin_hash, set_at, origin) VALUES(?, ?, ?, 'synced')",
                   [people["Eve"].id, hash_pin("7391", n=2 ** 10), now_iso()])
    context.set_person(context.people.get(people["Eve"].id))
    page = CertifyPage(context)
    qtbot.addWidget(page)
    page.show()
    try:
        assert page.candidate_title.text().startswith("Ana — ready") and page.decision.sign.isEnabled()
        qtbot.mouseClick(page.decision.sign, Qt.MouseButton.LeftButton)
        said = []
        context.status_message.connect(lambda text, _ms: said.append(text))
        qtbot.keyClicks(page.pin_dialog.pin, "7391")                # a 4-digit PIN from before still works
        qtbot.mouseClick(page.pin_dialog.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any(t.startswith("Recorded: Ana") for t in said))
        assert any("choose a new one" in t for t in said)
    finally:
        page.shutdown()
