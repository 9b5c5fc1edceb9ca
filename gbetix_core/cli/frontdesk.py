"""``gbetix offers``: what a performance offers and why, in the words the operator's role may see."""

from __future__ import annotations

from gbetix_core.boxoffice.availability import explanation_for, offers_for
from gbetix_core.boxoffice.catalog import get, label
from gbetix_core.boxoffice.clock import festival_now
from gbetix_core.cli.context import positive_int
from gbetix_core.models import Performance


def register(subparsers, common) -> None:
    offers = subparsers.add_parser("offers", parents=[common],
                                   help="a performance's offers: seats left, or why not (managers see promo codes)")
    offers.add_argument("performance", type=positive_int, help="performance id")
    offers.add_argument("--promo", metavar="CODE", help="as if the customer gave this promo code")
    offers.add_argument("--as", dest="staff", required=True, metavar="STAFF")
    offers.set_defaults(handler=run_offers)


def run_offers(args, ctx) -> int:
    ctx.open()
    staff = ctx.operator(args.staff)
    perf = get(Performance, args.performance, "performance")
    statuses = offers_for(perf, promo_code=args.promo, now=festival_now(ctx.config.boxoffice.time_zone))
    print(label(perf))
    for status in statuses:
        print(f"  {status.ticket_type.name:28} {status.price:>8}  {explanation_for(status, staff)}")
    return 0
