"""``gbetix init`` and ``gbetix db upgrade|status``: create and bring the schema forward."""

from __future__ import annotations

import sys

from gbetix_core import db
from gbetix_core.bootstrap import open_configured
from gbetix_core.cli.people import add_pin_option, read_new_pin
from gbetix_core.errors import InputError
from gbetix_core.people.staff import add_staff, has_staff


def register(subparsers, common) -> None:
    init = subparsers.add_parser("init", parents=[common],
                                 help="create or upgrade the database; create special accounts and the first admin")
    init.add_argument("--admin", metavar="NAME", help="create the first admin (only while there is no staff account)")
    add_pin_option(init)
    init.set_defaults(handler=run_init)
    dbp = subparsers.add_parser("db", parents=[common], help="schema migrations")
    dbsub = dbp.add_subparsers(dest="db_verb", metavar="ACTION", required=True)
    dbsub.add_parser("upgrade", parents=[common], help="apply pending migrations").set_defaults(handler=run_upgrade)
    dbsub.add_parser("status", parents=[common], help="list migrations and whether each is applied").set_defaults(
        handler=run_status
    )


def run_init(args, ctx) -> int:
    database = open_configured(ctx.config, upgrade=False)
    applied = db.upgrade_schema(database)
    database.close()
    ctx.open()
    print(f"database ready: {ctx.config.database_url}")
    print(f"migrations applied now: {', '.join(applied) if applied else 'none (already current)'}")
    _first_admin(args, ctx)
    return 0


def _first_admin(args, ctx) -> None:
    """Make the first admin (asking the name on a terminal), or say how; refuse --admin once staff exist."""
    if has_staff():
        if args.admin:
            raise InputError(f"--admin {args.admin!r}: staff accounts exist already; "
                             "add more with gbetix staff add NAME --role ROLE --as ADMIN")
        return
    name = args.admin or (input("No staff account yet. The first admin's name: ") if sys.stdin.isatty() else "")
    if not name.strip():
        print("no staff account yet: create the first admin with gbetix staff add NAME --role admin")
        return
    staff = add_staff(name, "admin", pin=read_new_pin(args, name), settings=ctx.config.staff)
    print(f"staff {staff.name}: admin, PIN set")


def run_upgrade(args, ctx) -> int:
    database = open_configured(ctx.config, upgrade=False)
    applied = db.upgrade_schema(database)
    print("\n".join(f"applied: {name}" for name in applied) or "schema is current; nothing to apply")
    return 0


def run_status(args, ctx) -> int:
    database = open_configured(ctx.config, upgrade=False)
    rows = db.schema_status(database)
    for name, applied in rows:
        print(f"[{'x' if applied else ' '}] {name}")
    return 0 if all(applied for _, applied in rows) else 1
