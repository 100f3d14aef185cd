"""Bulk writes in the caller's transaction, for imports of hundreds of thousands of rows.

On SQLite, rows go as plain tuples to the driver's own connection with executemany: Core's
per-value type processing costs more than SQLite's insert itself. The values are then written
in the form SQLAlchemy would have stored (hex UUIDs, ISO dates, naive UTC timestamps), so the
ORM reads them back unchanged. Elsewhere, Core's executemany with typed values, which every
dialect understands.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session, SQLModel

_CHUNK = 500  # keys per IN list
_MASK62 = (1 << 62) - 1
_VARIANT = 1 << 63  # UUID variant bits 10


def rising_hex_ids(count: int) -> list[str]:
    """`count` new UUIDv7s as hex, rising: a 12-bit counter in rand_a orders ids made in the
    same millisecond, so index inserts stay at the right-hand edge of the B-tree."""
    ms = time.time_ns() // 1_000_000
    randoms = memoryview(os.urandom(8 * count)).cast("Q")
    return [f"{ms + (i >> 12):012x}7{i & 0xFFF:03x}{randoms[i] & _MASK62 | _VARIANT:016x}"
            for i in range(count)]


class Bulk:
    """Writes through one session's connection; `raw=False` forces the portable path."""

    def __init__(self, session: Session, *, raw: bool | None = None) -> None:
        conn = session.connection()
        sqlite = conn.dialect.name == "sqlite"
        self.session = session
        self.raw = sqlite if raw is None else raw and sqlite
        self._driver = conn.connection.driver_connection if self.raw else None
        if sqlite and not self._driver_in_transaction(conn):
            # Take the write lock now: what we read before writing stays true until commit.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    @staticmethod
    def _driver_in_transaction(conn: Any) -> bool:  # noqa: ANN401
        return bool(conn.connection.driver_connection.in_transaction)

    @contextlib.contextmanager
    def big_cache(self, mib: int = 256) -> Iterator[None]:
        """A page cache that holds the indexes a large import inserts into at random places;
        with SQLite's default 2 MiB, each insert would read and write pages again."""
        if self._driver is None:
            yield
            return
        (before,) = self._driver.execute("PRAGMA cache_size").fetchone()
        self._driver.execute(f"PRAGMA cache_size=-{mib * 1024}")
        try:
            yield
        finally:
            self._driver.execute(f"PRAGMA cache_size={int(before)}")

    # Values, in the form this connection takes.

    def new_ids(self, count: int) -> list[Any]:
        ids = rising_hex_ids(count)
        return ids if self.raw else [uuid.UUID(hex=h) for h in ids]

    def uid(self, value: uuid.UUID | None) -> Any:  # noqa: ANN401
        if value is None or not self.raw:
            return value
        return value.hex

    @staticmethod
    def as_uuid(value: uuid.UUID | str) -> uuid.UUID:
        """Back from the connection's form (or a UUID) to a UUID."""
        return value if isinstance(value, uuid.UUID) else uuid.UUID(hex=value)

    def day(self, value: date | None) -> Any:  # noqa: ANN401
        return value.isoformat() if self.raw and value is not None else value

    def stamp(self, value: datetime | None) -> Any:  # noqa: ANN401
        if value is None or not self.raw:
            return value
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def flag(self, value: bool) -> Any:  # noqa: ANN401
        return int(value) if self.raw else value

    def json(self, value: Any) -> Any:  # noqa: ANN401
        return json.dumps(value) if self.raw else value

    # Statements.

    def select_in(self, table: type[SQLModel], columns: Sequence[str], key: str,
                  values: Sequence[Any]) -> Iterator[tuple]:
        """`columns` of the rows whose `key` is one of `values`, in the connection's form."""
        self.session.flush()
        for start in range(0, len(values), _CHUNK):
            chunk = list(values[start:start + _CHUNK])
            if self._driver is not None:
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" * len(chunk))
                yield from self._driver.execute(
                    f'SELECT {names} FROM "{table.__tablename__}" WHERE "{key}" IN ({marks})',
                    chunk)
            else:
                t = table.__table__  # type: ignore[attr-defined]
                yield from (tuple(row) for row in self.session.connection().execute(
                    select(*(t.c[c] for c in columns)).where(t.c[key].in_(chunk))))

    def insert(self, table: type[SQLModel], columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if self._driver is not None:
            self.session.flush()  # what the ORM holds goes first, in order
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            self._driver.executemany(
                f'INSERT INTO "{table.__tablename__}" ({names}) VALUES ({marks})', rows)
        else:
            self.session.execute(insert(table), [dict(zip(columns, row, strict=True))
                                                 for row in rows])

    def update(self, table: type[SQLModel], columns: Sequence[str], rows: list[tuple]) -> None:
        """Set `columns` of the rows whose id is the last item of each tuple."""
        if not rows:
            return
        if self._driver is not None:
            self.session.flush()
            sets = ", ".join(f'"{c}" = ?' for c in columns)
            self._driver.executemany(
                f'UPDATE "{table.__tablename__}" SET {sets} WHERE id = ?', rows)
        else:
            id_col = table.__table__.c.id  # type: ignore[attr-defined]
            statement = update(table.__table__).where(id_col == bindparam("_id")).values(
                {c: bindparam(f"_{c}") for c in columns})
            self.session.connection().execute(statement, [
                {**{f"_{c}": v for c, v in zip(columns, row[:-1], strict=True)}, "_id": row[-1]}
                for row in rows])
