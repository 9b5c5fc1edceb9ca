"""``gbetix mail send|list|status`` and ``gbetix claim-code``: the outbox, and claims proven by email."""

from __future__ import annotations

import signal
import sys
import threading

from gbetix_core.cli.context import positive_int
from gbetix_core.db import write
from gbetix_core.mail import notices
from gbetix_core.mail.outbox import counts, list_outbox
from gbetix_core.mail.rounds import mail_round, watch
from gbetix_core.mail.sender import Delivery
from gbetix_core.matching.claim_codes import enter_code, request_code
from gbetix_core.models.mail import OUTBOX_STATUSES


def register(subparsers, common) -> None:
    mail = subparsers.add_parser("mail", parents=[common], help="the outbox: send, list, send a user their status")
    sub = mail.add_subparsers(dest="mail_verb", metavar="ACTION", required=True)
    send = sub.add_parser("send", parents=[common], help="deliver what is due (nothing with backend outbox-only)")
    send.add_argument("--watch", action="store_true",
                      help="keep sending every [mail] poll_interval seconds until Ctrl-C or SIGTERM")
    send.set_defaults(handler=run_send)
    listing = sub.add_parser("list", parents=[common], help="the outbox, newest first")
    listing.add_argument("--status", choices=OUTBOX_STATUSES, help="only messages in this state")
    listing.add_argument("--limit", type=positive_int, default=100, help="at most this many (default 100)")
    listing.set_defaults(handler=run_list)
    status = sub.add_parser("status", parents=[common], help="mail a user the text of gbetix status")
    status.add_argument("username")
    status.set_defaults(handler=run_status_mail)

    code = subparsers.add_parser("claim-code", parents=[common],
                                 help="claim a purchase with a code mailed to its BPT email: without CODE, mail one")
    code.add_argument("username")
    code.add_argument("ticket_number", metavar="TICKET_NUMBER")
    code.add_argument("code", nargs="?", metavar="CODE", help="the code from the email")
    code.set_defaults(handler=run_claim_code)


def run_send(args, ctx) -> int:
    ctx.open()
    if not args.watch:
        delivery = mail_round(ctx.config)
        print(_describe(delivery, ctx.config.mail.backend))
        return 0 if not delivery.problems else 1
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"sending every {ctx.config.mail.poll_interval:g} s ({ctx.config.mail.backend}); Ctrl-C stops")
    try:
        watch(ctx.config, stop, lambda d: print(_describe(d, ctx.config.mail.backend), flush=True))
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0


def _describe(delivery: Delivery, backend: str) -> str:
    if backend == "outbox-only":
        return f'{delivery.waiting} waiting in the outbox; [mail] backend = "outbox-only" sends nothing'
    return delivery.text()


def run_list(args, ctx) -> int:
    ctx.open()
    for line in list_outbox(args.status, args.limit):
        print(line.line())
    print(", ".join(f"{n} {status}" for status, n in counts().items()))
    return 0


def run_status_mail(args, ctx) -> int:
    ctx.open()
    with write():
        message = notices.status_on_demand(args.username)
    print(f"status for {args.username} queued to {message.to_email} (message {message.id})")
    return 0


def run_claim_code(args, ctx) -> int:
    ctx.open()
    if args.code is None:
        answer = request_code(args.username, args.ticket_number, ctx.config)
        print(answer.message)
        return 0 if answer.ok else 1
    result = enter_code(args.username, args.ticket_number, args.code, ctx.config)
    print(result.message)
    return 0 if result.ok else 1
