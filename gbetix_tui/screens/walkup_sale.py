"""What the walkup screen holds and asks the core: the offers and retail lines of a performance, the basket.

Kept apart from the screen so the screen is only keys and drawing. Every
number here comes from the core (``offers_for`` says what is left and why;
``quote`` prices; ``sell_walkup`` sells), nothing is decided in the face.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from gbetix_core.boxoffice.availability import explanation_for, inventory, offers_for, promo_matches
from gbetix_core.boxoffice.catalog import label, list_products
from gbetix_core.boxoffice.sales import Basket, sell_walkup
from gbetix_core.matching.links import find_user
from gbetix_core.models.base import ZERO
from gbetix_core.overview import next_performance
from gbetix_core.people.search import UserHit
from gbetix_core.permissions import can

ANY = 99


@dataclass(frozen=True)
class SaleLine:
    """One row of the screen: a ticket type offered at the door (``t:ID``) or a retail item (``p:ID``)."""

    key: str
    name: str
    price: Decimal
    left: int | None
    allowed: tuple[int, ...]
    why: str
    max_per_order: int | None = None

    @property
    def kind(self) -> str:
        return self.key[0]

    @property
    def id(self) -> int:
        return int(self.key[2:])

    def for_sale(self) -> bool:
        return len(self.allowed) > 1


@dataclass
class Stock:
    """What the screen shows for one performance, loaded in one worker."""

    performance_id: int
    title: str
    lines: list[SaleLine]
    sold: int
    saleable: int
    house_left: int
    unlocked: tuple[str, ...] = ()


@dataclass
class Sale:
    """The basket being built: quantity per line key, donation, payment, who it is for, any override or promo code."""

    quantities: dict[str, int] = field(default_factory=dict)
    donation: Decimal = ZERO
    payment: str = "cash"
    customer: UserHit | None = None
    override: bool = False
    promo_code: str | None = None
    comment: str | None = None
    tendered: Decimal | None = None
    dated: dt.datetime | None = None
    backdate_reason: str | None = None

    def tickets(self) -> int:
        return sum(q for key, q in self.quantities.items() if key.startswith("t:"))

    def basket(self, performance_id: int) -> Basket:
        chosen = {key: q for key, q in self.quantities.items() if q}
        return Basket(performance=performance_id,
                      tickets={int(k[2:]): q for k, q in chosen.items() if k.startswith("t:")},
                      products={int(k[2:]): q for k, q in chosen.items() if k.startswith("p:")},
                      donation=self.donation)


def load_stock(performance_id: int | None, now, override: bool = False, promo_code: str | None = None,
               staff=None) -> Stock | None:
    """The door offers of a performance (past the caps, up to the house, under a manager's override) and retail.

    Offers that need a promo code stay hidden unless ``promo_code`` is one of theirs (a manager sees them,
    not for sale, with the code that opens them); ``unlocked`` names those the code revealed, so the seller
    sees at once whether the code opened anything here.
    """
    perf = next_performance(now) if performance_id is None else None
    pid = performance_id if performance_id is not None else (perf.id if perf else None)
    if pid is None:
        return None
    inv = inventory(pid)
    codes_seen = can(staff, "see_promo_codes")
    shown = [s for s in offers_for(pid, now=now, walkup=True, override=override, promo_code=promo_code)
             if codes_seen or not s.hidden]
    lines = [SaleLine(f"t:{s.ticket_type.id}", s.ticket_type.name, s.price, s.remaining, tuple(s.quantities()),
                      explanation_for(s, staff), s.max_per_order) for s in shown]
    lines += [SaleLine(f"p:{p.id}", p.name, p.price, None, tuple(range(ANY + 1)), "retail") for p in list_products()]
    unlocked = tuple(s.ticket_type.name for s in shown if not s.hidden and not promo_matches(s.offer, None))
    return Stock(pid, label(inv.performance), lines, inv.sold, inv.saleable, inv.house_left, unlocked)


def sell_at_door(staff, basket: Basket, sale: Sale, payment_ref: str | None, now, time_zone: str):
    """The core's walkup sale, for the Walkup customer or the festival user picked."""
    customer = find_user(sale.customer.username) if sale.customer else None
    return sell_walkup(staff, basket, payment=sale.payment, payment_ref=payment_ref, customer=customer,
                       override=sale.override, promo_code=sale.promo_code, now=sale.dated or now,
                       time_zone=time_zone, backdate_reason=sale.backdate_reason, comments=sale.comment, cash_tendered=sale.tendered if sale.payment == "cash" else None)
