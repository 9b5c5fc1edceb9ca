"""Each ranked candidate keeps its total match weight in bits, so that two candidates whose probabilities both
round to 1.00 can still be told apart (issue 9)."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('match_candidate', 'bits', FloatField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('match_candidate', 'bits'))
