"""``gbetix link|bind|match|claim|status|tokens|export|decide``: matching purchases to festival users."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from gbetix_core.bootstrap import token_secret
from gbetix_core import validation
from gbetix_core.errors import InputError
from gbetix_core.matching import decisions
from gbetix_core.matching.claims import claim
from gbetix_core.matching.engine import match_all_unresolved, match_purchases
from gbetix_core.matching.export import FORMATS, write_matches
from gbetix_core.matching.links import bind_session, event_url, export_trackers, session_link, user_link
from gbetix_core.matching.record import purchase_by_number
from gbetix_core.matching.status import status_message
from gbetix_core.private_files import private_file


def register(subparsers, common) -> None:
    link = subparsers.add_parser("link", parents=[common], help="make a purchase link tracker for the festival site")
    who = link.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", metavar="USERNAME", help="a signed-in festival user")
    who.add_argument("--session", metavar="SESSION_ID", help="a visitor not signed in (browser session id)")
    link.add_argument("--event", required=True, metavar="EVENT_ID", help="the BPT event id")
    link.add_argument("--user-agent", help="the visitor's browser user agent (with --session)")
    link.set_defaults(handler=run_link)

    bind = subparsers.add_parser("bind", parents=[common], help="a browser session signed in: match its purchases")
    bind.add_argument("session", metavar="SESSION_ID")
    bind.add_argument("username")
    bind.set_defaults(handler=run_bind)

    match = subparsers.add_parser("match", parents=[common], help="re-run matching on everything unresolved")
    match.add_argument("--ticket", action="append", metavar="TICKET_NUMBER", help="only these purchases (repeatable)")
    match.set_defaults(handler=run_match)

    cl = subparsers.add_parser("claim", parents=[common], help="a user claims a purchase by its confirmation number")
    cl.add_argument("username")
    cl.add_argument("ticket_number", metavar="TICKET_NUMBER")
    cl.add_argument("proof", metavar="LAST_NAME_OR_EMAIL")
    cl.set_defaults(handler=run_claim)

    st = subparsers.add_parser("status", parents=[common], help="a user's purchases, tickets and pending transfers")
    st.add_argument("username")
    st.set_defaults(handler=run_status)

    tok = subparsers.add_parser("tokens", parents=[common], help="purchase link trackers for the festival site")
    toksub = tok.add_subparsers(dest="tokens_verb", metavar="ACTION", required=True)
    exp = toksub.add_parser("export", parents=[common], help="CSV username,tracker for every user")
    exp.add_argument("--event", required=True, metavar="EVENT_ID")
    exp.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    exp.set_defaults(handler=run_tokens_export)

    export = subparsers.add_parser("export", parents=[common], help="export data")
    expsub = export.add_subparsers(dest="export_verb", metavar="WHAT", required=True)
    matches = expsub.add_parser("matches", parents=[common], help="one record per order line: status, user, candidates")
    matches.add_argument("--format", required=True, choices=FORMATS)
    matches.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    matches.set_defaults(handler=run_export_matches)

    _register_decide(subparsers, common)


def _register_decide(subparsers, common) -> None:
    decide = subparsers.add_parser("decide", parents=[common], help="admin decisions on a purchase's match")
    sub = decide.add_subparsers(dest="decide_verb", metavar="ACTION", required=True)

    def action(name: str, help_text: str, *positionals: str):
        parser = sub.add_parser(name, parents=[common], help=help_text)
        for positional in positionals:
            parser.add_argument(positional)
        parser.add_argument("--as", dest="operator", required=True, metavar="STAFF", help="the admin deciding")
        parser.add_argument("--reason", required=True, help="why (goes to the audit log)")
        parser.set_defaults(handler=run_decide, decide_action=name)
        return parser

    action("accept", "link the purchase to one of its candidates", "ticket_number", "username")
    action("assign", "link the purchase to any festival user", "ticket_number", "username")
    action("reject", "reject a candidate, or the link and all candidates", "ticket_number").add_argument(
        "--user", dest="username", help="reject only this candidate")
    action("not-festival", "the buyer is not a festival user", "ticket_number")
    action("split", "one buyer identity, two people: TICKET=USER (or TICKET=- to reject) per purchase", "owners").add_argument(
        "more", nargs="*", help="more TICKET=USER pairs")
    action("undo", "undo a decision by its number", "decision_id")


@contextmanager
def _output(path: str | None):
    """Standard output, or the file ``path`` made 0600; a path the system refuses (a name too long, a folder
    not writable, a disk full) is one line naming it, never a traceback."""
    if not path:
        yield sys.stdout
        return
    target = Path(path)
    try:
        folder, missing = target.is_dir(), not target.parent.exists()
    except OSError as exc:
        raise InputError(f"--output {path!r}: {exc.strerror}") from None
    if missing:
        raise InputError(f"{path}: folder {target.parent} does not exist")
    if folder:
        raise InputError(f"--output {path!r}: is a folder, not a file")
    try:
        with private_file(target) as out:
            yield out
    except OSError as exc:
        raise InputError(f"--output {path!r}: cannot write there: {exc.strerror}") from None


def run_link(args, ctx) -> int:
    ctx.open()
    secret = token_secret(ctx.config)
    if args.user:
        tracker = user_link(args.user, args.event, secret)
    else:
        tracker = session_link(args.session, args.event, secret, args.user_agent)
    print(tracker)
    print(event_url(tracker, args.event.strip()))
    return 0


def run_bind(args, ctx) -> int:
    ctx.open()
    print(bind_session(args.session, args.username, ctx.config).text())
    return 0


def run_match(args, ctx) -> int:
    ctx.open()
    if args.ticket:
        summary = match_purchases([purchase_by_number(number).id for number in args.ticket], ctx.config)
    else:
        summary = match_all_unresolved(ctx.config)
    print(summary.text())
    return 0


def run_claim(args, ctx) -> int:
    ctx.open()
    result = claim(args.username, args.ticket_number, args.proof, ctx.config.matching)
    print(result.message)
    return 0 if result.ok else 1


def run_status(args, ctx) -> int:
    ctx.open()
    print(status_message(args.username))
    return 0


def run_tokens_export(args, ctx) -> int:
    ctx.open()
    secret = token_secret(ctx.config)
    with _output(args.output) as out:
        count = export_trackers(out, args.event, secret)
    if args.output:
        print(f"{count} trackers written to {args.output}")
    return 0


def run_export_matches(args, ctx) -> int:
    ctx.open()
    with _output(args.output) as out:
        count = write_matches(out, args.format)
    if args.output:
        print(f"{count} order lines written to {args.output}")
    return 0


def _owners(pairs: list[str]) -> dict[str, str | None]:
    answers: dict[str, str] = {}
    for pair in pairs:
        number, sep, username = pair.partition("=")
        if not sep or not number.strip() or not username.strip():
            raise InputError(f"{pair!r}: write each purchase as TICKET_NUMBER=USERNAME (or TICKET_NUMBER=- to reject)")
        answers[number.strip()] = username
    return decisions.owners_from(answers)


def run_decide(args, ctx) -> int:
    staff = ctx.operator(args.operator)
    name = args.decide_action
    if name == "undo":
        number = validation.integer("decision number", args.decision_id, low=1)
        made = [decisions.undo(staff, number, args.reason)]
    elif name == "split":
        made = decisions.split_identity(staff, _owners([args.owners, *args.more]), args.reason)
    elif name == "accept":
        made = [decisions.accept_candidate(staff, args.ticket_number, args.username, args.reason)]
    elif name == "assign":
        made = [decisions.assign(staff, args.ticket_number, args.username, args.reason)]
    elif name == "reject":
        made = [decisions.reject(staff, args.ticket_number, args.reason, args.username)]
    else:
        made = [decisions.mark_not_festival(staff, args.ticket_number, args.reason)]
    for decision in made:
        print(decisions.summary(decision))
    return 0

