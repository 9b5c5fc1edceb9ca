"""``gbetix users import|merge|unmerge|suggest-merges`` and ``gbetix staff add|passwd|disable|list``.

The command line trusts whoever can run it against the database: ``--as``
names the operator whose role the core checks and the audit log records, and
asks for no PIN (anyone with the machine and the database could change the
rows directly anyway). PINs protect the app. A new PIN is asked on the
terminal twice, or read from ``--pin-file`` or ``$GBETIX_PIN`` for scripts.
"""

from __future__ import annotations

import getpass
import json
import os
import sys

from gbetix_core.cli.context import positive_int
from gbetix_core.errors import InputError, NotFound
from gbetix_core.models import User
from gbetix_core.models.people import ROLES
from gbetix_core.people.merge import merge_suggestions, merge_users, undo_merge
from gbetix_core.people.staff import add_staff, disable_staff, has_staff, list_staff, set_pin
from gbetix_core.people.staff_names import clean_staff_name
from gbetix_core.pipeline import import_users
from gbetix_core.validation import existing_file

PIN_ENV = "GBETIX_PIN"


def register(subparsers, common) -> None:
    users = subparsers.add_parser("users", parents=[common], help="registered festival users")
    usub = users.add_subparsers(dest="users_verb", metavar="ACTION", required=True)
    imp = usub.add_parser("import", parents=[common], help="upsert users from a CSV file (all rows or none), then re-match their purchases")
    imp.add_argument("file", metavar="FILE.csv")
    imp.set_defaults(handler=run_import)
    merge = usub.add_parser("merge", parents=[common], help="merge two records of one person (admin, audited, undoable)")
    merge.add_argument("keep", metavar="KEEP", help="username of the record that stays")
    merge.add_argument("other", metavar="OTHER", help="username of the record merged into it and removed")
    merge.add_argument("--reason", help="goes to the audit log (required)")
    merge.add_argument("--as", dest="staff", required=True, metavar="ADMIN")
    merge.set_defaults(handler=run_merge)
    unmerge = usub.add_parser("unmerge", parents=[common], help="undo a merge: the other record comes back as it was")
    unmerge.add_argument("merge", type=positive_int, metavar="MERGE_ID")
    unmerge.add_argument("--reason", help="goes to the audit log")
    unmerge.add_argument("--as", dest="staff", required=True, metavar="ADMIN")
    unmerge.set_defaults(handler=run_unmerge)
    suggest = usub.add_parser("suggest-merges", parents=[common],
                              help="pairs of accounts the matching evidence says are one person, for an admin to confirm")
    suggest.add_argument("--limit", type=positive_int, default=50)
    suggest.set_defaults(handler=run_suggest)

    staff = subparsers.add_parser("staff", parents=[common], help="box-office operators, their roles and PINs")
    ssub = staff.add_subparsers(dest="staff_verb", metavar="ACTION", required=True)
    add = ssub.add_parser("add", parents=[common], help="add an operator (asks their PIN) or change their role")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    _as_admin(add, "not needed for the first account, which must be an admin")
    add_pin_option(add)
    add.set_defaults(handler=run_staff_add)
    passwd = ssub.add_parser("passwd", parents=[common], help="set an operator's PIN (lifts a lockout)")
    passwd.add_argument("name")
    _as_admin(passwd, "or the operator themself")
    add_pin_option(passwd)
    passwd.set_defaults(handler=run_staff_passwd)
    disable = ssub.add_parser("disable", parents=[common], help="stop an operator from signing in or acting")
    disable.add_argument("name")
    _as_admin(disable, "required")
    disable.set_defaults(handler=run_staff_disable)
    ssub.add_parser("list", parents=[common], help="list active operators").set_defaults(handler=run_staff_list)


def _as_admin(parser, note: str) -> None:
    parser.add_argument("--as", dest="staff", metavar="ADMIN", help=f"the admin doing it ({note})")


def add_pin_option(parser) -> None:
    parser.add_argument("--pin-file", metavar="FILE",
                        help=f"read the new PIN from the first line of FILE (else ${PIN_ENV}, else it is asked)")


def read_new_pin(args, whose: str) -> str:
    """The new PIN from --pin-file, $GBETIX_PIN, or asked twice on the terminal."""
    if args.pin_file:
        try:
            lines = existing_file("--pin-file", args.pin_file).read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            raise InputError(f"--pin-file {args.pin_file!r}: not UTF-8 text") from None
        return lines[0] if lines else ""
    if PIN_ENV in os.environ:
        return os.environ[PIN_ENV]
    if not sys.stdin.isatty():
        raise InputError(f"PIN for {whose}: none given; use --pin-file FILE or set {PIN_ENV} (no terminal to ask on)")
    pin = getpass.getpass(f"New PIN for {whose}: ")
    if getpass.getpass("The same PIN again: ") != pin:
        raise InputError(f"PIN for {whose}: the two PINs differ; nothing was changed")
    return pin


def run_import(args, ctx) -> int:
    ctx.open()
    print(f"{args.file}: {import_users(args.file, ctx.config).text()}")
    return 0


def run_staff_add(args, ctx) -> int:
    ctx.open()
    by = ctx.operator(args.staff)
    first = not has_staff()
    if not first and by is None:
        raise InputError("--as ADMIN: needed; only an admin adds staff or changes a role")
    new = first or clean_staff_name(args.name) not in {s.name for s in list_staff()}
    pin = read_new_pin(args, args.name) if new or args.pin_file else None
    staff = add_staff(args.name, args.role, by=by, pin=pin, settings=ctx.config.staff)
    print(f"staff {staff.name}: {staff.role}{', PIN set' if pin else ''}")
    return 0


def run_staff_passwd(args, ctx) -> int:
    ctx.open()
    if not args.staff:
        raise InputError("--as ADMIN: needed; an admin (or the operator themself) sets a PIN")
    by = ctx.operator(args.staff)
    staff = set_pin(args.name, read_new_pin(args, args.name), by=by, settings=ctx.config.staff)
    print(f"staff {staff.name}: PIN set")
    return 0


def run_staff_disable(args, ctx) -> int:
    ctx.open()
    if not args.staff:
        raise InputError("--as ADMIN: needed; only an admin disables staff")
    staff = disable_staff(args.name, by=ctx.operator(args.staff))
    print(f"staff {staff.name}: disabled")
    return 0


def run_staff_list(args, ctx) -> int:
    ctx.open()
    for staff in list_staff():
        print(f"{staff.name:24} {staff.role:10} {'PIN set' if staff.pin_hash else 'no PIN'}")
    return 0


def _user(username: str) -> User:
    user = User.get_or_none(User.username == username)
    if user is None:
        raise NotFound(f"No user called {username!r}.")
    return user


def run_merge(args, ctx) -> int:
    ctx.open()
    staff = ctx.operator(args.staff)
    keep, other = _user(args.keep), _user(args.other)
    merge = merge_users(staff, keep, other, reason=args.reason)
    moved = sum(len(ids) for ids in json.loads(merge.moved)["rows"].values())
    print(f"merge {merge.id}: {other.username} merged into {keep.username} ({moved} rows moved); "
          f"undo with: gbetix users unmerge {merge.id} --as ADMIN")
    return 0


def run_unmerge(args, ctx) -> int:
    ctx.open()
    restored = undo_merge(ctx.operator(args.staff), args.merge, reason=args.reason)
    print(f"merge {args.merge} undone: {restored.username} is back")
    return 0


def run_suggest(args, ctx) -> int:
    ctx.open()
    for s in merge_suggestions(args.limit):
        print(f"keep {s.keep_name} <- {s.other_name}  score {s.score:.2f}: {'; '.join(s.reasons)}")
    return 0
