"""Choose the database from its URL and give every writer the same transaction rules.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy
timeout, and every transaction opened with :func:`write` starts with
``BEGIN IMMEDIATE`` so that a read-then-write cannot interleave with another
process. PostgreSQL (several terminals on one database) uses ordinary
transactions; code that decides on what it read locks those rows with
:func:`locked` (``SELECT ... FOR UPDATE``), which is a no-op on SQLite where
the immediate transaction already serialises writers.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from pathlib import Path
from typing import Iterator, Sequence
from urllib.parse import unquote, urlparse

from peewee import (
    OP, SQL, Database, DatabaseProxy, Expression, IntegrityError, OperationalError, PostgresqlDatabase, Query,
    SqliteDatabase, __exception_wrapper__, quote,
)
from playhouse.migrations import Runner

from gbetix_core import validation, writer_turns
from gbetix_core.errors import ConfigError, DatabaseBusy
from gbetix_core.private_files import touch_private

database = DatabaseProxy()
log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


# A checkpoint copies the WAL's pages back into the database file and waits for the disk: once per 32 MB of WAL
# instead of SQLite's default 4 MB, so a sync writing 100,000 lines (whose random-keyed indexes touch pages all
# over the file, batch after batch) copies a page back once for many batches that rewrote it: the syncing process
# wrote 3.8 GB instead of 4.8 GB. A checkpoint runs after a commit, with the write lock already released, so other
# terminals do not wait for it. ``synchronous=normal`` is safe with WAL: a power cut may lose the last commits but
# never corrupts the file, and commits skip the fsync that checkpoints do for them.
WAL_CHECKPOINT_PAGES = 8_000
WAL_KEEP_BYTES = 64 * 1024 * 1024


def make_database(url: str, busy_timeout_ms: int = 10_000) -> Database:
    """Build (but do not open) the Peewee database a URL names."""
    if url.startswith("sqlite:///"):
        path = _sqlite_file(url)
        sqlite = SqliteDatabase(
            str(path),
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": busy_timeout_ms,
                "synchronous": "normal",
                "cache_size": -32_000,
                "wal_autocheckpoint": WAL_CHECKPOINT_PAGES,
                "journal_size_limit": WAL_KEEP_BYTES,
            },
            timeout=busy_timeout_ms / 1000,
            lock_type="IMMEDIATE",
        )
        sqlite.busy_timeout_ms = busy_timeout_ms
        return sqlite
    if url.startswith(("postgresql://", "postgres://")):
        return _postgres(url, busy_timeout_ms)
    raise ConfigError(f"database URL {url!r}: must start with sqlite:/// or postgresql://")


def _sqlite_file(url: str) -> Path:
    """The file a sqlite:/// URL names, made (0600, its folder too) if it is not there yet; a path the system
    refuses (too long, not writable, an unknown user's ``~``) is a ConfigError naming the URL."""
    try:
        path = validation.expanded(unquote(url[len("sqlite:///"):]))
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
            touch_private(path)
    except ValueError as exc:
        raise ConfigError(f"database URL {url!r}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"database URL {url!r}: cannot create the database file: {exc.strerror}") from None
    return path


def _postgres(url: str, busy_timeout_ms: int) -> PostgresqlDatabase:
    try:
        import psycopg  # noqa: F401  (peewee picks the driver up by itself)
    except ImportError:
        raise ConfigError("PostgreSQL needs psycopg: pip install 'gbetix[postgres]'") from None
    parts = urlparse(url)
    if not parts.path.strip("/"):
        raise ConfigError(f"database URL {url!r}: names no database")
    params = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
    }
    return PostgresqlDatabase(
        parts.path.strip("/"),
        **{k: v for k, v in params.items() if v is not None},
        prefer_psycopg3=True,
        # The same patience as SQLite's busy timeout: a writer waits this long for a row lock, then hears why.
        options=f"-c lock_timeout={busy_timeout_ms}",
    )


def bind(db: Database) -> Database:
    """Point every model at ``db``."""
    database.initialize(db)
    return db


def open_database(url: str, busy_timeout_ms: int = 10_000, upgrade: bool = True) -> Database:
    """Open the database for ``url``, bring its schema forward, and bind the models to it."""
    db = bind(make_database(url, busy_timeout_ms))
    db.connect(reuse_if_open=True)
    if upgrade:
        upgrade_schema(db)
    return db


def migration_runner(db: Database) -> Runner:
    return Runner(db, directory=str(MIGRATIONS_DIR), table_name="schema_migration")


def upgrade_schema(db: Database, target: str | None = None) -> list[str]:
    """Apply pending migrations in order (up to ``target``); return the names applied."""
    return migration_runner(db).up(target)


def schema_status(db: Database) -> list[tuple[str, bool]]:
    """Every migration with whether it is applied, oldest first."""
    return [(m.name, bool(m.applied)) for m in migration_runner(db).status()]


def is_postgres(db: Database | None = None) -> bool:
    db = db or database.obj
    return isinstance(db, PostgresqlDatabase)


@contextlib.contextmanager
def write() -> Iterator[None]:
    """A transaction for work that reads and then writes (IMMEDIATE on SQLite).

    Waiting for another writer is the automatic retry, up to the busy
    timeout; when that runs out, or PostgreSQL gives up on a lock, the
    transaction is rolled back and the operator reads :class:`DatabaseBusy`.
    A background writer (:func:`in_background`) lets a terminal waiting on
    SQLite have the lock before its next batch (:mod:`writer_turns`); where
    terminals cannot say they wait (no ``flock``), it pauses after each commit
    instead. PostgreSQL queues waiting writers in order by itself.
    """
    with busy_as_message(), contextlib.ExitStack() as stack:
        _begin(stack)
        yield
    db = database.obj
    if _BACKGROUND.get() and isinstance(db, SqliteDatabase) and writer_turns.turns_file(db.database) is None:
        time.sleep(GIVE_WAY_SECONDS)


# SQLite's own busy handler sleeps up to 100 ms between tries, so a sale waiting behind a sync that writes batch
# after batch would rarely find the lock free; write() asks again every POLL_SECONDS instead.
POLL_SECONDS = 0.002
GIVE_WAY_SECONDS = 0.006
_BACKGROUND: contextvars.ContextVar[bool] = contextvars.ContextVar("gbetix_background_writer", default=False)


@contextlib.contextmanager
def in_background() -> Iterator[None]:
    """Mark this thread's writes as a long background job (the BPT sync): it gives way between transactions."""
    token = _BACKGROUND.set(True)
    try:
        yield
    finally:
        _BACKGROUND.reset(token)


def _begin(stack: contextlib.ExitStack) -> None:
    """Open the transaction; on SQLite, try BEGIN IMMEDIATE every POLL_SECONDS until the busy timeout.

    A terminal refused once marks itself waiting, and the background writer lets it go first
    (:mod:`writer_turns`).
    """
    db = database.obj
    patience = getattr(db, "busy_timeout_ms", None)
    if not isinstance(db, SqliteDatabase) or db.in_transaction() or not patience:
        stack.enter_context(database.atomic())
        return
    deadline = time.monotonic() + patience / 1000
    turns = writer_turns.turns_file(db.database)
    background = _BACKGROUND.get()
    if background:
        writer_turns.let_terminals_go_first(turns)
    db.execute_sql("PRAGMA busy_timeout = 0")
    try:
        with writer_turns.waiting(None if background else turns) as place:
            while True:
                try:
                    stack.enter_context(database.atomic())
                    return
                except OperationalError as exc:
                    if busy_error(exc) is None or time.monotonic() >= deadline:
                        raise
                place.mark()
                time.sleep(POLL_SECONDS)
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {int(patience)}")


BUSY_SIGNS = ("database is locked", "database is busy", "deadlock detected", "lock timeout",
              "could not obtain lock", "could not serialize access")


def busy_error(exc: BaseException) -> DatabaseBusy | None:
    """The message for a person when ``exc`` is the database saying another writer is in the way, else None."""
    if not isinstance(exc, OperationalError) or not any(sign in str(exc).lower() for sign in BUSY_SIGNS):
        return None
    return DatabaseBusy("another terminal is writing to the database; nothing was changed, try again in a moment")


@contextlib.contextmanager
def busy_as_message() -> Iterator[None]:
    """Turn the database's "locked" or "deadlock" errors inside the block into :class:`DatabaseBusy`."""
    try:
        yield
    except OperationalError as exc:
        busy = busy_error(exc)
        if busy is None:
            raise
        raise busy from exc


def locked(query: Query) -> Query:
    """Lock the selected rows until the transaction ends, where the database can."""
    return query.for_update() if database.obj.for_update else query


# After this many rows written, PostgreSQL's planner statistics are refreshed at once: with those of a table it still
# thinks nearly empty, it turns index lookups into scans of every row (a first sync's matching scanned all the
# tickets for each chunk of purchases: 200 ms a chunk at 100,000 lines instead of 1 ms).
REFRESH_STATISTICS = 10_000


def refresh_statistics(written: int, *models: type, aside: bool = False) -> None:
    """On PostgreSQL, after ``written`` rows (at least REFRESH_STATISTICS), ANALYZE ``models``' tables so the next
    reads are planned on their real sizes. ANALYZE blocks no reader or writer; SQLite plans without it.

    With ``aside``, the ANALYZE runs in a thread on a connection of its own while this one goes on (a sync's
    import hands over to matching, which loads its index and learns its weights meanwhile: 0.4 s of the server's
    time at 100,000 lines, no longer waited for); :func:`statistics_refreshed` waits for it before the reads that
    need it. Outside a transaction only: the thread's connection sees what is committed.
    """
    if written < REFRESH_STATISTICS or not is_postgres():
        return
    db = database.obj
    sql = "ANALYZE " + ", ".join(quote((m._meta.table_name,), db.quote) for m in models)
    if not aside or db.in_transaction():
        db.execute_sql(sql)
        return
    thread = threading.Thread(target=_analyse, args=(sql,), name="gbetix-analyse", daemon=True)
    _ANALYSING.append(thread)
    thread.start()


_ANALYSING: list[threading.Thread] = []


def statistics_refreshed() -> None:
    """Wait for every ANALYZE started aside (see :func:`refresh_statistics`) to end. Call before reads planned on
    the statistics, and before forking (the child must not inherit a connection in use)."""
    while _ANALYSING:
        _ANALYSING.pop().join()


def _analyse(sql: str) -> None:
    """Run an ANALYZE on this thread's own connection. A failure costs only plans, so it is logged, not raised."""
    try:
        with connection():
            database.obj.execute_sql(sql)
    except Exception:  # noqa: BLE001  (nobody waits on this thread's errors; the statistics are an optimisation)
        log.warning("refreshing the planner's statistics failed", exc_info=True)


def commit_without_waiting() -> None:
    """Let this transaction's commit return before PostgreSQL has written it to disk; call inside ``write()``.

    For batch work that is redone when lost: the engine's matching, and new
    BPT lines (BPT keeps them, and the next sync reads them all again). A
    server crash may then lose its last commits (a fraction of a second's),
    each whole or not at all, as if the run had been killed that much
    earlier; a later ordinary commit (the sync noting an event matched, a
    check-in of a ticket just imported) reaches the disk only with every
    commit before it, so nothing kept can rest on a lost one. Saves a wait
    for the disk per batch.
    """
    if is_postgres():
        database.obj.execute_sql("SET LOCAL synchronous_commit TO OFF")


def read_through_indexes() -> None:
    """Let this transaction's reads scan a whole table only where no index fits; call inside ``write()``.

    For batches that look rows up by key in tables the run itself is
    filling: on PostgreSQL such a table has no planner statistics until it is
    analysed after the run, and meanwhile the planner guessed a scan of every
    row cheaper than the index (matching 100,000 new purchases read all of
    purchase_match again for each chunk of 1,000: 16 ms a chunk by the end,
    against 1 ms through its index).
    """
    if is_postgres():
        database.obj.execute_sql("SET LOCAL enable_seqscan TO OFF")


def serialize(name: str) -> None:
    """Make transactions that call this with the same ``name`` run one at a time, until this one ends.

    For a check that counts rows and then adds one (a rate limit): no row can
    be locked before it exists, so PostgreSQL takes a transaction-level
    advisory lock on the name; on SQLite the IMMEDIATE transaction already
    holds the database's write lock.
    """
    if is_postgres():
        database.obj.execute_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (name,))


@contextlib.contextmanager
def connection() -> Iterator[Database]:
    """Make sure this thread has a connection; close it afterwards if we opened it."""
    opened = database.connect(reuse_if_open=True)
    try:
        yield database.obj
    finally:
        if opened:
            database.close()


MAX_PARAMS = 30_000


def bulk_insert(model: type, columns: Sequence[str], rows: Sequence[Sequence], skip_existing: str | None = None) -> int:
    """Insert many rows: multi-row INSERT statements (on PostgreSQL: arrays, or COPY; see COPY_ROWS, ARRAY_ROWS).

    For imports of tens of thousands of rows, where building each INSERT with
    the query builder costs far more than the database does (and multi-row
    VALUES is about three times faster than ``executemany`` on SQLite).
    ``columns`` are field names; values go to the driver as they are (no
    field conversions, no Python-side defaults), so give every column that
    needs a value. With ``skip_existing`` (a field with a unique index), a row
    whose key is already there (or being inserted by another transaction,
    which it then waits for) is skipped: ON CONFLICT DO NOTHING. Returns how
    many rows went in.
    """
    suffix = ""
    if skip_existing:
        column = quote((model._meta.fields[skip_existing].column_name,), database.obj.quote)
        suffix = f" ON CONFLICT ({column}) DO NOTHING"
    if not rows:
        return 0
    if is_postgres():
        return _postgres_insert(model, columns, rows, suffix)[0]
    return sum(database.obj.execute_sql(sql, params).rowcount
               for sql, params in _multi_row_inserts(model, columns, rows, suffix))


# From this many rows, PostgreSQL takes rows that need no ON CONFLICT (and :func:`insert_new`'s) by COPY straight
# into the table: about half the server's time of an INSERT ... SELECT FROM unnest(...), for a round trip more.
COPY_ROWS = 200


def insert_new(model: type, columns: Sequence[str], rows: Sequence[Sequence], key: str) -> int:
    """Insert rows whose ``key`` (a field with a unique index) the caller found free; a row whose key another
    transaction has taken meanwhile is skipped, as with :func:`bulk_insert`'s ``skip_existing``.

    On PostgreSQL many rows are COPYed straight into the table inside a
    savepoint: a taken key is rare (a person deciding that very purchase), so
    only then is the savepoint rolled back and the rows inserted the way that
    skips it. Returns how many rows went in.
    """
    if not is_postgres() or len(rows) < COPY_ROWS:
        return bulk_insert(model, columns, rows, skip_existing=key)
    try:
        with database.obj.atomic(), __exception_wrapper__:
            _copy_rows(model, columns, rows, model._meta.table_name)
        return len(rows)
    except IntegrityError:
        return bulk_insert(model, columns, rows, skip_existing=key)


def insert_returning(model: type, columns: Sequence[str], rows: Sequence[Sequence],
                     returning: Sequence[str], skip_existing: str | None = None) -> list[tuple]:
    """Insert ``rows`` like :func:`bulk_insert` and return the ``returning`` columns of each new row.

    Saves the SELECT that would otherwise find the ids of rows just bulk
    inserted. Needs RETURNING (PostgreSQL; SQLite 3.35 or later). The order of
    the returned rows is not defined: return a key column with the id. With
    ``skip_existing``, as in :func:`bulk_insert`, a row whose key is already
    there is skipped and not returned.
    """
    db = database.obj
    back = " RETURNING " + ", ".join(quote((model._meta.fields[c].column_name,), db.quote) for c in returning)
    if skip_existing:
        column = quote((model._meta.fields[skip_existing].column_name,), db.quote)
        back = f" ON CONFLICT ({column}) DO NOTHING{back}"
    if not rows:
        return []
    if is_postgres():
        if not skip_existing and len(rows) >= COPY_ROWS and set(returning) <= {"id", *columns}:
            return _copy_numbered(model, columns, rows, returning)
        return _postgres_insert(model, columns, rows, back, returning=True)[1]
    found: list[tuple] = []
    for sql, params in _multi_row_inserts(model, columns, rows, back):
        found.extend(db.execute_sql(sql, params).fetchall())
    return found


# Rows with an ON CONFLICT or RETURNING, up to this many: PostgreSQL takes one INSERT ... SELECT FROM unnest(...)
# with an array per column: one round trip and a short statement the driver converts once and prepares, where COPY
# through a scratch table needs five round trips (savepoint, scratch table, COPY, INSERT ... SELECT, drop) and churns
# the catalog, and a multi-row VALUES of thousands of placeholders costs the driver milliseconds to rewrite. A sync's
# batches of a few hundred lines spent most of their time on those; the scratch table pays off for thousands.
ARRAY_ROWS = 2_000


def _postgres_insert(model: type, columns: Sequence[str], rows: Sequence[Sequence], suffix: str,
                     returning: bool = False) -> tuple[int, list[tuple]]:
    """(how many rows went in, the rows RETURNING gave back when ``returning``)."""
    if not suffix and len(rows) >= COPY_ROWS:
        _copy_rows(model, columns, rows, model._meta.table_name)
        return len(rows), []
    if len(rows) > ARRAY_ROWS:
        return _copy_insert(model, columns, rows, suffix, returning)
    db = database.obj
    fields = [model._meta.fields[c] for c in columns]
    names = ", ".join(quote((f.column_name,), db.quote) for f in fields)
    arrays = ", ".join(f"%s::{_array_type(db, f)}" for f in fields)
    cursor = db.execute_sql(f"INSERT INTO {quote((model._meta.table_name,), db.quote)} ({names}) "
                            f"SELECT * FROM unnest({arrays}){suffix}", [_array(values) for values in zip(*rows)])
    return cursor.rowcount, cursor.fetchall() if returning else []


def _array(values: Sequence) -> list:
    """One column's values as the driver can send them: an array holds one type, so mixed ones (a Decimal
    amount beside an int 0) go as text, which PostgreSQL reads into the column's type."""
    if len({type(value) for value in values if value is not None}) > 1:
        return [None if value is None else str(value) for value in values]
    return list(values)


def _array_type(db: Database, field) -> str:
    """The PostgreSQL array type of a column (``varchar[]``, ``numeric[]``...), for an unnest of its values."""
    context = db.get_sql_context()
    declared = context.sql(field.ddl_datatype(context)).query()[0].split("(")[0].strip().upper()
    return {"SERIAL": "INTEGER", "BIGSERIAL": "BIGINT"}.get(declared, declared) + "[]"


def _copy_numbered(model: type, columns: Sequence[str], rows: Sequence[Sequence],
                   returning: Sequence[str]) -> list[tuple]:
    """PostgreSQL: take ids from the table's sequence in one query, then COPY the rows with them, for
    :func:`insert_returning` with nothing to skip: a COPY costs the server about half an INSERT ... SELECT FROM
    unnest(...) (a sync inserts 100,000 orders and purchases so), and the driver streams rows instead of
    building an array per column."""
    db, key = database.obj, model._meta.primary_key
    taken = db.execute_sql("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [quote((model._meta.table_name,), db.quote), key.column_name, len(rows)])
    numbered = [(number, *row) for (number,), row in zip(taken, rows)]
    named = (key.name, *columns)
    _copy_rows(model, named, numbered, model._meta.table_name)
    picks = [named.index(name) for name in returning]
    return [tuple(row[i] for i in picks) for row in numbered]


def _copy_insert(model: type, columns: Sequence[str], rows: Sequence[Sequence], suffix: str,
                 returning: bool = False) -> tuple[int, list[tuple]]:
    """PostgreSQL: COPY the rows into a scratch table, then one INSERT ... SELECT with ``suffix``.

    A multi-row VALUES of 30,000 parameters spends most of its time in the
    driver turning placeholders into ``$n`` (about half of a 100,000-purchase
    match); COPY sends the values as a stream. The scratch table has the
    target's column types and nothing else. It is dropped at the end; if
    anything fails, the savepoint's rollback takes its creation back with it.
    """
    db = database.obj
    names = ", ".join(quote((model._meta.fields[c].column_name,), db.quote) for c in columns)
    target = quote((model._meta.table_name,), db.quote)
    scratch_name = f"bulk_{model._meta.table_name}"
    scratch = quote((scratch_name,), db.quote)
    with db.atomic():
        db.execute_sql(f"CREATE TEMP TABLE {scratch} AS SELECT {names} FROM {target} WITH NO DATA")
        _copy_rows(model, columns, rows, scratch_name)
        inserted = db.execute_sql(f"INSERT INTO {target} ({names}) SELECT {names} FROM {scratch}{suffix}")
        found = inserted.fetchall() if returning else []
        db.execute_sql(f"DROP TABLE {scratch}")
    return inserted.rowcount, found


def _copy_rows(model: type, columns: Sequence[str], rows: Sequence[Sequence], table: str) -> None:
    """PostgreSQL: COPY the rows' ``columns`` (``model``'s field names) into ``table``."""
    db = database.obj
    names = ", ".join(quote((model._meta.fields[c].column_name,), db.quote) for c in columns)
    with db.cursor() as cursor, cursor.copy(f"COPY {quote((table,), db.quote)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _multi_row_inserts(model: type, columns: Sequence[str], rows: Sequence[Sequence],
                       suffix: str) -> Iterator[tuple[str, list]]:
    db = database.obj
    meta = model._meta
    names = ", ".join(quote((meta.fields[c].column_name,), db.quote) for c in columns)
    one = "(" + ", ".join([db.param] * len(columns)) + ")"
    per_statement = max(1, MAX_PARAMS // len(columns))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        sql = (f"INSERT INTO {quote((meta.table_name,), db.quote)} ({names}) VALUES "
               f"{', '.join([one] * len(chunk))}{suffix}")
        yield sql, [value for row in chunk for value in row]


def set_by_id(model: type, column: str, values: Sequence[tuple[int, object]]) -> None:
    """Set ``column`` of many rows, each to its own value: ``[(id, value), ...]``, one UPDATE per 10,000 rows
    (one for all of them on PostgreSQL).

    An UPDATE per distinct value costs a round trip each (a matched purchase's
    tickets go to as many owners as there are buyers); this joins the rows to
    a VALUES list instead (UPDATE ... FROM, SQLite 3.33 or later; arrays on PostgreSQL).
    """
    db = database.obj
    table = quote((model._meta.table_name,), db.quote)
    target = quote((model._meta.fields[column].column_name,), db.quote)
    if is_postgres():
        _set_by_id_arrays(db, table, target, _array_type(db, model._meta.fields[column]), values)
        return
    for start in range(0, len(values), MAX_PARAMS // 3):
        chunk = values[start:start + MAX_PARAMS // 3]
        rows = ", ".join([f"({db.param}, {db.param})"] * len(chunk))
        db.execute_sql(f"UPDATE {table} SET {target} = v.value FROM (SELECT column1 AS id, column2 AS value FROM "
                       f"(VALUES {rows}) AS given) AS v WHERE {table}.id = v.id",
                       [value for pair in chunk for value in pair])


def _set_by_id_arrays(db: Database, table: str, target: str, array_type: str,
                      values: Sequence[tuple[int, object]]) -> None:
    """PostgreSQL: the rows joined to two arrays, one statement for all of them.

    Joined to a VALUES list of a few thousand rows, PostgreSQL's planner
    hashes the list and scans the whole table (190 ms for each chunk of a
    sync's ticket moves at 270,000 tickets); joined to an unnest of arrays, it
    looks each row up by its primary key.
    """
    ids, news = [pair[0] for pair in values], [pair[1] for pair in values]
    db.execute_sql(f"UPDATE {table} SET {target} = v.value FROM unnest(%s::INTEGER[], %s::{array_type}) "
                   f"AS v(id, value) WHERE {table}.id = v.id", [ids, _array(news)])


def update_by_id(model: type, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Set ``columns`` of many rows, each to its own values: ``[(value, ..., id), ...]``, in one executemany.

    One parameterised UPDATE run by the driver for every row, instead of a
    query built by peewee for each (which costs far more than the update).
    Values go to the driver as they are, as in :func:`bulk_insert`.
    """
    if not rows:
        return
    db = database.obj
    sets = ", ".join(f"{quote((model._meta.fields[c].column_name,), db.quote)} = {db.param}" for c in columns)
    sql = f"UPDATE {quote((model._meta.table_name,), db.quote)} SET {sets} WHERE {quote(('id',), db.quote)} = {db.param}"
    db.cursor().executemany(sql, [list(row) for row in rows])


def ids_by(model: type, column: str, keys: Sequence) -> dict:
    """``{key: id}`` for the rows whose ``column`` is one of ``keys``, with plain parameterised SQL."""
    return dict(rows_by(model, (column, "id"), column, keys))


def rows_by(model: type, columns: Sequence[str], column: str, keys: Sequence) -> list[tuple]:
    """The ``columns`` of the rows whose ``column`` is one of ``keys``, with plain parameterised SQL.

    For look-ups of tens of thousands of keys, where the query builder spends
    more on rendering each parameter than the database spends on the query.
    """
    db = database.obj
    names = ", ".join(quote((model._meta.fields[c].column_name,), db.quote) for c in columns)
    column_name = quote((model._meta.fields[column].column_name,), db.quote)
    table = quote((model._meta.table_name,), db.quote)
    if is_postgres():
        # Never a prepared statement: its generic plan, made while a first sync's table was nearly empty, would
        # keep scanning the whole table as it grows (a first sync's purchaser lookups cost 36 ms each).
        with db.cursor() as cursor:
            cursor.execute(f"SELECT {names} FROM {table} WHERE {column_name} = ANY(%s)", [list(keys)], prepare=False)
            return cursor.fetchall()
    found: list[tuple] = []
    for start in range(0, len(keys), 1000):
        chunk = keys[start:start + 1000]
        sql = (f"SELECT {names} FROM {table} "
               f"WHERE {column_name} IN ({', '.join([db.param] * len(chunk))})")
        found.extend(db.execute_sql(sql, list(chunk)).fetchall())
    return found


def stamp(value):
    """A timestamp as the driver stores it, converted once for bulk rows that all repeat it."""
    return value.isoformat(" ") if isinstance(database.obj, SqliteDatabase) else value


def ids_in(field, ids) -> Expression:
    """``field IN (ids)`` with the integers written inline.

    Peewee renders each parameter of a long IN list as its own node, which
    dominates bulk work at 500 ids per query; integer ids are safe to inline.
    """
    return Expression(field, OP.IN, SQL("(" + (",".join(str(int(i)) for i in ids) or "NULL") + ")"))


def plain_rows(query: Query) -> list[tuple]:
    """The query's rows as the driver returns them, for bulk reads of plain columns.

    Skips peewee's per-value conversion, which costs more than the read itself
    at 100,000 rows; use it only for ints and text.
    """
    return database.execute(query).fetchall()
