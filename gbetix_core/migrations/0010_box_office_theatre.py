"""Issue 12: promo codes kept on items, cash tendered, open pass admissions, customer merges, drawer counts."""
from peewee import *
from gbetix_core.models.base import MoneyField


def up(migrator, db):
    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class TicketType(Model):
        class Meta:
            database = db
            table_name = 'ticket_type'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class DrawerCount(Model):
        operator = ForeignKeyField(Staff, on_delete='RESTRICT')
        business_date = DateField(index=True)
        payment_method = CharField(default='cash')
        expected = MoneyField(max_digits=12, decimal_places=2)
        counted = MoneyField(max_digits=12, decimal_places=2)
        difference = MoneyField(max_digits=12, decimal_places=2)
        counted_by = ForeignKeyField(Staff, on_delete='RESTRICT')
        note = TextField(null=True)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'drawer_count'
    db.create_tables([DrawerCount])

    class UserMerge(Model):
        keep = ForeignKeyField(User, on_delete='RESTRICT')
        other_id = IntegerField(index=True)
        other = TextField()
        keep_before = TextField()
        moved = TextField()
        staff = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        reason = TextField()
        at = DateTimeField()
        undone_at = DateTimeField(null=True)
        undone_by = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'user_merge'
    db.create_tables([UserMerge])

    migrator.migrate(migrator.add_column('ticket_type', 'open_admissions', IntegerField(default=0)))
    migrator.migrate(migrator.add_column('ticket_type', 'open_admission_type_id', ForeignKeyField(TicketType, field=TicketType.id, null=True, on_delete='RESTRICT')))
    migrator.migrate(migrator.add_column('order', 'cash_tendered', MoneyField(null=True, max_digits=12, decimal_places=2)))
    migrator.migrate(migrator.add_column('item', 'promo_code', CharField(index=True, null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('item', 'item_promo_code'))
    migrator.migrate(migrator.drop_index('ticket_type', 'ticket_type_open_admission_type_id'))
    migrator.migrate(migrator.drop_column('item', 'promo_code'))
    migrator.migrate(migrator.drop_column('order', 'cash_tendered'))
    migrator.migrate(migrator.drop_column('ticket_type', 'open_admission_type_id'))
    migrator.migrate(migrator.drop_column('ticket_type', 'open_admissions'))
    migrator.migrate(migrator.drop_table('user_merge'))
    migrator.migrate(migrator.drop_table('drawer_count'))
