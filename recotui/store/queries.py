"""Read functions. The queue is an index scan on (status, priority, id), keyset-paginated."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, tuple_
from sqlmodel import Session, col, select

from recotui.domain.aging import AGING_BUCKETS, aging_bucket, days_past_due
from recotui.domain.vocab import CaseStatus
from recotui.store.tables import CollectionCase, Debtor, Invoice, User


@dataclass(frozen=True, slots=True)
class QueueRow:
    case_id: uuid.UUID
    priority: int
    debtor_name: str
    debtor_number: str
    currency: str
    balance_minor: int
    overdue_minor: int
    disputed_minor: int
    oldest_due_date: date | None
    stage: str
    promise_status: str
    promise_due_date: date | None
    callback_at: datetime | None
    next_action_at: datetime | None
    last_contact_at: datetime | None

    @property
    def cursor(self) -> tuple[int, uuid.UUID]:
        return (self.priority, self.case_id)


@dataclass(frozen=True, slots=True)
class QueueScope:
    """Which cases a queue shows: one agent's, one campaign's, or the whole open book."""

    agent_id: uuid.UUID | None = None
    campaign_id: uuid.UUID | None = None


_QUEUE_COLUMNS = (
    CollectionCase.id, CollectionCase.priority, Debtor.name, Debtor.number,
    CollectionCase.currency, CollectionCase.balance_minor, CollectionCase.overdue_minor,
    CollectionCase.disputed_minor, CollectionCase.oldest_due_date, CollectionCase.stage,
    CollectionCase.promise_status, CollectionCase.promise_due_date, CollectionCase.callback_at,
    CollectionCase.next_action_at, CollectionCase.last_contact_at,
)


def _scoped(statement, scope: QueueScope):  # noqa: ANN001, ANN202
    statement = statement.where(col(CollectionCase.status) == CaseStatus.OPEN)
    if scope.agent_id is not None:
        statement = statement.where(col(CollectionCase.assigned_agent_id) == scope.agent_id)
    if scope.campaign_id is not None:
        statement = statement.where(col(CollectionCase.campaign_id) == scope.campaign_id)
    return statement


def queue_page(
    session: Session, scope: QueueScope = QueueScope(), *,
    after: tuple[int, uuid.UUID] | None = None, before: tuple[int, uuid.UUID] | None = None,
    limit: int = 50, from_end: bool = False,
) -> list[QueueRow]:
    """Cases in queue order (priority, then id, both descending).

    `after` gives the page below a row, `before` the page above it, `from_end` the last page.
    Every form walks the index from one end; none sorts the book.
    """
    key = tuple_(col(CollectionCase.priority), col(CollectionCase.id))
    statement = _scoped(select(*_QUEUE_COLUMNS).join(Debtor), scope)
    descending = before is None and not from_end
    if after is not None:
        statement = statement.where(key < tuple_(*after))
    if before is not None:
        statement = statement.where(key > tuple_(*before))
    if descending:
        order = (col(CollectionCase.priority).desc(), col(CollectionCase.id).desc())
    else:
        order = (col(CollectionCase.priority).asc(), col(CollectionCase.id).asc())
    rows = [QueueRow(*row) for row in session.exec(statement.order_by(*order).limit(limit))]
    return rows if descending else rows[::-1]


def queue_count(session: Session, scope: QueueScope = QueueScope()) -> int:
    return session.exec(_scoped(select(func.count()).select_from(CollectionCase), scope)).one()


@dataclass(frozen=True, slots=True)
class QueueTotals:
    cases: int
    by_currency: dict[str, tuple[int, int]]  # currency → (balance, overdue) in minor units


def queue_totals(session: Session, scope: QueueScope = QueueScope()) -> QueueTotals:
    statement = _scoped(select(
        CollectionCase.currency, func.count(), func.sum(CollectionCase.balance_minor),
        func.sum(CollectionCase.overdue_minor),
    ).group_by(CollectionCase.currency), scope)
    by_currency, cases = {}, 0
    for currency, count, balance, overdue in session.exec(statement):
        cases += count
        by_currency[currency] = (balance or 0, overdue or 0)
    return QueueTotals(cases, by_currency)


def rank_of(session: Session, row_key: tuple[int, uuid.UUID],
            scope: QueueScope = QueueScope()) -> int:
    """1-based position of a case in its queue (counts the rows ahead on the index)."""
    key = tuple_(col(CollectionCase.priority), col(CollectionCase.id))
    ahead = _scoped(select(func.count()).select_from(CollectionCase), scope).where(
        key > tuple_(*row_key))
    return session.exec(ahead).one() + 1


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
        buckets[aging_bucket(days_past_due(due_date, as_of))] += amount
    return [
        AgingTotal(currency, buckets, sum(buckets.values()))
        for currency, buckets in sorted(per_currency.items())
    ]


def find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(col(User.username) == username)).first()


def priority_factors(session: Session, case_id: uuid.UUID) -> list[tuple[str, int, int]]:
    factors = session.exec(
        select(CollectionCase.priority_factors).where(col(CollectionCase.id) == case_id)
    ).first()
    return [(str(n), int(w), int(c)) for n, w, c in factors or []]
