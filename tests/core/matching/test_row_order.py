"""The engine decides the same whatever order the database hands rows back in (SQLite and PostgreSQL alike)."""

import io

from gbetix_core import db as dbmod
from gbetix_core.config import Config, TokensConfig
from gbetix_core.demo.buyers import generate_orders
from gbetix_core.demo.people import generate_users, users_csv
from gbetix_core.demo.purchases import store_orders
from gbetix_core.matching.engine import _tenths
from gbetix_core.models import Purchaser, User
from gbetix_core.models.base import utcnow
from gbetix_core.people.users_import import import_users
from tests.core.matching.rematched import matched

SECRET = "row-order-secret-0123456789abcdef"


def rows_come_back_in_another_order() -> None:
    """Rows without an ORDER BY come back in another order: SQLite is asked to reverse them, and on PostgreSQL
    every other user and buyer is rewritten (a new row version goes where there is room, not where the old one
    was). A changed ``updated_at`` makes the engine read the users again instead of reusing its index."""
    if dbmod.is_postgres():
        Purchaser.update(first_name=Purchaser.first_name).where(Purchaser.id.bin_and(1) == 0).execute()
    else:
        dbmod.database.execute_sql("PRAGMA reverse_unordered_selects = ON")
    User.update(updated_at=utcnow()).where(User.id.bin_and(1) == 0).execute()


def test_the_same_purchases_are_decided_alike_whatever_order_rows_come_back_in(db):
    users = generate_users(300, seed=21)
    import_users(io.StringIO(users_csv(users)), source="test users")
    ids = dict(User.select(User.username, User.id).tuples())
    store_orders(generate_orders(users, 600, slots=[("1", "2", "3")], secret=SECRET.encode(), user_ids=ids, seed=4).orders)
    config = Config(tokens=TokensConfig(secret=SECRET))
    first = matched(config)
    rows_come_back_in_another_order()
    assert matched(config) == first


def test_a_weight_that_rounds_to_nothing_is_stored_without_a_sign():
    """PostgreSQL keeps -0.0 where SQLite stores 0.0: the exports of the two would differ."""
    assert str(_tenths(-0.04)) == "0.0" and _tenths(-0.06) == -0.1
