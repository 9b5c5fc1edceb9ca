"""Give the database an id of its own, kept in ``setting``: what a process keeps on disk about it (the users'
matching index) names the database it came from. A copy of the database (a backup restored, a benchmark's copy)
keeps the id, and holds the same rows."""
import uuid


def up(migrator, db):
    db.execute_sql('INSERT INTO "setting" ("key", "value") VALUES (%s, %s)' % (db.param, db.param),
                   ("database_id", uuid.uuid4().hex))


def down(migrator, db):
    db.execute_sql('DELETE FROM "setting" WHERE "key" = %s' % db.param, ("database_id",))
