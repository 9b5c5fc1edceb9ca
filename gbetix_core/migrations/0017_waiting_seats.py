"""Seats BPT sold whose tickets wait for matching (issue 10: a first sync issues each ticket once, to the holder
matching names, instead of to the daemon and then again)."""
from peewee import *


def up(migrator, db):
    class Performance(Model):
        class Meta:
            database = db
            table_name = 'performance'

    class TicketType(Model):
        class Meta:
            database = db
            table_name = 'ticket_type'

    class WaitingSeats(Model):
        performance = ForeignKeyField(Performance, backref='+', on_delete='CASCADE', index=False)
        ticket_type = ForeignKeyField(TicketType, backref='+', on_delete='CASCADE', index=False)
        count = IntegerField(default=0)

        class Meta:
            database = db
            table_name = 'waiting_seats'
            indexes = ((('performance', 'ticket_type'), True),)
    db.create_tables([WaitingSeats])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "waiting_seats"')
