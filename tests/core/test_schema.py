"""The schema: migrations build exactly the models, upgrades keep every row, the audit log is append-only."""

import datetime as dt
from decimal import Decimal

import pytest
from peewee import DatabaseError, IntegrityError
from playhouse.schema_diff import diff_models

from gbetix_core import audit, db as dbmod
from gbetix_core.models import ALL_MODELS, AuditEntry, BptDate, BptEvent, BptPrice, Purchase, Purchaser, User


def test_migrations_build_exactly_the_models(db):
    assert not diff_models(db, ALL_MODELS), "a model changed without a migration"


def test_every_migration_is_applied_on_a_fresh_database(db):
    assert all(applied for _, applied in dbmod.schema_status(db))


def _fill_first_schema() -> None:
    """Rows as a database at the first migration would hold them (raw inserts: no later columns)."""
    User.insert(username="rosa", first_name="Rosa", last_name="Delgado", email="rosa@example.org",
                subscriber=False, created_at=dt.datetime(2026, 1, 1), updated_at=dt.datetime(2026, 1, 1)).execute()
    event = BptEvent.insert(event_id="E1", title="GBE", live=True, seen_at=dt.datetime(2026, 1, 1)).execute()
    date = BptDate.insert(date_id="D1", event=event, live=True, seen_at=dt.datetime(2026, 1, 1)).execute()
    price = BptPrice.insert(price_id="P1", event=event, date=date, live=True, value=Decimal("35.00"),
                            seen_at=dt.datetime(2026, 1, 1)).execute()
    buyer = Purchaser.insert(identity="abc", first_name="Rosa", created_at=dt.datetime(2026, 1, 1)).execute()
    Purchase.insert(ticket_number="K1", event=event, date=date, price=price, purchaser=buyer, quantity=2,
                    digest="d", version=1, imported_at=dt.datetime(2026, 1, 1)).execute()


def test_upgrade_from_the_first_migration_keeps_every_row(empty_db_url):
    database = dbmod.bind(dbmod.make_database(empty_db_url))
    database.connect()
    assert dbmod.upgrade_schema(database, target="0001_initial") == ["0001_initial"]
    with dbmod.write():
        _fill_first_schema()
    applied = dbmod.upgrade_schema(database)
    assert applied and "0001_initial" not in applied
    assert User.get(User.username == "rosa").email == "rosa@example.org"
    assert Purchase.get(Purchase.ticket_number == "K1").quantity == 2
    assert Purchase.get().price.value == Decimal("35.00")
    assert not diff_models(database, ALL_MODELS)
    database.close()


def test_the_audit_log_refuses_changes(db):
    with dbmod.write():
        entry = audit.record("sale", subject="order:1", after={"total": Decimal("35.00")})
    with pytest.raises(DatabaseError, match="append-only"):
        with dbmod.write():
            AuditEntry.update(action="nothing happened").where(AuditEntry.id == entry.id).execute()
    with pytest.raises(DatabaseError, match="append-only"):
        with dbmod.write():
            AuditEntry.delete().execute()
    assert AuditEntry.get_by_id(entry.id).action == "sale"


def test_two_users_may_share_an_email_but_not_a_site_id(db):
    User.create(username="a", email="same@example.org", site_id="7")
    User.create(username="b", email="same@example.org")
    with pytest.raises(IntegrityError):
        with dbmod.write():
            User.create(username="c", site_id="7")


@pytest.mark.postgres
def test_purchase_pages_keep_room_on_postgresql_for_the_update_every_sync_makes_of_each_line(pg_db):
    """A sync's stamp of every line stays on its page (a HOT update) only where the page has room for it (SQLite
    rewrites a row in place: it has no fill factor)."""
    [(options,)] = pg_db.execute_sql("SELECT reloptions FROM pg_class WHERE relname = 'purchase'").fetchall()
    assert options == ["fillfactor=50"]
