"""Initial schema: people, the BPT mirror, the box-office catalog, orders and items, the audit log."""
from peewee import *
from gbetix_core.models.base import MoneyField
import decimal


def up(migrator, db):
    class AccountCode(Model):
        code = CharField(unique=True)
        name = CharField()
        description = TextField(null=True)
        class Meta:
            database = db
            table_name = 'account_code'
    db.create_tables([AccountCode])

    class User(Model):
        username = CharField(unique=True)
        first_name = CharField(default='')
        last_name = CharField(default='')
        email = CharField(unique=True, null=True)
        purchase_email = CharField(index=True, null=True)
        phone = CharField(null=True)
        address = CharField(null=True)
        city = CharField(null=True)
        state = CharField(null=True)
        zip = CharField(null=True)
        country = CharField(null=True)
        special = CharField(unique=True, null=True)
        subscriber = BooleanField(default=False)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'user'
    db.create_tables([User])

    class Staff(Model):
        name = CharField(unique=True)
        role = CharField()
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        active = BooleanField(default=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'staff'
    db.create_tables([Staff])

    class AuditEntry(Model):
        at = DateTimeField(index=True)
        staff = ForeignKeyField(Staff, null=True, on_delete='RESTRICT')
        operator = CharField()
        action = CharField(index=True)
        subject = CharField(index=True, null=True)
        before = TextField(null=True)
        after = TextField(null=True)
        reason = TextField(null=True)
        class Meta:
            database = db
            table_name = 'audit_entry'
    db.create_tables([AuditEntry])
    _make_append_only(db, 'audit_entry')

    class Show(Model):
        name = CharField()
        description = TextField(null=True)
        season = IntegerField()
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'show'
    db.create_tables([Show])

    class BptEvent(Model):
        event_id = CharField(unique=True)
        title = CharField(null=True)
        link = CharField(null=True)
        description = TextField(null=True)
        live = BooleanField(default=True)
        venue = TextField(null=True)
        contact = TextField(null=True)
        local_title = CharField(null=True)
        show = ForeignKeyField(Show, null=True, on_delete='SET NULL')
        seen_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'bpt_event'
    db.create_tables([BptEvent])

    class Performance(Model):
        show = ForeignKeyField(Show, on_delete='RESTRICT')
        starts_at = DateTimeField(index=True)
        house_capacity = IntegerField()
        max_advance_sales = IntegerField()
        description = CharField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'performance'
    db.create_tables([Performance])

    class BptDate(Model):
        date_id = CharField(unique=True)
        event = ForeignKeyField(BptEvent, on_delete='CASCADE')
        live = BooleanField(default=True)
        date_start = DateField(null=True)
        date_end = DateField(null=True)
        time_start = CharField(null=True)
        time_end = CharField(null=True)
        available = IntegerField(null=True)
        performance = ForeignKeyField(Performance, null=True, on_delete='SET NULL')
        seen_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'bpt_date'
    db.create_tables([BptDate])

    class TicketType(Model):
        name = CharField()
        price = MoneyField(max_digits=12, decimal_places=2)
        season = IntegerField()
        category = CharField(default='revenue')
        availability = CharField(default='anyone')
        walkup_allowed = BooleanField(default=True)
        subscription = BooleanField(default=False)
        account_code = ForeignKeyField(AccountCode, null=True, on_delete='SET NULL')
        display_order = IntegerField(default=0)
        description = TextField(null=True)
        class Meta:
            database = db
            table_name = 'ticket_type'
    db.create_tables([TicketType])

    class BptPrice(Model):
        price_id = CharField()
        event = ForeignKeyField(BptEvent, on_delete='CASCADE')
        date = ForeignKeyField(BptDate, on_delete='CASCADE')
        live = BooleanField(default=True)
        name = CharField(null=True)
        value = MoneyField(null=True, max_digits=12, decimal_places=2)
        service_fee = MoneyField(null=True, max_digits=12, decimal_places=2)
        venue_fee = MoneyField(null=True, max_digits=12, decimal_places=2)
        available = IntegerField(null=True)
        ticket_type = ForeignKeyField(TicketType, null=True, on_delete='SET NULL')
        seen_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'bpt_price'
            indexes = ((('date', 'price_id'), True),)
    db.create_tables([BptPrice])

    class BundleComponent(Model):
        bundle = ForeignKeyField(TicketType, on_delete='CASCADE')
        component = ForeignKeyField(TicketType, on_delete='RESTRICT')
        performance = ForeignKeyField(Performance, null=True, on_delete='RESTRICT')
        quantity = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'bundle_component'
    db.create_tables([BundleComponent])

    class Order(Model):
        source = CharField()
        external_ref = CharField(unique=True, null=True)
        customer = ForeignKeyField(User, on_delete='RESTRICT')
        purchaser = ForeignKeyField(User, on_delete='RESTRICT')
        processed_by = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        payment_method = CharField()
        payment_ref = CharField(null=True)
        total = MoneyField(max_digits=12, decimal_places=2, default=decimal.Decimal('0.00'))
        comments = TextField(null=True)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'order'
    db.create_tables([Order])

    class Purchaser(Model):
        identity = CharField(unique=True)
        first_name = CharField(null=True)
        last_name = CharField(null=True)
        email = CharField(index=True, null=True)
        phone = CharField(null=True)
        address = CharField(null=True)
        city = CharField(null=True)
        state = CharField(null=True)
        zip = CharField(null=True)
        country = CharField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'purchaser'
    db.create_tables([Purchaser])

    class SyncRun(Model):
        started_at = DateTimeField()
        finished_at = DateTimeField(null=True)
        status = CharField(default='running')
        trigger = CharField(default='manual')
        new = IntegerField(default=0)
        unchanged = IntegerField(default=0)
        changed = IntegerField(default=0)
        skipped = IntegerField(default=0)
        gone = IntegerField(default=0)
        warnings = TextField(default='[]')
        error = TextField(null=True)
        class Meta:
            database = db
            table_name = 'sync_run'
    db.create_tables([SyncRun])

    class Purchase(Model):
        ticket_number = CharField(unique=True)
        event = ForeignKeyField(BptEvent, on_delete='RESTRICT')
        date = ForeignKeyField(BptDate, null=True, on_delete='RESTRICT')
        price = ForeignKeyField(BptPrice, on_delete='RESTRICT')
        purchaser = ForeignKeyField(Purchaser, on_delete='RESTRICT')
        quantity = IntegerField()
        order_time = DateTimeField(null=True)
        tracker = CharField(index=True, null=True)
        shipping_method = CharField(null=True)
        order_notes = TextField(null=True)
        cc = CharField(null=True)
        section = CharField(null=True)
        row = CharField(null=True)
        seat = CharField(null=True)
        digest = CharField()
        version = IntegerField(default=1)
        first_run = ForeignKeyField(SyncRun, null=True, on_delete='SET NULL')
        last_seen_run = ForeignKeyField(SyncRun, null=True, on_delete='SET NULL')
        gone_at = DateTimeField(null=True)
        imported_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'purchase'
    db.create_tables([Purchase])

    class Product(Model):
        name = CharField(unique=True)
        price = MoneyField(max_digits=12, decimal_places=2)
        account_code = ForeignKeyField(AccountCode, null=True, on_delete='SET NULL')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'product'
    db.create_tables([Product])

    class Item(Model):
        order = ForeignKeyField(Order, on_delete='RESTRICT')
        kind = CharField(index=True)
        original_kind = CharField(null=True)
        amount = MoneyField(max_digits=12, decimal_places=2, default=decimal.Decimal('0.00'))
        ticket_type = ForeignKeyField(TicketType, null=True, on_delete='RESTRICT')
        performance = ForeignKeyField(Performance, null=True, on_delete='RESTRICT')
        owner = ForeignKeyField(User, on_delete='RESTRICT')
        purchase = ForeignKeyField(Purchase, null=True, on_delete='RESTRICT')
        seq = IntegerField(null=True)
        bundle = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        refund_of = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        account_code = ForeignKeyField(AccountCode, null=True, on_delete='SET NULL')
        product = ForeignKeyField(Product, null=True, on_delete='RESTRICT')
        comments = TextField(null=True)
        created_at = DateTimeField()
        canceled_at = DateTimeField(null=True)
        canceled_by = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'item'
            indexes = ((('purchase', 'seq'), True), (('performance', 'kind'), False))
    db.create_tables([Item])

    class Offer(Model):
        performance = ForeignKeyField(Performance, on_delete='CASCADE')
        ticket_type = ForeignKeyField(TicketType, on_delete='RESTRICT')
        max_sales = IntegerField(null=True)
        sales_start = DateTimeField(null=True)
        sales_end = DateTimeField(null=True)
        promo_codes = CharField(null=True)
        min_per_order = IntegerField(default=1)
        max_per_order = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'offer'
            indexes = ((('performance', 'ticket_type'), True),)
    db.create_tables([Offer])

    class PurchaseVersion(Model):
        purchase = ForeignKeyField(Purchase, on_delete='CASCADE')
        version = IntegerField()
        purchaser = ForeignKeyField(Purchaser, on_delete='RESTRICT')
        quantity = IntegerField()
        price = ForeignKeyField(BptPrice, on_delete='RESTRICT')
        tracker = CharField(null=True)
        order_notes = TextField(null=True)
        digest = CharField()
        replaced_at = DateTimeField()
        replaced_by_run = ForeignKeyField(SyncRun, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'purchase_version'
            indexes = ((('purchase', 'version'), True),)
    db.create_tables([PurchaseVersion])

    class Setting(Model):
        key = CharField(primary_key=True)
        value = TextField()
        class Meta:
            database = db
            table_name = 'setting'
    db.create_tables([Setting])

    class SyncLock(Model):
        name = CharField(primary_key=True)
        holder = CharField(null=True)
        acquired_at = DateTimeField(null=True)
        heartbeat_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'sync_lock'
    db.create_tables([SyncLock])


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP FUNCTION IF EXISTS audit_entry_append_only() CASCADE')
    migrator.migrate(migrator.drop_table('sync_lock'))
    migrator.migrate(migrator.drop_table('setting'))
    migrator.migrate(migrator.drop_table('purchase_version'))
    migrator.migrate(migrator.drop_table('offer'))
    migrator.migrate(migrator.drop_table('item'))
    migrator.migrate(migrator.drop_table('product'))
    migrator.migrate(migrator.drop_table('purchase'))
    migrator.migrate(migrator.drop_table('sync_run'))
    migrator.migrate(migrator.drop_table('purchaser'))
    migrator.migrate(migrator.drop_table('order'))
    migrator.migrate(migrator.drop_table('bundle_component'))
    migrator.migrate(migrator.drop_table('bpt_price'))
    migrator.migrate(migrator.drop_table('ticket_type'))
    migrator.migrate(migrator.drop_table('bpt_date'))
    migrator.migrate(migrator.drop_table('performance'))
    migrator.migrate(migrator.drop_table('bpt_event'))
    migrator.migrate(migrator.drop_table('show'))
    migrator.migrate(migrator.drop_table('audit_entry'))
    migrator.migrate(migrator.drop_table('staff'))
    migrator.migrate(migrator.drop_table('user'))
    migrator.migrate(migrator.drop_table('account_code'))


def _make_append_only(db, table):
    """The audit log refuses UPDATE and DELETE in the database itself, whoever connects."""
    message = "the audit log is append-only"
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$")
        db.execute_sql(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")
        return
    for event in ("UPDATE", "DELETE"):
        db.execute_sql(
            f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
