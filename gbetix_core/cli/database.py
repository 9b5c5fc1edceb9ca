"""``gbetix init`` and ``gbetix db upgrade|status``: create and bring the schema forward."""

from __future__ import annotations

from gbetix_core import db
from gbetix_core.bootstrap import open_configured


def register(subparsers, common) -> None:
    init = subparsers.add_parser("init", parents=[common], help="create or upgrade the database; create special accounts")
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
    open_configured(ctx.config).close()
    print(f"database ready: {ctx.config.database_url}")
    print(f"migrations applied now: {', '.join(applied) if applied else 'none (already current)'}")
    return 0


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
