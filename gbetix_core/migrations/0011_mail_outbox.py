"""The mail outbox (messages, the once-per-person-purchase-kind keys) and hashed claim codes (issue 14)."""
from peewee import *


def up(migrator, db):
    class Purchase(Model):
        class Meta:
            database = db
            table_name = 'purchase'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class ClaimCode(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        purchase = ForeignKeyField(Purchase, on_delete='CASCADE')
        salt = CharField()
        code_hash = CharField()
        created_at = DateTimeField()
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'claim_code'
            indexes = ((('user', 'purchase'), False),)
    db.create_tables([ClaimCode])

    class OutboxMessage(Model):
        kind = CharField()
        to_email = CharField()
        to_name = CharField(default='')
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        context = TextField(default='{}')
        token = CharField(unique=True)
        status = CharField(default='pending')
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField()
        lease = CharField(null=True)
        lease_until = DateTimeField(null=True)
        last_error = TextField(null=True)
        created_at = DateTimeField()
        sent_at = DateTimeField(index=True, null=True)
        class Meta:
            database = db
            table_name = 'outbox_message'
            indexes = ((('status', 'next_attempt_at'), False),)
    db.create_tables([OutboxMessage])

    class OutboxKey(Model):
        kind = CharField()
        subject = CharField()
        email = CharField()
        message = ForeignKeyField(OutboxMessage, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'outbox_key'
            indexes = ((('kind', 'subject', 'email'), True),)
    db.create_tables([OutboxKey])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('outbox_key'))
    migrator.migrate(migrator.drop_table('outbox_message'))
    migrator.migrate(migrator.drop_table('claim_code'))
