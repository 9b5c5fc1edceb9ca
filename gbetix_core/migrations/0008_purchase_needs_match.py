"""Purchases remember that matching has not run over them yet, so a sync killed before matching is finished by the next one."""
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_column('purchase', 'needs_match', BooleanField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('purchase', 'needs_match'))
