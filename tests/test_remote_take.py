"""A take recorded on another station, played here: two real stations (open_station data dirs) meet at a
real folder hub; the take's row arrives by sync, its video stays on the hub until a player asks for it.
Download with progress, Cancel, an unreachable hub, a station with no hub, and the pages that use it.

ROLECALL_SHOTS=/tmp/shots saves screenshots of each state there."""
from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from store.clock import now_iso
from store.people import PeopleRepo
from store.recordings import RecordingRepo
from store.station import open_station
from store.stations import rename, station_label, station_names
from store.sync import SyncConfig, Syncer, open_hub, save_key
from test_sync_support import KEY_TEXT, team_key

VIDEO = Path(__file__).resolve().parent / "data" / "rec_camera_320x240_30fps.mp4"


def shot(widget, name: str) -> None:
    folder = os.environ.get("ROLECALL_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def recorded_take(store, rep_id: str, source: Path | bytes, exercise: str = "cold-call") -> str:
    """A submitted take with its media file, made the way the Record page makes one."""
    repo = RecordingRepo(store)
    ex = store.db.execute("SELECT id FROM exercises WHERE slug=?", [exercise]).fetchone()[0]
    rec = repo.begin(rep_id, ex)
    path = repo.absolute(rec.media_path)
    if isinstance(source, Path):
        shutil.copyfile(source, path)
    else:
        path.write_bytes(source)
    data = path.read_bytes()
    repo.finish(rec.id, SimpleNamespace(started_at=rec.started_at, ended_at=now_iso(), duration=4.0,
                                        sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                                        has_video=True, has_audio=True, dropped_frames=0, gaps=[]))
    repo.submit(rec.id)
    return rec.id


@pytest.fixture
def two_stations(tmp_path, store):
    """``store`` (this station, hub and key set) and another station that recorded two takes, synced."""
    hub_dir = tmp_path / "hub"
    hub_dir.mkdir()
    other = open_station(tmp_path / "booth2")
    rename(other, "Booth 2")
    ana = PeopleRepo(other).add("Ana Remote", "rep", "South")
    video = recorded_take(other, ana.id, VIDEO)
    big = recorded_take(other, ana.id, os.urandom(3_000_000), exercise="teach-back-reframing")
    Syncer(other, open_hub(str(hub_dir)), team_key()).run()
    save_key(store.data_dir, KEY_TEXT)
    SyncConfig(hub=str(hub_dir)).save(store)
    Syncer(store, open_hub(str(hub_dir)), team_key()).run()
    yield SimpleNamespace(hub=hub_dir, other=other, video=video, big=big, ana=ana)
    other.close()


def make_player(store, qtbot, open_hub_fn=None):
    from ui.widgets.player import TakePlayer
    from ui.workers.media_fetch import MediaFetcher

    player = TakePlayer(MediaFetcher(store, open_hub_fn))
    player.resize(520, 340)
    qtbot.addWidget(player)
    player.show()
    return player


class GatedHub:
    """A real folder hub whose download stops at a gate after its first bytes, so a test can watch
    the progress and press Cancel."""

    def __init__(self, location):
        self.inner = open_hub(location)
        self.gate = threading.Event()
        self.started = threading.Event()

    def fetch_media(self, sha, dest, progress=None):
        def slow(n):
            progress(n // 2)
            self.started.set()
            self.gate.wait(20)
            progress(n - n // 2)
        self.inner.fetch_media(sha, dest, slow)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_the_player_offers_a_remote_take_and_plays_it_once_downloaded(two_stations, store, qtbot):
    media = RecordingRepo(store).absolute(store.db.execute(
        "SELECT media_path FROM recordings WHERE id=?", [two_stations.video]).fetchone()[0])
    assert not media.exists()                      # the row came by sync, the video did not
    player = make_player(store, qtbot)
    player.load_take(two_stations.video, 4.0)
    remote = player.remote
    assert player.screen.currentWidget() is remote and not player.has_video()
    assert remote.message.text().startswith("Recorded on Booth 2: the video is on the hub")
    assert remote.button.text() == "Download (135 kB)" and remote.button.isVisible()
    assert not remote.progress.isVisible()
    shot(player, "player-remote-take")
    qtbot.mouseClick(remote.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(player.has_video, timeout=20000)
    assert media.read_bytes() == VIDEO.read_bytes()
    assert player.recording_id == two_stations.video
    player.load_take(two_stations.video, 4.0)      # from now on it is simply here
    assert player.has_video()


def test_progress_and_cancel_then_download_again(two_stations, store, qtbot):
    hubs = []

    def gated(config):
        hubs.append(GatedHub(config.hub))
        return hubs[-1]

    player = make_player(store, qtbot, gated)
    player.load_take(two_stations.big, 4.0)
    remote = player.remote
    assert remote.button.text() == "Download (3.0 MB)"
    qtbot.mouseClick(remote.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: remote.progress.value() > 0, timeout=10000)
    assert remote.progress.isVisible() and remote.cancel_button.isVisible() and not remote.button.isVisible()
    assert remote.progress.format() == "1.5 / 3.0 MB" and remote.progress.value() == 500
    shot(player, "player-downloading")
    qtbot.mouseClick(remote.cancel_button, Qt.MouseButton.LeftButton)
    assert remote.progress.format() == "Cancelling…"
    hubs[0].gate.set()
    qtbot.waitUntil(lambda: remote.state == "offer", timeout=10000)
    assert remote.message.text().startswith("Download cancelled.")
    sync_dir = store.data_dir / "media"
    assert not [p for p in sync_dir.rglob("*") if p.name.endswith(".sync-part")]   # no partial file left
    assert not player.fetcher.locate(two_stations.big).present
    # again, to the end
    qtbot.mouseClick(remote.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(hubs) == 2 and hubs[1].started.is_set(), timeout=10000)
    hubs[1].gate.set()
    qtbot.waitUntil(lambda: player.fetcher.locate(two_stations.big).present, timeout=20000)
    qtbot.waitUntil(lambda: player.screen.currentWidget() is not remote, timeout=10000)


def test_an_unreachable_hub_is_said_plainly_and_try_again_works(two_stations, store, qtbot):
    away = two_stations.hub.with_name("hub-unplugged")
    two_stations.hub.rename(away)                    # the stick is pulled out
    player = make_player(store, qtbot)
    player.load_take(two_stations.video, 4.0)
    remote = player.remote
    qtbot.mouseClick(remote.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: remote.state == "error", timeout=10000)
    text = remote.message.text()
    assert text.startswith(f"The hub at {two_stations.hub} cannot be reached: ")
    assert text.endswith("Try again when the station is online.") and "is not there" in text
    assert remote.button.text() == "Try again" and not remote.progress.isVisible()
    shot(player, "player-hub-unreachable")
    away.rename(two_stations.hub)                    # plugged in again
    qtbot.mouseClick(remote.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(player.has_video, timeout=20000)


def test_a_station_without_a_hub_says_where_to_set_it_up(two_stations, store, qtbot):
    SyncConfig(hub="").save(store)
    player = make_player(store, qtbot)
    player.load_take(two_stations.video, 4.0)
    remote = player.remote
    assert remote.state == "error" and remote.message.text().startswith("Recorded on Booth 2: ")
    assert "Set up sync in Settings → Sync" in remote.message.text()
    shot(player, "player-no-hub")
    job = player.fetcher.fetch(two_stations.video)           # asked anyway: the job says the same
    with qtbot.waitSignal(job.finished, timeout=10000) as done:
        pass
    assert done.args[2] == "no_hub" and not player.fetcher.running
    SyncConfig(hub=str(two_stations.hub)).save(store)       # set up now: Try again downloads
    qtbot.mouseClick(remote.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(player.has_video, timeout=20000)


def test_download_every_video_starts_at_once_and_two_players_share_one_download(two_stations, store, qtbot):
    from ui.widgets.player import TakePlayer
    from ui.workers.media_fetch import MediaFetcher

    config = SyncConfig.load(store)
    config.fetch_all_media = True
    config.save(store)
    hubs = []

    def gated(cfg):
        hubs.append(GatedHub(cfg.hub))
        return hubs[-1]

    fetcher = MediaFetcher(store, gated)
    first, second = TakePlayer(fetcher), TakePlayer(fetcher)
    for p in (first, second):
        qtbot.addWidget(p)
    first.load_take(two_stations.big, 4.0)           # starts by itself
    qtbot.waitUntil(lambda: bool(hubs) and hubs[0].started.is_set(), timeout=10000)
    second.load_take(two_stations.big, 4.0)          # joins the running download
    assert second.remote.state == "downloading" and second.remote.job is first.remote.job
    hubs[0].gate.set()
    qtbot.waitUntil(lambda: first.screen.currentWidget() is not first.remote
                    and second.screen.currentWidget() is not second.remote, timeout=20000)
    assert len(hubs) == 1


def test_review_certify_evidence_and_coach_fetch_remote_takes(two_stations, store, main_window, qtbot):
    reviewer = PeopleRepo(store).add("Rita Reviewer", "rep", "North")
    main_window.context.set_person(reviewer)
    main_window.show_page(1)
    review = main_window.page("review")
    qtbot.waitUntil(lambda: two_stations.video in [r.recording_id for r in review.list.model.rows], timeout=10000)
    review.open_take(two_stations.video)
    assert review.player.screen.currentWidget() is review.player.remote
    shot(main_window, "review-remote-take")
    qtbot.mouseClick(review.player.remote.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(review.player.has_video, timeout=20000)

    from ui.widgets.certify_evidence import EvidencePanel
    panel = EvidencePanel(store, main_window.context.services.media)
    qtbot.addWidget(panel)
    panel.takes.addItem("big take", two_stations.big)
    panel._show_take(0)
    assert panel.player.screen.currentWidget() is panel.player.remote
    assert panel.player.remote.button.text() == "Download (3.0 MB)"


    main_window.show_page(2)
    coach = main_window.page("coach")
    qtbot.waitUntil(lambda: len(coach.queue.model.rows) == 2, timeout=10000)
    coach.queue.select(two_stations.big)
    player = coach.take.player
    assert player.recording_id == two_stations.big and player.remote.state == "offer"
    shot(main_window, "coach-remote-take")
    player.seek(1.0)
    coach.queue.reload()                               # a refresh shows the same take: the player stays
    qtbot.waitUntil(lambda: not coach.queue.loading, timeout=10000)
    assert player.recording_id == two_stations.big and player.position() == 1.0
    coach.queue.select(two_stations.video)             # downloaded by Review above: simply plays
    assert player.has_video()


def test_station_names_travel_and_a_rename_follows_at_the_next_sync(two_stations, store):
    from store.changes import Changes

    other = two_stations.other
    assert station_label(store, other.station_id) == "Booth 2"
    assert station_label(store, "0123456789abcdef") == "another station (01234567)"
    rename(other, "  Booth   2b ")
    assert other.station_name == "Booth 2b"
    Syncer(other, open_hub(str(two_stations.hub)), team_key()).run()
    report = Syncer(store, open_hub(str(two_stations.hub)), team_key()).run()
    assert report.received_by_table == {"stations": 1}
    assert Changes.from_report(report) == Changes.of("station")
    assert station_names(store)[other.station_id] == "Booth 2b"
    with pytest.raises(ValueError, match="needs a name"):
        rename(other, "   ")


def test_an_s3_hub_that_does_not_answer_is_said_plainly(two_stations, store, qtbot, monkeypatch):
    import socket

    with socket.socket() as s:                          # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    SyncConfig(hub="s3://kickoff/event", endpoint_url=f"http://127.0.0.1:{port}").save(store)
    player = make_player(store, qtbot)
    player.load_take(two_stations.video, 4.0)
    qtbot.mouseClick(player.remote.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.remote.state == "error", timeout=60000)
    text = player.remote.message.text()
    assert text.startswith("The hub at s3://kickoff/event cannot be reached: ")
    assert f"127.0.0.1:{port}" in text and text.endswith("Try again when the station is online.")
