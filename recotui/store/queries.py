"""Read functions on the SQLAlchemy session. The queue's reads are in queue_reads.py, on
plain sqlite3, to keep SQLAlchemy off the start-up path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from recotui.domain.aging import AGING_BUCKETS, aging_bucket, days_past_due
from recotui.store.tables import (
    Invoice,
    User,
)


@dataclass(frozen=True, slots=True)
class AgingTotal:
    currency: str
    buckets: dict[str, int]  # bucket → minor units, every bucket present
    total: int


def aging_totals(session: Session, as_of: date) -> list[AgingTotal]:
    """Open amounts by currency and days-past-due bucket at `as_of`.

    Grouped by due date on the covering partial index, so SQLite reads only the index
    and Python buckets a few thousand (currency, date) sums.
    """
    statement = (
        select(Invoice.currency, Invoice.due_date, func.sum(Invoice.open_minor))
        .where(col(Invoice.open_minor) > 0)
        .group_by(Invoice.currency, Invoice.due_date)
    )
    per_currency: dict[str, dict[str, int]] = {}
    for currency, due_date, amount in session.exec(statement):
        buckets = per_currency.setdefault(currency, dict.fromkeys(AGING_BUCKETS, 0))
        buckets[aging_bucket(days_past_due(due_date, as_of))] += int(amount)  # PG: Decimal
    return [
        AgingTotal(currency, buckets, sum(buckets.values()))
        for currency, buckets in sorted(per_currency.items())
    ]


def find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(col(User.username) == username)).first()
