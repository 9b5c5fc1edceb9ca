"""Matching, purchase tokens, ticket ownership, transfers and check-ins."""
from peewee import *


def up(migrator, db):
    class Item(Model):
        class Meta:
            database = db
            table_name = 'item'

    class Purchase(Model):
        class Meta:
            database = db
            table_name = 'purchase'

    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class CheckIn(Model):
        item = ForeignKeyField(Item, on_delete='CASCADE')
        at = DateTimeField()
        staff = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        undone_at = DateTimeField(null=True)
        undone_by = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'check_in'
    db.create_tables([CheckIn])

    class Claim(Model):
        user = ForeignKeyField(User, null=True, on_delete='CASCADE')
        username = CharField()
        ticket_number = CharField(index=True)
        ok = BooleanField()
        message = TextField(null=True)
        at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'claim'
    db.create_tables([Claim])

    class MatchCandidate(Model):
        purchase = ForeignKeyField(Purchase, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        rank = IntegerField()
        score = FloatField()
        reasons = TextField(default='[]')
        class Meta:
            database = db
            table_name = 'match_candidate'
            indexes = ((('purchase', 'user'), True),)
    db.create_tables([MatchCandidate])

    class MatchDecision(Model):
        purchase = ForeignKeyField(Purchase, on_delete='CASCADE')
        staff = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        action = CharField()
        before = TextField()
        after = TextField()
        reason = TextField(null=True)
        at = DateTimeField()
        undone_at = DateTimeField(null=True)
        undone_by = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'match_decision'
    db.create_tables([MatchDecision])

    class OwnershipChange(Model):
        item = ForeignKeyField(Item, on_delete='CASCADE')
        from_user = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        to_user = ForeignKeyField(User, on_delete='RESTRICT')
        at = DateTimeField()
        staff = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        reason = TextField(null=True)
        class Meta:
            database = db
            table_name = 'ownership_change'
    db.create_tables([OwnershipChange])

    class PurchaseMatch(Model):
        purchase = ForeignKeyField(Purchase, unique=True, on_delete='CASCADE')
        user = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        status = CharField(index=True, default='unmatched')
        method = CharField(null=True)
        score = FloatField(null=True)
        human = BooleanField(default=False)
        decided_by = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        decided_at = DateTimeField()
        reason = TextField(null=True)
        flag = CharField(null=True)
        class Meta:
            database = db
            table_name = 'purchase_match'
    db.create_tables([PurchaseMatch])

    class PurchaseToken(Model):
        tracker = CharField(unique=True)
        kind = CharField()
        user = ForeignKeyField(User, null=True, on_delete='CASCADE')
        session_id = CharField(index=True, null=True)
        user_agent = CharField(null=True)
        event_id = CharField(null=True)
        created_at = DateTimeField()
        bound_user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        bound_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'purchase_token'
    db.create_tables([PurchaseToken])

    class Transfer(Model):
        item = ForeignKeyField(Item, on_delete='CASCADE')
        from_user = ForeignKeyField(User, on_delete='RESTRICT')
        to_user = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        to_name = CharField(null=True)
        to_email = CharField(index=True, null=True)
        status = CharField(index=True, default='pending')
        created_at = DateTimeField()
        completed_at = DateTimeField(null=True)
        staff = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'transfer'
    db.create_tables([Transfer])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('transfer'))
    migrator.migrate(migrator.drop_table('purchase_token'))
    migrator.migrate(migrator.drop_table('purchase_match'))
    migrator.migrate(migrator.drop_table('ownership_change'))
    migrator.migrate(migrator.drop_table('match_decision'))
    migrator.migrate(migrator.drop_table('match_candidate'))
    migrator.migrate(migrator.drop_table('claim'))
    migrator.migrate(migrator.drop_table('check_in'))
