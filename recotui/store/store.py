"""The Store: one engine, the schema brought up to date, and this client's identity."""

from __future__ import annotations

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


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite has one writer: the threads of this process queue here, in turn, rather
        # than in SQLite's busy handler, which sleeps and retries by lottery (a server's
        # tail latency of seconds under load).
        self.writer = threading.RLock()
        self.client_id = uuid.UUID(hex=self._client_id())

    @classmethod
    def open(cls, db: str | Path) -> Store:
        engine = make_engine(db)
        upgrade(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        if self.engine.dialect.name != "sqlite":
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
            return
        with self.writer, Session(self.engine, expire_on_commit=False) as session, \
                session.begin():
            # The write lock first: what the unit reads stays true until it commits, and
            # a second process writing the same file waits its turn (busy_timeout).
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
