"""The performance picker shows each performance's seats left."""

from __future__ import annotations

from gbetix_core.boxoffice.availability import inventory
from gbetix_tui.widgets.performance_picker import performance_choices
from tests.tui.festival_data import first_performance, opened, sell_party


def test_each_choice_carries_its_seats_left(festival_url):
    sell_party(festival_url, count=3)
    with opened(festival_url):
        choices = performance_choices()
        first = first_performance()
        [chosen] = [c for c in choices if c.id == first.id]
        assert chosen.seats_left == inventory(first).saleable
        assert f"{chosen.seats_left} seats left" in chosen.shown
        assert all(c.seats_left > 0 for c in choices if c.id != first.id)
