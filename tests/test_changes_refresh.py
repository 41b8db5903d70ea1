"""The pages refresh on the typed change: after a real sync pull from another station (Review list, Coach
queue, exemplars on the Record page) and after the station is renamed (title, status bar, certificate).

ROLECALL_SHOTS=/tmp/shots saves a screenshot of the Review page after the sync."""
from __future__ import annotations

import os
from types import SimpleNamespace

from PySide6.QtCore import Qt

from store.people import PeopleRepo
from store.scores import ScoreRepo
from store.station import open_station
from store.sync import SyncConfig, Syncer, open_hub, save_key
from test_remote_take import VIDEO, recorded_take, shot
from test_sync_support import KEY_TEXT, team_key


def test_a_sync_pull_refreshes_review_coach_and_the_exemplars(main_window, store, tmp_path, qtbot):
    hub = tmp_path / "hub"
    hub.mkdir()
    save_key(store.data_dir, KEY_TEXT)
    SyncConfig(hub=str(hub)).save(store)
    me = PeopleRepo(store).add("Rita Reviewer", "rep", "North")
    main_window.context.set_person(me)
    review = main_window.page("review")
    coach = main_window.page("coach")
    record = main_window.page("record")
    from ui.widgets.exemplars_panel import ExemplarsPanel
    exemplars = record.findChild(ExemplarsPanel)
    record.exercise_combo.setCurrentIndex(record.exercise_combo.findText("Role-play: cold call"))
    main_window.show_page(1)
    qtbot.waitUntil(lambda: not coach.queue.loading, timeout=10000)
    assert review.list.model.rows == [] and coach.queue.model.all_rows == [] and exemplars.list.count() == 0

    other = open_station(tmp_path / "booth2")
    ana = PeopleRepo(other).add("Ana Remote", "rep", "South")
    dee = PeopleRepo(other).add("Dee Coach", "coach", "South")
    take = recorded_take(other, ana.id, VIDEO)
    ScoreRepo(other).promote_exemplar(take, dee.id, "Names the cost of delay in the first minute")
    Syncer(other, open_hub(str(hub)), team_key()).run()
    other.close()

    status = main_window.sync_status
    with qtbot.waitSignal(main_window.context.changed, timeout=20000) as heard:
        qtbot.mouseClick(status.button, Qt.MouseButton.LeftButton)
    changes = heard.args[0]
    assert {"recordings", "exemplars", "people"} <= changes.kinds()
    assert not changes.touches({"sync_settings"})
    assert changes.touches({"station"})            # booth2's name came too (every open publishes it)
    qtbot.waitUntil(lambda: not status.running, timeout=20000)
    assert [r.recording_id for r in review.list.model.rows] == [take]
    qtbot.waitUntil(lambda: [r.recording_id for r in coach.queue.model.all_rows] == [take], timeout=10000)
    assert exemplars.list.count() == 1 and "Names the cost of delay" in exemplars.list.item(0).text()
    assert "Ana Remote" in [p.name for p in main_window.context.people.list()]
    review.list.select_row(0)
    shot(main_window, "review-after-sync")


def test_renaming_the_station_shows_at_once_in_title_status_bar_and_certificate(main_window, monkeypatch):
    assert main_window.windowTitle() == "Rolecall — Station"
    settings = main_window.page("settings")
    settings.station_name.setText("Booth 3,  Lisbon")
    settings.station_name.editingFinished.emit()
    assert main_window.windowTitle() == "Rolecall — Booth 3, Lisbon"
    assert main_window.who.text().startswith("Booth 3, Lisbon · ")
    certify = main_window.page("certify")
    written = []
    monkeypatch.setattr("ui.pages.certify_page.write_certificate",
                        lambda path, decision, station: written.append(station) or path)
    certify.save_certificate(SimpleNamespace(decision="certified"), os.devnull)
    assert written == ["Booth 3, Lisbon"]
