"""store/changes.py: the typed change notification and the map from synced tables to it."""
from __future__ import annotations

import pytest

from store.changes import KINDS, TABLE_KINDS, Changes
from store.sync.report import SyncReport
from store.sync.tables import synced_tables


def test_every_synced_table_maps_to_a_kind_of_change(store):
    tables = set(synced_tables(store.db.conn))
    assert tables, "a fresh station syncs some tables"
    missing = sorted(tables - set(TABLE_KINDS))
    assert not missing, (f"synced table(s) {missing} have no entry in store/changes.py TABLE_KINDS: "
                         "say which pages their rows concern")
    stale = sorted(set(TABLE_KINDS) - tables)
    assert not stale, f"TABLE_KINDS names tables that do not sync (any more): {stale}"
    for table, kinds in TABLE_KINDS.items():
        assert kinds and kinds <= set(KINDS), table


def test_from_tables_takes_the_kinds_of_tables_with_rows():
    changes = Changes.from_tables({"scorecards": 2, "scores": 10, "people": 0, "segments": 40})
    assert changes.kinds() == {"scores", "transcripts"}
    assert changes == Changes(scores=True, transcripts=True)
    assert not Changes.from_tables({})
    assert not Changes.from_tables({"recordings": 0})


def test_an_unknown_table_counts_as_every_data_kind():
    changes = Changes.from_tables({"table_from_a_newer_version": 3})
    assert changes.kinds() == set(KINDS) - {"station", "sync_settings"}


def test_from_report_adds_media_when_videos_arrived():
    report = SyncReport(received_by_table={"recordings": 1}, received_media=1)
    assert Changes.from_report(report).kinds() == {"recordings", "media"}
    assert Changes.from_report(SyncReport()).kinds() == set()


def test_of_refuses_a_misspelt_kind_and_merging_is_a_union():
    with pytest.raises(ValueError, match="'score'"):
        Changes.of("score")
    merged = Changes.of("kit") | Changes.of("people", "kit")
    assert merged.kinds() == {"kit", "people"}
    assert merged.touches({"people", "signoffs"}) and not merged.touches({"signoffs"})
    assert str(Changes.of("people", "kit")) == "people, kit"
    assert str(Changes()) == "nothing"
    assert Changes.everything().kinds() == set(KINDS)
