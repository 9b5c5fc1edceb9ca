"""``gbetix transfer``: hand tickets on from a script, over the same core functions as the app's transfers screen."""

from __future__ import annotations

from gbetix_core.boxoffice.transfers import cancel_transfers_of, tickets_named, transfer_tickets
from gbetix_core.errors import InputError
from gbetix_core.matching.links import find_user

CANCEL = "cancel"


def register(subparsers, common) -> None:
    transfer = subparsers.add_parser(
        "transfer", parents=[common],
        help="give tickets to a user or to a name and email; 'transfer cancel TICKET...' cancels pending ones",
        description="TICKET is a ticket number (12 or #12) or a BPT confirmation number (all its live tickets). "
                    "'gbetix transfer cancel TICKET... --as STAFF' cancels the pending transfers of those tickets.")
    transfer.add_argument("tickets", nargs="+", metavar="TICKET_NUMBER")
    transfer.add_argument("--to", metavar="USERNAME", help="a registered festival user")
    transfer.add_argument("--to-name", metavar="NAME", help="someone not registered yet (with --to-email)")
    transfer.add_argument("--to-email", metavar="EMAIL", help="their email: they are told, and receive the tickets "
                                                              "when they register with it")
    transfer.add_argument("--reason", help="why (goes to the audit log)")
    transfer.add_argument("--as", dest="operator", required=True, metavar="STAFF", help="the operator")
    transfer.set_defaults(handler=run_transfer)


def run_transfer(args, ctx) -> int:
    staff = ctx.operator(args.operator)
    if args.tickets[0] == CANCEL:
        if args.to or args.to_name or args.to_email or len(args.tickets) == 1:
            raise InputError("Use: gbetix transfer cancel TICKET_NUMBER... --as STAFF")
        count = cancel_transfers_of(staff, tickets_named(args.tickets[1:]))
        print(f"{count} pending transfer(s) canceled")
        return 0
    if bool(args.to) == bool(args.to_name or args.to_email) or (not args.to and not args.to_email):
        raise InputError("Give either --to USERNAME, or --to-name NAME --to-email EMAIL.")
    recipient = find_user(args.to) if args.to else None
    result = transfer_tickets(staff, tickets_named(args.tickets), to_user=recipient, to_name=args.to_name,
                              to_email=args.to_email, reason=args.reason)
    if result.pending:
        print(f"{len(result.pending)} ticket(s) waiting for {args.to_email}: they are told by email, and receive "
              "them when they register with that address")
    else:
        print(f"{result.moved} ticket(s) moved")
    return 0
