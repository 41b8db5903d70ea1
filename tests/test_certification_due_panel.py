"""The 'due for you' panel on the Record page (pytest-qt)."""
from datetime import date, datetime, timezone

from store.certification import CertificationRepo
from store.changes import Changes
from store.pins import PinRepo
from test_certif_support import PROGRAM, add_take, cast
from ui.widgets.due_panel import DuePanel


def test_panel_follows_the_person_and_the_day(context, qtbot):
    store = context.store
    people, _ = cast(store)
    PinRepo(store).set_pin(people["Eve"].id, "739184")
    CertificationRepo(store, clock=lambda: datetime(2026, 11, 23, 9, tzinfo=timezone.utc)).decide(
        certifier_id=people["Eve"].id, pin="739184", rep_id=people["Ana"].id, program_key=PROGRAM, decision="certified")
    day = [date(2026, 11, 30)]
    panel = DuePanel(context, today=lambda: day[0])
    qtbot.addWidget(panel)
    assert panel.isHidden()                        # no one chosen
    context.set_person(context.people.get(people["Ana"].id))
    assert not panel.isHidden() and "Practise New-messaging certification" in panel.label.text()
    assert "7 day(s) after your certification" in panel.label.text()
    add_take(store, people["Ana"].id, submitted_at="2026-11-30T10:00:00.000Z")
    context.notify(Changes.of("recordings"))
    assert panel.isHidden()
    day[0] = date(2027, 4, 25)
    panel.refresh()
    assert "Re-certify on New-messaging certification" in panel.label.text()
    context.set_person(context.people.get(people["Ben"].id))
    assert panel.isHidden()


def test_record_page_holds_the_panel(context, qtbot):
    from ui.pages.record_page import RecordPage

    page = RecordPage(context)
    qtbot.addWidget(page)
    assert page.findChild(DuePanel, "duePanel") is not None
    if hasattr(page, "shutdown"):
        page.shutdown()
