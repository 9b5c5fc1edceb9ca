"""Match queue indexes (status, score, purchase, replacing status alone; flag) and claim rate-limit indexes."""
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_index('claim', ('ticket_number', 'at')))
    migrator.migrate(migrator.add_index('claim', ('username', 'at')))
    migrator.migrate(migrator.add_index('purchase_match', ('flag',)))
    migrator.migrate(migrator.add_index('purchase_match', ('status', 'score', 'purchase_id')))
    migrator.migrate(migrator.drop_index('purchase_match', 'purchasematch_status'))


def down(migrator, db):
    migrator.migrate(migrator.add_index('purchase_match', ('status',)))
    migrator.migrate(migrator.drop_index('purchase_match', 'purchase_match_status_score_purchase_id'))
    migrator.migrate(migrator.drop_index('purchase_match', 'purchase_match_flag'))
    migrator.migrate(migrator.drop_index('claim', 'claim_username_at'))
    migrator.migrate(migrator.drop_index('claim', 'claim_ticket_number_at'))
