"""``gbetix offers``, ``move``, ``receipt``, ``passes`` and ``reserve``: the box office's counter for scripts."""

from __future__ import annotations

from pathlib import Path

from gbetix_core.boxoffice.availability import explanation_for, offers_for
from gbetix_core.boxoffice.catalog import get, label
from gbetix_core.boxoffice.clock import festival_now
from gbetix_core.boxoffice.orders import move_tickets
from gbetix_core.boxoffice.receipts import export_receipt, receipt
from gbetix_core.boxoffice.reservations import passes_of, reserve
from gbetix_core.cli.context import positive_int
from gbetix_core.errors import InputError, NotFound
from gbetix_core.models import Item, Order, Performance, User


def register(subparsers, common) -> None:
    offers = subparsers.add_parser("offers", parents=[common],
                                   help="a performance's offers: seats left, or why not (managers see promo codes)")
    offers.add_argument("performance", type=positive_int, help="performance id")
    offers.add_argument("--promo", metavar="CODE", help="as if the customer gave this promo code")
    offers.add_argument("--as", dest="staff", required=True, metavar="STAFF")
    offers.set_defaults(handler=run_offers)

    move = subparsers.add_parser("move", parents=[common], help="move tickets of an order to another performance")
    move.add_argument("order", metavar="#ORDER", type=_order_number)
    move.add_argument("performance", type=positive_int, help="the performance they move to")
    chosen = move.add_mutually_exclusive_group()
    chosen.add_argument("--ticket", type=positive_int, action="append", default=[], metavar="ID",
                        help="a ticket to move (repeat for several)")
    chosen.add_argument("--all", action="store_true", help="every standing ticket of the order")
    move.add_argument("--reason", help="goes to the audit log")
    move.add_argument("--as", dest="staff", required=True, metavar="STAFF")
    move.set_defaults(handler=run_move)

    shown = subparsers.add_parser("receipt", parents=[common], help="an order's receipt, again; --export writes text and PDF")
    shown.add_argument("order", metavar="#ORDER", type=_order_number)
    shown.add_argument("--export", metavar="DIR", type=Path, help="write receipt-N.txt and receipt-N.pdf here")
    shown.set_defaults(handler=run_receipt)

    passes = subparsers.add_parser("passes", parents=[common], help="a user's passes with open admissions, and what is reserved")
    passes.add_argument("user", metavar="USERNAME")
    passes.set_defaults(handler=run_passes)
    reserving = subparsers.add_parser("reserve", parents=[common],
                                      help="reserve a performance with an open admission of a pass (even when sold out)")
    reserving.add_argument("pass_item", type=positive_int, metavar="PASS", help="the pass's item number (gbetix passes)")
    reserving.add_argument("performance", type=positive_int, help="performance id")
    reserving.add_argument("--admit", action="store_true", help="at the door: check the holder in at once")
    reserving.add_argument("--as", dest="staff", required=True, metavar="STAFF")
    reserving.set_defaults(handler=run_reserve)


def _order_number(text: str) -> int:
    return positive_int(text.strip().lstrip("#"))


def run_offers(args, ctx) -> int:
    ctx.open()
    staff = ctx.operator(args.staff)
    perf = get(Performance, args.performance, "performance")
    statuses = offers_for(perf, promo_code=args.promo, now=festival_now(ctx.config.boxoffice.time_zone))
    print(label(perf))
    for status in statuses:
        print(f"  {status.ticket_type.name:28} {status.price:>8}  {explanation_for(status, staff)}")
    return 0


def run_move(args, ctx) -> int:
    ctx.open()
    staff = ctx.operator(args.staff)
    order = get(Order, args.order, "order")
    tickets = args.ticket
    if args.all:
        tickets = [t.id for t in Item.select(Item.id).where((Item.order == order.id) & (Item.kind == "ticket")
                                                            & Item.performance.is_null(False) & Item.bundle.is_null())]
    elif not tickets:
        raise InputError("Choose the tickets to move: --ticket ID (repeat it) or --all.")
    moved = move_tickets(staff, order, tickets, args.performance, reason=args.reason,
                         time_zone=ctx.config.boxoffice.time_zone)
    print(f"order {order.id}: {moved} ticket(s) moved to {label(get(Performance, args.performance, 'performance'))}")
    return 0


def run_receipt(args, ctx) -> int:
    ctx.open()
    zone = ctx.config.boxoffice.time_zone
    if args.export:
        for path in export_receipt(args.order, args.export, zone):
            print(path)
        return 0
    print(receipt(args.order, zone).text(), end="")
    return 0


def run_passes(args, ctx) -> int:
    ctx.open()
    user = User.get_or_none(User.username == args.user)
    if user is None:
        raise NotFound(f"No user called {args.user!r}.")
    for held in passes_of(user):
        print(f"pass {held.item_id}: {held.name}, {held.left} of {held.admissions} admissions left")
        for reservation in held.reserved:
            print(f"  ticket {reservation.item_id}: {reservation.performance}")
    return 0


def run_reserve(args, ctx) -> int:
    ctx.open()
    seat = reserve(ctx.operator(args.staff), args.pass_item, args.performance, admit=args.admit)
    admitted = ", checked in" if args.admit else ""
    print(f"ticket {seat.id}: reserved for {label(get(Performance, args.performance, 'performance'))}{admitted}")
    return 0
