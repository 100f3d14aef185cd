"""A first pull as one SQLite file: built once by the server, copied in whole by the client.

A paged pull turns every value into JSON and back in Python, about 0.4 ms a case: a first load
of 100k cases cannot afford it. Instead the server fills a file that has the client's own
tables (made by the same migrations), and the client copies each table in with one
INSERT ... SELECT, which SQLite runs page to page when the columns line up. The file carries
the change-log version it was read at; the paged pull goes on from there.
"""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import threading
import uuid
import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    Text,
    TypeDecorator,
    Uuid,
    cast,
    func,
    select,
    text,
    type_coerce,
)
from sqlalchemy.types import NullType
from sqlmodel import Session, SQLModel

from recotui.store.migrations import HEAD_REVISION
from recotui.store.replica import CURSOR_KEY, rebase_pending
from recotui.store.snapshot import debtors_of, owned_by
from recotui.store.store import Store, now_utc
from recotui.store.tables import StoreMeta

STATS = ("stat_agent_day", "stat_agent_case", "stat_case_day", "stat_open", "stat_aging")
META = "snapshot_meta"
_CHUNK = 5000

# Which rows of each table belong to the copied cases, read from the file's own case table
# once it is filled (it is filled first).
_OWNED = {
    "debtor": "id IN (SELECT debtor_id FROM main.collection_case)",
    "debtor_contact": "debtor_id IN (SELECT id FROM main.debtor)",
    "instalment": "plan_id IN (SELECT id FROM main.payment_plan)",
    "payment_allocation": "payment_id IN (SELECT id FROM main.payment)",
    "dispute_invoice": "dispute_id IN (SELECT id FROM main.dispute)",
}
# The book's tables, in the order they are filled: cases before what is read through them.
BOOK = ("user", "campaign", "campaign_member", "collection_case", "debtor", "debtor_contact",
        "invoice", "activity", "promise", "payment_plan", "instalment", "payment",
        "payment_allocation", "dispute", "dispute_invoice")
_AGENT_CASES = ("assigned_agent_id = :user OR claimed_by = :user OR campaign_id IN "
                "(SELECT campaign_id FROM src.campaign_member WHERE user_id = :user)")


# -- the server's side ------------------------------------------------------------------------

_template_lock = threading.Lock()


def _template(work: Path) -> Path:
    """An empty client store with no triggers and no indexes but the keys: made once."""
    path = work / f"template-{HEAD_REVISION}.sqlite3"
    with _template_lock:
        if not path.exists():
            building = path.with_suffix(".building")
            building.unlink(missing_ok=True)
            Store.open(building).close()
            with closing(sqlite3.connect(building, isolation_level=None)) as conn:
                for kind, name in conn.execute(
                        "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'index')"
                        " AND sql IS NOT NULL").fetchall():
                    conn.execute(f'DROP {kind.upper()} "{name}"')
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute("VACUUM")
            building.replace(path)
    return path


def build(session: Session, user_id: uuid.UUID, everything: bool, path: Path,
          work: Path) -> int:
    """Write the caller's scope into a new file at `path`; the change-log version it holds."""
    shutil.copyfile(_template(work), path)
    bind = session.get_bind()
    with closing(sqlite3.connect(path, isolation_level=None)) as out:
        out.execute("PRAGMA journal_mode=OFF")
        out.execute("PRAGMA synchronous=OFF")
        out.execute("BEGIN")
        if bind.dialect.name == "sqlite":
            version = _fill_from_sqlite(out, bind.url.database, user_id, everything)
        else:
            conn = session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            version = _fill_from(conn, out, user_id, everything)
            _count_stats(out)
        out.execute(f"CREATE TABLE {META} (key TEXT PRIMARY KEY, value TEXT)")
        out.executemany(f"INSERT INTO {META} VALUES (?, ?)",
                        [("cursor", str(version)), ("revision", HEAD_REVISION)])
        out.execute("COMMIT")
    return version


def _fill_from_sqlite(out: sqlite3.Connection, database: str, user_id: uuid.UUID,
                      everything: bool) -> int:
    out.execute("ATTACH DATABASE ? AS src", (database,))
    # One read transaction over both files: every table is read at the same version.
    version = out.execute("SELECT coalesce(max(version), 0) FROM src.sync_change").fetchone()[0]
    for name in BOOK:
        where = _where(name, everything)
        out.execute(f'INSERT INTO main."{name}" ({_columns(out, name)}) '
                    f'SELECT {_columns(out, name)} FROM src."{name}" WHERE {where}',
                    {"user": user_id.hex} if ":user" in where else {})
    if everything:  # the server's own counts, kept by the same triggers, are the whole book's
        for name in STATS:
            out.execute(f'INSERT INTO main."{name}" ({_columns(out, name)}) '
                        f'SELECT {_columns(out, name)} FROM src."{name}"')
    else:
        _count_stats(out)
    return version


def _columns(conn: sqlite3.Connection, name: str) -> str:
    return ", ".join(f'"{row[1]}"' for row in conn.execute(f'PRAGMA main.table_info("{name}")'))


def _where(name: str, everything: bool) -> str:
    if name == "collection_case":
        return "1" if everything else _AGENT_CASES
    if name in _OWNED:
        return _OWNED[name]
    if name in ("user", "campaign", "campaign_member"):
        return "1"
    return "case_id IN (SELECT id FROM main.collection_case)"


def _fill_from(conn: Connection, out: sqlite3.Connection, user_id: uuid.UUID,
               everything: bool) -> int:
    """From PostgreSQL, under one repeatable-read snapshot. PostgreSQL writes each value as
    the text a SQLite client stores (see _as_stored): no value is built in Python."""
    version = conn.execute(text("SELECT coalesce(max(version), 0) FROM sync_change")).scalar_one()
    case_ids = [] if everything else conn.execute(text(
        f"SELECT id FROM collection_case WHERE {_AGENT_CASES.replace('src.', '')}"),
        {"user": user_id}).scalars().all()
    raw = conn.connection.driver_connection
    for name in BOOK:
        table = SQLModel.metadata.tables[name]
        query = select(*[_as_stored(c) for c in table.c])
        if not everything and name not in ("user", "campaign", "campaign_member"):
            query = query.where(_pg_owned(table, case_ids))
        sql = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        columns = ", ".join(f'"{c.name}"' for c in table.c)
        marks = ", ".join("?" for _ in table.c)
        insert = f'INSERT INTO main."{name}" ({columns}) VALUES ({marks})'
        # psycopg's own server-side cursor, in the same transaction: its tuples go to SQLite
        # as they come, without SQLAlchemy's rows between (a third of the time). The next
        # chunk is fetched while this one is written: PostgreSQL works on the other core.
        with raw.cursor(name=f"snapshot_{name}") as cursor, \
                ThreadPoolExecutor(1, thread_name_prefix="snapshot") as ahead:
            cursor.execute(str(sql), sql.params)
            chunk = ahead.submit(cursor.fetchmany, _CHUNK)
            while rows := chunk.result():
                chunk = ahead.submit(cursor.fetchmany, _CHUNK)
                out.executemany(insert, rows)
    return version


def _as_stored(column: Any) -> Any:
    """The column as SQLAlchemy stores it in SQLite, computed by PostgreSQL: ids as 32 hex
    digits, times naive in UTC with microseconds, booleans as 0/1, JSON as its text."""
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, Uuid):
        value = func.replace(cast(column, Text), "-", "")
    elif isinstance(kind, DateTime):
        value = func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24:MI:SS.US")
    elif isinstance(kind, Date):
        value = func.to_char(column, "YYYY-MM-DD")
    elif isinstance(kind, Boolean):
        value = cast(column, Integer)
    elif isinstance(kind, JSON):
        value = cast(column, Text)
    else:
        value = column
    return type_coerce(value, NullType()).label(column.name)


def _pg_owned(table: Any, case_ids: Sequence[uuid.UUID]) -> Any:
    if table.name == "debtor":
        return table.c.id.in_(debtors_of(case_ids))
    if table.name == "debtor_contact":
        return table.c.debtor_id.in_(debtors_of(case_ids))
    return owned_by(table, case_ids)


def _count_stats(out: sqlite3.Connection) -> None:
    for statement in stat_backfill():
        out.execute(statement)


def stat_backfill() -> list[str]:
    """The console's counts from the base tables: the statements the migrations that made
    them ran, read from there so that the two cannot drift apart."""
    versions = Path(__file__).parent / "migrations" / "versions"
    statements: list[str] = []
    for name in ("0004_supervisor", "0005_console_counts"):
        spec = importlib.util.spec_from_file_location(f"_recotui_{name}", versions / f"{name}.py")
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        backfill = module.BACKFILL
        statements += backfill if isinstance(backfill, list) else [backfill]
    return statements


def stream_gzip(path: Path, level: int = 1) -> Iterator[bytes]:
    """The file gzipped as it is read: level 1, because a 300 MB file at Starlette's level
    9 would take longer to compress than the client takes to load it."""
    packer = zlib.compressobj(level, zlib.DEFLATED, 31)
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            if packed := packer.compress(chunk):
                yield packed
    yield packer.flush()


# -- the client's side ------------------------------------------------------------------------


def book_is_empty(store: Store) -> bool:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT 1 FROM collection_case LIMIT 1").first() is None


@contextmanager
def _attached(store: Store, path: Path) -> Iterator[Connection]:
    """A connection of the store with the file attached as `snap` and foreign keys off (a
    pragma that cannot change inside a transaction), both undone before it goes back."""
    with store.writer, store.engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("ATTACH DATABASE ? AS snap", (str(path),))
        try:
            yield conn
        finally:
            if conn.in_transaction():
                conn.rollback()
            raw.execute("DETACH DATABASE snap")
            raw.execute("PRAGMA foreign_keys=ON")


def load(store: Store, path: Path, now: datetime | None = None) -> tuple[int, int] | None:
    """Copy the file's book into an empty store, in one transaction: (cases, cursor). None
    when it cannot be used (another schema, or the store already holds cases): pull by
    pages instead."""
    with _attached(store, path) as conn:
        sql = conn.exec_driver_sql
        meta = dict(sql(f"SELECT key, value FROM snap.{META}").all())
        if meta.get("revision") != HEAD_REVISION:
            return None
        sql("BEGIN IMMEDIATE")
        if sql("SELECT 1 FROM main.collection_case LIMIT 1").first() is not None:
            return None
        tables = BOOK + STATS
        # Rebuilt after the copy: an index is faster built from sorted rows than kept up row
        # by row, and triggers would count again what the file's counts already hold.
        rebuilt = sql("SELECT type, name, sql FROM main.sqlite_master WHERE type IN "
                      "('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN "
                      f"({', '.join('?' for _ in tables)})", tables).all()
        for kind, name, _ in rebuilt:
            sql(f'DROP {kind.upper()} "{name}"')
        for name in STATS:
            sql(f'DELETE FROM main."{name}"')
        sql("DELETE FROM main.debtor_contact WHERE debtor_id IN (SELECT id FROM snap.debtor)")
        for name in BOOK + STATS:
            _copy(conn, name)
        for _, _, statement in rebuilt:
            sql(statement)
        cases = sql("SELECT count(*) FROM main.collection_case").scalar_one()
        with Session(bind=conn) as session:
            rebase_pending(session, None, now or now_utc())
            session.merge(StoreMeta(key=CURSOR_KEY, value=meta["cursor"]))
            session.flush()
        conn.commit()
        return cases, int(meta["cursor"])


def _copy(conn: Connection, name: str) -> None:
    sql = conn.exec_driver_sql
    mine = [row[1] for row in sql(f'PRAGMA main.table_info("{name}")').all()]
    theirs = [row[1] for row in sql(f'PRAGMA snap.table_info("{name}")').all()]
    empty = sql(f'SELECT 1 FROM main."{name}" LIMIT 1').first() is None
    if mine == theirs and empty:
        # The form SQLite copies record by record, without decoding them.
        sql(f'INSERT INTO main."{name}" SELECT * FROM snap."{name}"')
        return
    columns = ", ".join(f'"{c}"' for c in theirs if c in mine)
    # Users, campaigns and debtors may already be here: the server's copy wins.
    sql(f'INSERT OR REPLACE INTO main."{name}" ({columns}) SELECT {columns} FROM snap."{name}"')
