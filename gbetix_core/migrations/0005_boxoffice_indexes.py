"""Index-only seat counts (performance, kind, ticket type) and door-search freshness (user updated_at)."""
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.drop_index('item', 'item_performance_id_kind'))
    migrator.migrate(migrator.add_index('item', ('performance_id', 'kind', 'ticket_type_id')))
    migrator.migrate(migrator.add_index('user', ('updated_at',)))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('user', 'user_updated_at'))
    migrator.migrate(migrator.drop_index('item', 'item_performance_id_kind_ticket_type_id'))
    migrator.migrate(migrator.add_index('item', ('performance_id', 'kind')))
