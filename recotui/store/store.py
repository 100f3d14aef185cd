"""The Store: one engine, the schema brought up to date, and this client's identity."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from recotui.store.engine import make_engine, upgrade
from recotui.store.tables import Outbox, StoreMeta

try:
    import fcntl
except ImportError:  # Windows: the processes sharing a file wait in SQLite's busy handler
    fcntl = None


class WriteTurn:
    """One writer at a time on a SQLite file: the threads of a process queue on a lock, and
    the processes sharing the file (a server's workers) on an flock of `<file>-writer`.

    Both hand the turn to the next writer as soon as it is free; SQLite's busy handler
    sleeps and retries by lottery instead, which gave a server tail latencies of seconds.
    Re-entrant within a thread.
    """

    def __init__(self, path: str | None) -> None:
        self._threads = threading.RLock()
        self._depth = 0
        self._path = f"{path}-writer" if path and fcntl is not None else None
        self._fd: int | None = None
        self._pid = 0

    def __enter__(self) -> WriteTurn:
        self._threads.acquire()
        self._depth += 1
        if self._depth == 1 and self._path:
            try:
                if self._pid != os.getpid():  # a forked child opens its own
                    self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                    self._pid = os.getpid()
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            except BaseException:
                self._depth -= 1
                self._threads.release()
                raise
        return self

    def __exit__(self, *_: object) -> None:
        try:
            if self._depth == 1 and self._path:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._depth -= 1
            self._threads.release()

    def close(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd, self._pid = None, 0


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        self.writer = WriteTurn(database if database not in (None, "", ":memory:") else None)
        self.client_id = uuid.UUID(hex=self._client_id())

    @classmethod
    def open(cls, db: str | Path) -> Store:
        engine = make_engine(db)
        upgrade(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()
        self.writer.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        if self.engine.dialect.name != "sqlite":
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
            return
        # A pooled connection before the turn to write: a writer that waited for one while
        # holding the turn would hold up every other writer too.
        with self.engine.connect() as conn, self.writer, \
                Session(conn, expire_on_commit=False) as session, session.begin():
            # The write lock first: what the unit reads stays true until it commits. Other
            # processes writing the same file wait on the turn's flock, not on this lock.
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session

    def meta(self, key: str, default: str | None = None) -> str | None:
        with Session(self.engine) as session:
            row = session.get(StoreMeta, key)
            return row.value if row else default

    def _client_id(self) -> str:
        with self.transaction() as session:
            row = session.get(StoreMeta, "client_id")
            if row is None:
                row = StoreMeta(key="client_id", value=uuid.uuid4().hex)
                session.add(row)
            return row.value


def now_utc() -> datetime:
    return datetime.now(UTC)


def enqueue(session: Session, store: Store, name: str, args: dict[str, Any]) -> Outbox:
    """Append a mutation to the outbox in the caller's transaction; ids rise by one.

    On SQLite mutation_id is the rowid: left empty, SQLite gives it max + 1 as it inserts,
    under the transaction's write lock, so no read is needed. It is set once flushed.
    """
    row = Outbox(client_id=store.client_id, name=name, args=args, created_at=now_utc())
    if store.engine.dialect.name != "sqlite":
        last = session.exec(
            select(Outbox.mutation_id).order_by(Outbox.mutation_id.desc()).limit(1)  # type: ignore[union-attr]
        ).first()
        row.mutation_id = (last or 0) + 1
    session.add(row)
    return row
