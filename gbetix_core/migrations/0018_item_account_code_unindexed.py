"""Drop the index of ``item.account_code_id``: nothing looks tickets up by account code (the report joins the other
way, from each item to its code), and a sync writes it on every ticket, 270,000 of them at 100,000 lines. Account
codes are never deleted, so the foreign key's ON DELETE SET NULL needs no index either."""
from peewee import *


def up(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "item_account_code_id"')


def down(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "item_account_code_id" ON "item" ("account_code_id")')
