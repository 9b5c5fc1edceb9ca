"""``gbetix users import|merge|unmerge|suggest-merges`` and ``gbetix staff add|list``."""

from __future__ import annotations

import json

from gbetix_core.cli.context import positive_int
from gbetix_core.errors import NotFound
from gbetix_core.models import User
from gbetix_core.models.people import ROLES
from gbetix_core.people.merge import merge_suggestions, merge_users, undo_merge
from gbetix_core.people.staff import add_staff, list_staff
from gbetix_core.pipeline import import_users


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

    staff = subparsers.add_parser("staff", parents=[common], help="box-office operators and their roles")
    ssub = staff.add_subparsers(dest="staff_verb", metavar="ACTION", required=True)
    add = ssub.add_parser("add", parents=[common], help="add an operator or change their role")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.set_defaults(handler=run_staff_add)
    ssub.add_parser("list", parents=[common], help="list active operators").set_defaults(handler=run_staff_list)


def run_import(args, ctx) -> int:
    ctx.open()
    print(f"{args.file}: {import_users(args.file, ctx.config).text()}")
    return 0


def run_staff_add(args, ctx) -> int:
    ctx.open()
    staff = add_staff(args.name, args.role)
    print(f"staff {staff.name}: {staff.role}")
    return 0


def run_staff_list(args, ctx) -> int:
    ctx.open()
    for staff in list_staff():
        print(f"{staff.name:24} {staff.role}")
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
