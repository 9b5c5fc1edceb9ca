"""``gbetix users import`` and ``gbetix staff add|list``."""

from __future__ import annotations

from gbetix_core.models.people import ROLES
from gbetix_core.people.staff import add_staff, list_staff
from gbetix_core.pipeline import import_users


def register(subparsers, common) -> None:
    users = subparsers.add_parser("users", parents=[common], help="registered festival users")
    usub = users.add_subparsers(dest="users_verb", metavar="ACTION", required=True)
    imp = usub.add_parser("import", parents=[common], help="upsert users from a CSV file (all rows or none), then re-match their purchases")
    imp.add_argument("file", metavar="FILE.csv")
    imp.set_defaults(handler=run_import)

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
