"""Station B's Review page in a process of its own, run by tests/test_e2e_stations.py (pytest collects
only test_*.py files, so a plain run of the suite does not pick this one up; the e2e test starts it as
`python -m pytest tests/e2e_review_page.py` with E2E_REVIEW set).

The scorer picks each take in the review list, as a person would; a take recorded on another station
and not yet here is downloaded with the player's Download button (from the hub the station's sync
settings name: a folder or S3). Then the scorer scores every criterion by keyboard (1-5, E cites the
moment, N moves on) and submits with Ctrl+Enter. What was done is written to the JSON file ``out``.

E2E_REVIEW = {"data_dir": ..., "scorer": NAME, "out": FILE, "takes": [{"id", "scores": [..]}]}
ROLECALL_SHOTS=DIR saves a screenshot of the page after each take.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from store.people import PeopleRepo
from store.scores import ScoreRepo
from store.take_media import locate

SPEC = json.loads(os.environ.get("E2E_REVIEW") or "{}")
KEYS = {v: getattr(Qt.Key, f"Key_{v}") for v in range(1, 6)}


@pytest.fixture
def data_dir() -> Path:
    """Overrides conftest's fresh station: this process is station B, with B's own data dir."""
    if not SPEC:
        pytest.fail("E2E_REVIEW is not set: tests/test_e2e_stations.py runs this module")
    return Path(SPEC["data_dir"])


def test_score_the_takes_on_the_review_page(main_window, context, qtbot):
    store = context.store
    scorer = PeopleRepo(store).find(SPEC["scorer"])
    context.set_person(scorer)
    main_window.show_page(1)
    page = main_window.page("review")
    qtbot.waitExposed(page)
    done = {}
    for take in SPEC["takes"]:
        rid = take["id"]
        qtbot.waitUntil(lambda: rid in [r.recording_id for r in page.list.model.rows], timeout=10000)
        page.list.select_row([r.recording_id for r in page.list.model.rows].index(rid))
        assert page.detail is not None and page.detail.recording_id == rid
        here = locate(store, rid).present
        if not here:                                      # recorded elsewhere, video still on the hub
            assert page.player.screen.currentWidget() is page.player.remote
            qtbot.mouseClick(page.player.remote.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(page.player.has_video, timeout=30000)
        media = locate(store, rid)
        assert media.present
        page.setFocus()
        for i, value in enumerate(take["scores"]):
            if i:
                qtbot.keyClick(page, Qt.Key.Key_N)
            qtbot.keyClick(page, KEYS[value])
            qtbot.keyClick(page, Qt.Key.Key_E)
        qtbot.keyClick(page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        card = ScoreRepo(store).current(rid, scorer.id)
        assert card is not None, page.form.message.text()
        assert [card.scores[c["id"]].score for c in page.detail.criteria] == take["scores"]
        assert all(card.scores[c["id"]].evidence_s is not None for c in page.detail.criteria)
        assert "version 1" in page.form.message.text()
        qtbot.waitUntil(lambda: [r.score for r in page.form.rows if r.isVisible()] == take["scores"],
                        timeout=10000)                    # the form shows the card just submitted
        done[rid] = {"downloaded": not here, "sha256": hashlib.sha256(media.path.read_bytes()).hexdigest(),
                     "scorecard": card.id, "version": card.version}
        shots = os.environ.get("ROLECALL_SHOTS")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            main_window.grab().save(str(Path(shots) / f"e2e-review-{rid[:8]}.png"))
    Path(SPEC["out"]).write_text(json.dumps(done), encoding="utf-8")
