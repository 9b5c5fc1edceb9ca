"""``gbetix sell``, ``checkin``, ``cancel`` and ``report``: the box office for scripts.

Every value is checked before anything is written: a malformed argument is
refused by argparse (exit 2); an unknown performance, ticket type or product
is refused by the core (exit 2); a sale the rules forbid exits 4.
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal

from gbetix_core import validation
from gbetix_core.boxoffice.catalog import get, label
from gbetix_core.boxoffice.door import check_in, undo_check_in
from gbetix_core.boxoffice.door_search import search
from gbetix_core.boxoffice.orders import cancel_confirmation
from gbetix_core.boxoffice.reports import FORMATS, REPORTS, run_report
from gbetix_core.boxoffice.sales import PAYMENTS, Basket, sell_walkup
from gbetix_core.cli.context import iso_date, positive_int, positive_money
from gbetix_core.errors import InputError, NotFound
from gbetix_core.matching.links import find_user
from gbetix_core.models import AccountCode, Performance, Product, TicketType


def register(subparsers, common) -> None:
    sell = subparsers.add_parser("sell", parents=[common], help="sell at the door (walkup), all or nothing")
    sell.add_argument("performance", type=positive_int, help="performance id")
    sell.add_argument("tickets", nargs="*", type=_pair, metavar="TYPE=QTY", help="ticket type (name or id) and count")
    sell.add_argument("--item", action="append", type=_pair, default=[], metavar="PRODUCT=QTY", help="retail item")
    sell.add_argument("--donation", type=positive_money, metavar="AMOUNT")
    sell.add_argument("--donation-account", metavar="CODE", help="account code the donation is booked to")
    sell.add_argument("--payment", required=True, choices=PAYMENTS)
    sell.add_argument("--ref", metavar="TEXT", help="check number or card reference")
    sell.add_argument("--customer", metavar="USERNAME", help="hold the tickets for a registered user")
    sell.add_argument("--promo", metavar="CODE")
    sell.add_argument("--as", dest="staff", required=True, metavar="STAFF")
    sell.add_argument("--override", action="store_true", help="sell past a ticket-type cap (manager)")
    sell.add_argument("--comment", metavar="TEXT", help="a note for the door, e.g. '2 wheelchairs'")
    sell.add_argument("--tendered", type=positive_money, metavar="AMOUNT", help="cash handed over (prints the change due)")
    sell.add_argument("--dated", type=_moment, metavar="'YYYY-MM-DD HH:MM'",
                      help="when the sale happened, festival time (earlier than now: manager, with --reason)")
    sell.add_argument("--reason", help="why the sale is back-dated (goes to the audit log)")
    sell.set_defaults(handler=run_sell)

    checkin = subparsers.add_parser("checkin", parents=[common], help="admit (or un-admit) a party at the door")
    checkin.add_argument("performance", type=positive_int, help="performance id")
    checkin.add_argument("who", metavar="CONFIRMATION|NAME", help="BPT confirmation, #order, name or email")
    checkin.add_argument("--count", type=positive_int, help="how many of the party (default: all still to come)")
    checkin.add_argument("--undo", action="store_true", help="take back this party's check-ins")
    checkin.add_argument("--as", dest="staff", required=True, metavar="STAFF")
    checkin.set_defaults(handler=run_checkin)

    cancel = subparsers.add_parser("cancel", parents=[common],
                                   help="cancel what stands on an order (#123) or a BPT confirmation, with refund rows")
    cancel.add_argument("confirmation", metavar="#ORDER|CONFIRMATION")
    cancel.add_argument("--no-refund", dest="refund", action="store_false",
                        help="cancel without writing refund rows (nothing was paid back)")
    cancel.add_argument("--reason", required=True, help="goes to the audit log")
    cancel.add_argument("--as", dest="staff", required=True, metavar="STAFF")
    cancel.set_defaults(handler=run_cancel)

    report = subparsers.add_parser("report", parents=[common], help="box-office reports (text or CSV)")
    report.add_argument("name", choices=tuple(REPORTS))
    report.add_argument("--format", choices=FORMATS, default="text")
    report.add_argument("--from", dest="start", type=iso_date, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", type=iso_date, metavar="YYYY-MM-DD")
    report.add_argument("--performance", type=positive_int, metavar="ID")
    report.add_argument("--promo", metavar="CODE", help="only what this promo code sold (sales and promo reports)")
    report.set_defaults(handler=run_report_verb)


def _pair(text: str) -> tuple[str, int]:
    name, sep, qty = text.rpartition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: write NAME=QUANTITY")
    return name.strip(), positive_int(qty)


def _moment(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date and time (YYYY-MM-DD HH:MM)") from None


def _find(model, name: str, what: str):
    """A row by id, or by its exact name (case aside): never a pattern, so ``Gen%`` is nobody's name.

    Case is folded in Python: SQLite's LOWER() leaves non-ASCII letters alone ("Élite").
    """
    if name.isdigit():
        return get(model, validation.integer(f"{what} id", name, low=1), what)
    wanted = validation.name(f"{what} name", name).casefold()
    found = [row for row in model.select() if row.name.casefold() == wanted]
    if len(found) != 1:
        raise NotFound(f"No single {what} called {name!r}" + (" (several match; use its id)." if found else "."))
    return found[0]


def run_sell(args, ctx) -> int:
    ctx.open()
    staff = ctx.operator(args.staff)
    perf = get(Performance, args.performance, "performance")
    tickets = _counts(TicketType, args.tickets, "ticket type")
    products = _counts(Product, args.item, "product")
    customer = find_user(args.customer) if args.customer is not None else None
    account = None
    if args.donation_account is not None:
        code = validation.text("--donation-account", args.donation_account, required=True)
        account = AccountCode.get_or_none(AccountCode.code == code)
        if account is None:
            raise NotFound(f"No account code {args.donation_account!r}.")
    basket = Basket(perf.id, tickets, products, donation=args.donation or Decimal(0),
                    donation_account=account.id if account else None)
    order = sell_walkup(staff, basket, payment=args.payment, payment_ref=args.ref, customer=customer,
                        override=args.override, promo_code=args.promo, time_zone=ctx.config.boxoffice.time_zone,
                        now=args.dated, backdate_reason=args.reason, comments=args.comment,
                        cash_tendered=args.tendered)
    seats = sum(tickets.values())
    print(f"order {order.id}: {seats} ticket(s) for {label(perf)}, total {order.total} ({order.payment_method})")
    if order.cash_tendered is not None:
        print(f"tendered {order.cash_tendered}, change due {order.cash_tendered - order.total}")
    return 0


def _counts(model, pairs: list[tuple[str, int]], what: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for name, qty in pairs:
        row = _find(model, name, what)
        counts[row.id] = counts.get(row.id, 0) + qty
    return counts


def run_checkin(args, ctx) -> int:
    ctx.open()
    staff = ctx.operator(args.staff)
    perf = get(Performance, args.performance, "performance")
    parties = search(args.who, perf, limit=5)
    exact = [p for p in parties if args.who.strip().lstrip("#").upper() in
             {c.lstrip("#").upper() for c in p.confirmations}]
    chosen = exact or parties
    if not chosen:
        raise NotFound(f"Nobody on the door list of {label(perf)} matches {args.who!r}.")
    if len(chosen) > 1:
        names = "; ".join(f"{p.name} ({', '.join(p.confirmations)})" for p in chosen)
        raise InputError(f"{args.who!r} matches several parties: {names}. Use a confirmation number.")
    party = chosen[0]
    if args.undo:
        undone = undo_check_in(staff, [t.item_id for t in party.tickets])
        print(f"{party.name}: {undone} check-in(s) undone")
        return 0
    made = check_in(staff, perf, [t.item_id for t in party.tickets], args.count)
    print(f"{party.name}: {len(made)} checked in, {party.to_come - len(made)} still to come")
    return 0


def run_cancel(args, ctx) -> int:
    ctx.open()
    staff = ctx.operator(args.staff)
    count, refunded = cancel_confirmation(staff, args.confirmation, refund=args.refund, reason=args.reason)
    money = f", {refunded} refunded" if args.refund else ", no refund rows"
    print(f"{args.confirmation}: {count} item(s) cancelled{money}")
    return 0


def run_report_verb(args, ctx) -> int:
    ctx.open()
    report = run_report(args.name, performance=args.performance, start=args.start, end=args.end,
                        time_zone=ctx.config.boxoffice.time_zone, promo=args.promo)
    print(report.render(args.format), end="")
    return 0
