"""``gbetix drawer takings|close``: the day's takings per operator and payment, and the closing cash count."""

from __future__ import annotations

from gbetix_core.boxoffice.clock import festival_now
from gbetix_core.boxoffice.drawer import close_drawer, drawer_counts, takings
from gbetix_core.cli.context import iso_date, non_negative_money
from gbetix_core.people.staff import get_staff


def register(subparsers, common) -> None:
    drawer = subparsers.add_parser("drawer", parents=[common], help="takings per operator and payment; the cash count")
    dsub = drawer.add_subparsers(dest="drawer_verb", metavar="ACTION", required=True)
    shown = dsub.add_parser("takings", parents=[common], help="a day's takings per operator and payment method")
    shown.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="festival day (default: today)")
    shown.set_defaults(handler=run_takings)
    close = dsub.add_parser("close", parents=[common], help="record an operator's closing cash count and the difference")
    close.add_argument("operator", metavar="OPERATOR", help="whose drawer was counted")
    close.add_argument("--counted", type=non_negative_money, required=True, metavar="AMOUNT", help="cash counted (less the float)")
    close.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="festival day (default: today)")
    close.add_argument("--note", metavar="TEXT")
    close.add_argument("--as", dest="staff", required=True, metavar="STAFF")
    close.set_defaults(handler=run_close)


def _day(args, ctx):
    return args.date or festival_now(ctx.config.boxoffice.time_zone).date()


def run_takings(args, ctx) -> int:
    ctx.open()
    day = _day(args, ctx)
    print(f"Takings {day}")
    for t in takings(day, ctx.config.boxoffice.time_zone):
        print(f"  {t.operator:20} {t.payment:6} sales {t.sales:>10}  refunds {t.refunds:>10}  net {t.net:>10}")
    for count in drawer_counts(day):
        print(f"  counted {count.operator.name}: {count.counted:.2f} against {count.expected:.2f}, "
              f"difference {count.difference:.2f}")
    return 0


def run_close(args, ctx) -> int:
    ctx.open()
    staff = ctx.operator(args.staff)
    count = close_drawer(staff, get_staff(args.operator), _day(args, ctx), args.counted, note=args.note,
                         time_zone=ctx.config.boxoffice.time_zone)
    print(f"{count.operator.name}'s drawer {count.business_date}: counted {count.counted:.2f}, "
          f"expected {count.expected:.2f}, difference {count.difference:.2f}")
    return 0
