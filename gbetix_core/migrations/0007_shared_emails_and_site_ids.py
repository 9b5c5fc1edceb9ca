"""Users may share an email (households share a mailbox); the festival site's own user id, for ID-<n> trackers."""
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.drop_index('user', 'user_email'))
    migrator.migrate(migrator.add_column('user', 'site_id', CharField(unique=True, null=True)))
    migrator.migrate(migrator.add_index('user', ('email',)))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('user', 'user_site_id'))
    migrator.migrate(migrator.drop_index('user', 'user_email'))
    migrator.migrate(migrator.drop_column('user', 'site_id'))
    migrator.migrate(migrator.add_index('user', ('email',), unique=True))
