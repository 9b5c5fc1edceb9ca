"""Staff sign-in: a PIN hash per account, and a lockout after repeated wrong PINs."""
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_column('staff', 'pin_hash', CharField(null=True)))
    migrator.migrate(migrator.add_column('staff', 'failed_signins', IntegerField(default=0)))
    migrator.migrate(migrator.add_column('staff', 'locked_until', DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('staff', 'locked_until'))
    migrator.migrate(migrator.drop_column('staff', 'failed_signins'))
    migrator.migrate(migrator.drop_column('staff', 'pin_hash'))
