"""The main menu's figures and the performance the door is working on."""

from __future__ import annotations

import datetime as dt

from gbetix_core.models import Performance, Show
from gbetix_core.overview import next_performance, overview

CURTAIN = dt.datetime(2026, 12, 4, 19, 30)


def _two_shows() -> tuple[Performance, Performance]:
    show = Show.create(name="The Main Event", season=2026)
    first = Performance.create(show=show, starts_at=CURTAIN, house_capacity=10, max_advance_sales=8)
    second = Performance.create(show=show, starts_at=CURTAIN + dt.timedelta(days=1), house_capacity=10,
                                max_advance_sales=8)
    return first, second


def test_a_show_that_went_up_twenty_minutes_ago_is_still_the_one_at_the_door(db):
    first, second = _two_shows()
    assert next_performance(CURTAIN - dt.timedelta(hours=3)).id == first.id
    assert next_performance(CURTAIN + dt.timedelta(minutes=20)).id == first.id
    assert next_performance(CURTAIN + dt.timedelta(hours=1)).id == second.id
    assert next_performance(CURTAIN + dt.timedelta(days=2)) is None


def test_the_overview_counts_nothing_on_an_empty_festival(db):
    _two_shows()
    view = overview(CURTAIN - dt.timedelta(hours=1))
    assert (view.purchases, view.linked, view.to_review, view.last_sync) == (0, 0, 0, None)
    assert (view.next_show, view.next_starts_at) == ("The Main Event", CURTAIN)
