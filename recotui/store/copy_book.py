"""Copy a whole book from one database to another (a SQLite demo into the server's PostgreSQL).

Tables go parents first, in chunks through executemany; the copy is one transaction, so a
failure leaves the target as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlmodel import SQLModel

BOOK_TABLES = ("user", "campaign", "debtor", "debtor_contact", "collection_case", "invoice",
               "activity", "promise", "payment_plan", "instalment", "payment",
               "payment_allocation", "dispute", "dispute_invoice")
_CHUNK = 5000


def copy_book(source: Engine, target: Engine,
              progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Rows copied per table. The target must have the schema and no rows with the same ids."""
    counts: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        for name in BOOK_TABLES:
            table = SQLModel.metadata.tables[name]
            counts[name] = 0
            result = src.execution_options(stream_results=True).execute(select(table))
            keys = list(result.keys())
            while rows := result.fetchmany(_CHUNK):
                dst.execute(table.insert(), [dict(zip(keys, row, strict=True)) for row in rows])
                counts[name] += len(rows)
                if progress:
                    progress(name, counts[name])
    return counts
