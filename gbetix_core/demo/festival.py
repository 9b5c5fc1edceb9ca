"""The demo festival: the Great Burlesque Expo's weekend, with shows, prices, offers and a pass.

Dates are placed on the next festival weekend after today, so the demo
always has performances to sell for.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gbetix_core.models import (
    AccountCode,
    BundleComponent,
    Offer,
    Performance,
    Product,
    Show,
    TicketType,
)

SHOWS = (
    ("The Main Event", "The Expo's flagship showcase of international headliners.", ((0, 19, 30), (1, 20, 0))),
    ("Newcomer Showcase", "First-time Expo performers in competition.", ((1, 14, 0),)),
    ("Burlesque Brunch", "Sunday brunch with a side of tassels.", ((2, 11, 30),)),
    ("Headliner Showcase", "The Expo's closing night.", ((2, 19, 0),)),
)
HOUSE, ADVANCE = 300, 280


def festival_friday(today: dt.date) -> dt.date:
    """The first Friday at least two days after ``today``."""
    start = today + dt.timedelta(days=2)
    return start + dt.timedelta(days=(4 - start.weekday()) % 7)


def build_festival(today: dt.date | None = None) -> dict[str, list]:
    """Create the demo catalog; return the performances and ticket types made."""
    friday = festival_friday(today or dt.date.today())
    season = friday.year
    tickets = AccountCode.create(code="4000", name="Ticket sales")
    AccountCode.create(code="4100", name="Donations", description="General fund")
    merch = AccountCode.create(code="4200", name="Merchandise")
    types = {
        name: TicketType.create(name=name, price=Decimal(price), season=season, category=category,
                                availability=who, walkup_allowed=walkup, account_code=tickets, display_order=order)
        for order, (name, price, category, who, walkup) in enumerate((
            ("General Admission", "35.00", "revenue", "anyone", True),
            ("Student", "25.00", "revenue", "anyone", True),
            ("VIP", "60.00", "revenue", "anyone", False),
            ("Comp", "0.00", "comp", "boxoffice", True),
            ("Pass admission", "0.00", "subscriber", "boxoffice", False),
        ))
    }
    performances = []
    for name, description, times in SHOWS:
        show = Show.create(name=name, description=description, season=season)
        for day, hour, minute in times:
            starts = dt.datetime.combine(friday + dt.timedelta(days=day), dt.time(hour, minute))
            performances.append(Performance.create(show=show, starts_at=starts, house_capacity=HOUSE,
                                                   max_advance_sales=ADVANCE))
    _offers(performances, types)
    types["Weekend Pass"] = _weekend_pass(season, tickets, performances, types["Pass admission"])
    Product.create(name="Programme", price=Decimal("5.00"), account_code=merch)
    Product.create(name="Expo T-shirt", price=Decimal("20.00"), account_code=merch)
    return {"performances": performances, "ticket_types": list(types.values())}


def _offers(performances: list[Performance], types: dict[str, TicketType]) -> None:
    for performance in performances:
        curtain = performance.starts_at
        for name, cap, codes in (("General Admission", None, None), ("Student", 40, None), ("VIP", 30, None),
                                 ("Comp", 20, None)):
            Offer.create(performance=performance, ticket_type=types[name], max_sales=cap, promo_codes=codes,
                         sales_start=curtain - dt.timedelta(days=60), sales_end=curtain + dt.timedelta(minutes=45),
                         max_per_order=10)
        Offer.create(performance=performance, ticket_type=types["Pass admission"],
                     sales_end=curtain + dt.timedelta(minutes=45))


def _weekend_pass(season: int, code: AccountCode, performances: list[Performance], admission: TicketType) -> TicketType:
    weekend = TicketType.create(name="Weekend Pass", price=Decimal("150.00"), season=season, category="bundle",
                                availability="anyone", walkup_allowed=True, subscription=True, account_code=code,
                                display_order=10, description="One admission to every show of the weekend")
    for performance in performances:
        BundleComponent.create(bundle=weekend, component=admission, performance=performance)
    return weekend
