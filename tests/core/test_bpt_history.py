"""Past syncs as the sync screen lists them: newest first, warnings readable even when stored oddly."""

from __future__ import annotations

from gbetix_core.bpt.history import recent_runs, warnings_of
from gbetix_core.models import SyncRun


def test_recent_runs_are_newest_first_and_limited(db):
    for n in range(5):
        SyncRun.create(status="ok", new=n)
    assert [run.new for run in recent_runs(3)] == [4, 3, 2]


def test_warnings_come_back_as_a_list_whatever_was_stored(db):
    assert warnings_of(SyncRun(warnings='["price 1 unknown", "date 2 unmapped"]')) == [
        "price 1 unknown", "date 2 unmapped"]
    assert warnings_of(SyncRun(warnings="not json")) == ["not json"]
    assert warnings_of(SyncRun(warnings=None)) == []
