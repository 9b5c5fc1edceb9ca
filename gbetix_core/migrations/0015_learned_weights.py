"""Keep the learned match weights in the database, so that a new process reuses them (issue 10: a re-sync of a
few new lines no longer learns again what the last process learned from the same data)."""
from peewee import *
import datetime


def up(migrator, db):
    class LearnedWeights(Model):
        basis = TextField()
        buyers = IntegerField()
        weights = TextField()
        learned_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = 'learned_weights'
    db.create_tables([LearnedWeights])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "learned_weights"')
