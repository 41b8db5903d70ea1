"""The Certify page (pytest-qt): candidates, evidence, PIN-confirmed decision, history, certificate PDF."""
import unicodedata

import pypdf
import pytest
from PySide6.QtCore import Qt

from store.certification import CertificationRepo
from store.pins import PinRepo
from store.sync.keys import save_key
from test_certif_support import PROGRAM, add_transcript, cast
from ui.pages.certify_page import CertifyPage


@pytest.fixture
def make_page(context, qtbot):
    pages = []

    def make():
        page = CertifyPage(context)
        qtbot.addWidget(page)
        page.resize(1200, 800)
        page.show()
        pages.append(page)
        return page
    yield make
    for page in pages:
        page.shutdown()


def _children(page):
    groups = [page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())]
    return {g.text(0): [g.child(j).text(0) for j in range(g.childCount())] for g in groups}


def _confirm(qtbot, page, pin):
    dialog = page.pin_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.pin.clear()
    qtbot.keyClicks(dialog.pin, pin)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    return dialog


def test_decision_flow(context, qtbot, make_page, tmp_path):
    store = context.store
    people, takes = cast(store)
    add_transcript(store, takes["Ana"])
    PinRepo(store).set_pin(people["Eve"].id, "739184")
    context.set_person(context.people.get(people["Eve"].id))
    page = make_page()
    groups = _children(page)
    assert groups["Ready to certify (1)"] == ["Ana"] and groups["Close — something missing (1)"] == ["Ben"]
    # Ana is selected first: her evidence, the transcript with the term hit, the peer scores
    assert page.candidate_title.text().startswith("Ana — ready")
    assert "✔" in page.evidence.requirements.text() and "✘ Not already" not in page.evidence.requirements.text()
    assert page.evidence.takes.count() == 1
    assert "terms: new messaging" in page.evidence.transcript.summary.text()
    page.evidence.transcript.seek_requested.emit(2.0)           # a click on a transcript word seeks the take
    assert page.evidence.player.position() == 2.0
    assert page.evidence.scores.rowCount() == len(page.criteria)
    assert page.decision.certified.isChecked() and page.decision.certifier_id() == people["Eve"].id

    qtbot.mouseClick(page.decision.sign, Qt.MouseButton.LeftButton)
    dialog = _confirm(qtbot, page, "0000")
    assert dialog.isVisible() and "Wrong PIN" in dialog.error.text()
    assert store.db.execute("SELECT count(*) FROM signoffs").fetchone()[0] == 0
    _confirm(qtbot, page, "739184")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    decisions = CertificationRepo(store).history(people["Ana"].id, PROGRAM)
    assert [d.decision for d in decisions] == ["certified"] and decisions[0].certifier == "Eve"
    assert len(decisions[0].reasons) == len(page.criteria)        # peer-score summaries where none typed
    assert page.tabs.currentWidget() is page.history
    assert page.history.table.rowCount() == 1 and page.history.pdf.isEnabled()
    assert "Certified (1)" in _children(page) and _children(page)["Certified (1)"] == ["Ana"]
    assert "withdraws the certificate" in page.decision.state.text() and not page.decision.certified.isEnabled()

    out = page.save_certificate(page.history.current(), str(tmp_path / "cert.pdf"))
    raw = pypdf.PdfReader(str(out)).pages[0].extract_text()
    text = " ".join(unicodedata.normalize("NFKC", raw).split())     # the font's ligatures: "ﬁ" -> "fi"
    assert "Ana" in text and "New-messaging certification" in text and "Eve" in text
    assert "Valid until" in text and decisions[0].valid_until[:4] in text
    assert [p.name for p in page.save_all_certificates(str(tmp_path))] == [f"certificate-Ana-{PROGRAM}.pdf"]


def test_close_candidate_can_only_be_sent_back_with_reasons(context, qtbot, make_page):
    store = context.store
    people, _ = cast(store)
    PinRepo(store).set_pin(people["Eve"].id, "739184")
    page = make_page()
    ben_item = page.tree.topLevelItem(1).child(0)
    page.tree.setCurrentItem(ben_item)
    assert ben_item.text(3) == "1 more scorecard(s)" and "needs 1 more peer scorecard" in ben_item.toolTip(3)
    assert not page.decision.certified.isEnabled() and page.decision.rework.isChecked()
    assert all(not e.text() and e.placeholderText().startswith("Peer mean") for e in page.decision.reasons.values())
    qtbot.mouseClick(page.decision.sign, Qt.MouseButton.LeftButton)
    dialog = _confirm(qtbot, page, "739184")
    assert dialog.isVisible() and "Say what needs rework" in dialog.error.text()
    dialog.reject()
    first = next(iter(page.decision.reasons.values()))
    qtbot.keyClicks(first, "Pillars recited, not tied to the buyer.")
    qtbot.mouseClick(page.decision.sign, Qt.MouseButton.LeftButton)
    dialog = _confirm(qtbot, page, "739184")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    d = CertificationRepo(store).current(people["Ben"].id, PROGRAM)
    assert d.decision == "needs_rework" and list(d.reasons.values()) == ["Pillars recited, not tied to the buyer."]
    assert not page.history.pdf.isEnabled()


def test_non_certifier_is_not_offered_and_pin_can_be_set(context, qtbot, make_page):
    store = context.store
    people, _ = cast(store)
    page = make_page()
    combo = page.decision.certifier
    assert [combo.itemData(i) for i in range(combo.count())] == [people["Eve"].id]
    assert "no PIN yet" in combo.currentText() and not page.decision.sign.isEnabled()
    save_key(store.data_dir, "the organiser's team key")
    qtbot.mouseClick(page.decision.set_pin, Qt.MouseButton.LeftButton)
    dialog = page.set_pin_dialog
    assert dialog.confirm is None                       # the station's first PIN: the team key confirms
    qtbot.keyClicks(dialog.team_key, "the organiser's team key")
    qtbot.keyClicks(dialog.new, "582971")
    qtbot.keyClicks(dialog.again, "582971")
    dialog._save()
    assert PinRepo(store).has_pin(people["Eve"].id) and page.decision.sign.isEnabled()


def test_a_second_certifiers_first_pin_is_confirmed_by_another(context, qtbot, make_page):
    store = context.store
    people, _ = cast(store)
    zed = context.people.add("Zed", "certifier")
    PinRepo(store).set_pin(people["Eve"].id, "739184")
    page = make_page()
    page.decision.certifier.setCurrentIndex(page.decision.certifier.findData(zed.id))
    qtbot.mouseClick(page.decision.set_pin, Qt.MouseButton.LeftButton)
    dialog = page.set_pin_dialog
    assert dialog.confirm == "certifier" and dialog.confirmer.currentData() == people["Eve"].id
    qtbot.keyClicks(dialog.new, "840263")
    qtbot.keyClicks(dialog.again, "840263")
    qtbot.keyClicks(dialog.current, "0000")
    dialog._save()
    assert "Wrong PIN" in dialog.error.text() and not PinRepo(store).has_pin(zed.id)
    qtbot.keyClicks(dialog.current, "739184")
    dialog._save()
    assert PinRepo(store).has_pin(zed.id)


def test_wrong_pins_lock_the_dialog(context, qtbot, make_page):
    store = context.store
    people, _ = cast(store)
    PinRepo(store).set_pin(people["Eve"].id, "739184")
    page = make_page()
    qtbot.mouseClick(page.decision.sign, Qt.MouseButton.LeftButton)
    for _ in range(3):
        dialog = _confirm(qtbot, page, "0000")
    assert "try again in 30 s" in dialog.error.text()
    _confirm(qtbot, page, "739184")
    assert dialog.isVisible() and "Too many wrong PINs" in dialog.error.text()
    assert store.db.execute("SELECT count(*) FROM signoffs").fetchone()[0] == 0
