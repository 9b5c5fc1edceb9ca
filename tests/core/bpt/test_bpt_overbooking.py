"""BPT sells elsewhere: its tickets are always imported, and an overbooking is reported, never hidden."""

import json

from gbetix_core.boxoffice.availability import inventory
from gbetix_core.models import BptDate, Performance
from tests.bpt_support import DATES, line


def opening_night(house: int, advance: int) -> Performance:
    performance = Performance.select().order_by(Performance.starts_at).first()
    performance.house_capacity, performance.max_advance_sales = house, advance
    performance.save()
    return performance


def test_bpt_tickets_past_the_advance_limit_are_imported_with_a_warning(bpt):
    bpt.sync()
    performance = opening_night(house=4, advance=2)
    assert BptDate.get(BptDate.date_id == DATES[0]).performance_id == performance.id
    bpt.dataset.add_orders([line(1, quantity=3)])
    run = bpt.sync()
    assert run.new == 1
    assert inventory(performance).sold == 3
    warnings = json.loads(run.warnings)
    assert any("3 tickets sold with BPT's, over its advance-sales limit of 2" in w for w in warnings), warnings


def test_bpt_tickets_past_the_house_say_so(bpt):
    bpt.sync()
    opening_night(house=2, advance=2)
    bpt.dataset.add_orders([line(2, quantity=3)])
    warnings = json.loads(bpt.sync().warnings)
    assert any("over its house capacity of 2" in w for w in warnings), warnings


def test_a_sync_within_capacity_warns_of_nothing(bpt):
    bpt.dataset.add_orders([line(3, quantity=2)])
    assert not any("sold with BPT's" in w for w in json.loads(bpt.sync().warnings))
