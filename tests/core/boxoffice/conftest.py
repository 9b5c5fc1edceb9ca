"""A small festival to sell: one show with two performances, prices, caps, a pass and staff of every role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from gbetix_core.boxoffice import catalog
from gbetix_core.boxoffice.catalog import Component
from gbetix_core.models import Performance, Staff, TicketType
from gbetix_core.people.staff import add_staff
from tests.core.boxoffice.helpers import CURTAIN



@dataclass
class Festival:
    manager: Staff
    boxoffice: Staff
    door: Staff
    friday: Performance
    saturday: Performance
    ga: TicketType
    student: TicketType
    comp: TicketType
    admission: TicketType
    weekend: TicketType


@pytest.fixture
def festival(db) -> Festival:
    admin = add_staff("Ada", "admin")
    manager = add_staff("Manny", "manager", by=admin)
    boxoffice = add_staff("Bea", "boxoffice", by=admin)
    door = add_staff("Dana", "door", by=admin)
    show = catalog.add_show(manager, "The Main Event", 2026)
    friday, saturday = catalog.add_performances(manager, show, [CURTAIN, CURTAIN + dt.timedelta(days=1)],
                                                house_capacity=10, max_advance_sales=8)
    ga = catalog.add_ticket_type(manager, "General Admission", "35.00", 2026, display_order=1)
    student = catalog.add_ticket_type(manager, "Student", "25", 2026, display_order=2)
    comp = catalog.add_ticket_type(manager, "Comp", 0, 2026, category="comp", availability="boxoffice")
    admission = catalog.add_ticket_type(manager, "Pass admission", 0, 2026, category="subscriber",
                                        availability="boxoffice", walkup_allowed=False)
    weekend = catalog.add_ticket_type(manager, "Weekend Pass", "60", 2026, category="bundle", subscription=True,
                                      components=[Component(admission.id, friday.id), Component(admission.id, saturday.id)])
    both = [friday, saturday]
    window = {"start_before_curtain": dt.timedelta(days=30), "end_before_curtain": dt.timedelta(minutes=-45)}
    catalog.set_offers(manager, ga, both, max_per_order=6, **window)
    catalog.set_offers(manager, student, both, max_sales=3, **window)
    catalog.set_offers(manager, comp, both, **window)
    catalog.set_offers(manager, admission, both)
    return Festival(manager, boxoffice, door, friday, saturday, ga, student, comp, admission, weekend)
