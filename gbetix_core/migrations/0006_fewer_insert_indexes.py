"""Drop indexes a BPT import pays for on every row and no query needs: prefixes of composite indexes, a near-constant kind, mostly-NULL columns, sync-run stamps."""
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.drop_index('purchase', 'purchase_first_run_id'))
    migrator.migrate(migrator.drop_index('purchase', 'purchase_last_seen_run_id'))
    migrator.migrate(migrator.drop_index('item', 'item_canceled_by_id'))
    migrator.migrate(migrator.drop_index('item', 'item_kind'))
    migrator.migrate(migrator.drop_index('item', 'item_performance_id'))
    migrator.migrate(migrator.drop_index('item', 'item_product_id'))
    migrator.migrate(migrator.drop_index('item', 'item_purchase_id'))


def down(migrator, db):
    migrator.migrate(migrator.add_index('item', ('purchase_id',)))
    migrator.migrate(migrator.add_index('item', ('product_id',)))
    migrator.migrate(migrator.add_index('item', ('performance_id',)))
    migrator.migrate(migrator.add_index('item', ('kind',)))
    migrator.migrate(migrator.add_index('item', ('canceled_by_id',)))
    migrator.migrate(migrator.add_index('purchase', ('last_seen_run_id',)))
    migrator.migrate(migrator.add_index('purchase', ('first_run_id',)))
