"""A small festival for matching tests: named users, BPT order lines, tickets held by the daemon."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from gbetix_core.boxoffice.tickets import issue_tickets
from gbetix_core.config import Config, TokensConfig
from gbetix_core.db import write
from gbetix_core.demo.people import users_csv
from gbetix_core.demo.purchases import store_orders
from gbetix_core.matching import tokens
from gbetix_core.models import MatchCandidate, Order, Performance, Purchase, PurchaseMatch, Show, TicketType, User
from gbetix_core.people.accounts import special_account
from gbetix_core.people.staff import add_staff
from gbetix_core.people.users_import import import_users

SECRET = "test-secret-0123456789abcdef012345"
EVENT = "4410001"
PEOPLE = {
    "bob": ("Robert", "Smith", "bob.smith@example.org", "617-555-0101", ""),
    "alice": ("Alice", "Jones", "alice.jones@gmail.com", "", ""),
    "george": ("George", "Baker", "george@example.org", "", "george.work@example.org"),
    "amy": ("Amy", "Lee", "amy.lee@example.org", "", ""),
    "rosa1": ("Rosa", "Delgado", "rosa.d@example.org", "", ""),
    "rosa2": ("Rosa", "Delgado", "rdelgado@example.com", "", ""),
    "renee": ("Renée", "O'Brien-Müller", "renee@example.org", "(401) 555-0177", ""),
    "liz": ("Elizabeth", "Hall", "liz.hall@example.org", "", "hallfamily@example.org"),
    "tom": ("Thomas", "Hall", "tom.hall@example.org", "", "hallfamily@example.org"),
}


def user_rows(names=PEOPLE) -> list[dict]:
    return [{"username": u, "first_name": f, "last_name": l, "email": e, "phone": p, "purchase_email": pe,
             "address": "12 Main St", "city": "Boston", "state": "MA", "zip": "02118", "country": "United States",
             "site_id": site_id(u)}
            for u, (f, l, e, p, pe) in names.items()]


def site_id(username: str) -> str:
    """The festival site's id for a test user: never one of gbetix's own row ids."""
    return str(5000 + sum(ord(ch) * 31 ** i for i, ch in enumerate(username)) % 90_000)


def order(number: str, first: str, last: str, email: str, *, phone: str = "", tracker: str = "", notes: str = "",
          quantity: int = 1) -> dict:
    return {"order_time": "2026-10-02 21:14:05", "date_id": "5521001", "price_id": "7730012", "quantity": str(quantity),
            "fname": first, "lname": last, "address": "", "city": "", "state": "", "zip": "", "country": "",
            "email": email, "phone": phone, "cc": "N/A", "shipping_method": "Will Call", "order_notes": notes,
            "ticket_number": number, "section": "", "row": "", "seat": "", "tracker_id": tracker, "event_id": EVENT}


class Festival:
    """What a matching test needs: config, users by username, and helpers to buy and inspect."""

    def __init__(self):
        self.config = Config(tokens=TokensConfig(secret=SECRET))
        self.secret = SECRET.encode()
        import_users(io.StringIO(users_csv(user_rows())))
        self.users = {u.username: u for u in User.select().where(User.special.is_null())}
        with write():
            show = Show.create(name="The Main Event", season=2026)
            self.performance = Performance.create(show=show, starts_at=dt.datetime(2026, 11, 27, 19, 30),
                                                  house_capacity=300, max_advance_sales=280)
            self.ticket_type = TicketType.create(name="General Admission", price=Decimal("35.00"), season=2026)
        self.admin = add_staff("Ada Admin", "admin")
        self.manager = add_staff("Manny Manager", "manager", by=self.admin)

    def token(self, username: str) -> str:
        return tokens.user_tracker(self.secret, self.users[username].id, EVENT)

    def buy(self, *orders: dict) -> list[int]:
        """Store order lines and issue their tickets to the daemon, as the BPT sync does."""
        ids = store_orders(list(orders))
        daemon = special_account("daemon")
        with write():
            for line in orders:
                purchase = Purchase.get_by_id(ids[line["ticket_number"]])
                sale = Order.create(source="bpt", external_ref=line["ticket_number"], customer=daemon, purchaser=daemon,
                                    payment_method="bpt")
                issue_tickets(sale, self.ticket_type, self.performance, int(line["quantity"]), daemon,
                              Decimal("35.00"), purchase=purchase)
        return [ids[line["ticket_number"]] for line in orders]

    def match(self, number: str) -> PurchaseMatch:
        return PurchaseMatch.select().join(Purchase).where(Purchase.ticket_number == number).get()

    def owners(self, number: str) -> set[str]:
        purchase = Purchase.get(Purchase.ticket_number == number)
        return {item.owner.username for item in purchase.items}

    def candidates(self, number: str) -> list[str]:
        purchase = Purchase.get(Purchase.ticket_number == number)
        return [c.user.username for c in MatchCandidate.select().where(MatchCandidate.purchase == purchase)
                .order_by(MatchCandidate.rank)]

    def match_or_none(self, number: str) -> str | None:
        """The purchase's match status, or None when it was never matched."""
        row = PurchaseMatch.select().join(Purchase).where(Purchase.ticket_number == number).first()
        return row.status if row else None
