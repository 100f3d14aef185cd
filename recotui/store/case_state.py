"""Keeps each case's balances, promise state and priority in step with its facts.

Called inside the transaction that changed the facts, so the queue never sees a case whose
balance disagrees with its invoices.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from sqlalchemy import and_, case, func, update
from sqlmodel import Session, col, select

from recotui.domain.priority import DEFAULT_WEIGHTS, PriorityInputs, score_case
from recotui.domain.vocab import CaseStatus, PromiseStatus
from recotui.store.tables import CollectionCase, Invoice, PaymentPlan, Promise

_CHUNK = 500


def _chunks(ids: list[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def break_overdue_promises(session: Session, now: datetime) -> int:
    """A pending promise whose date has passed unpaid becomes broken."""
    result = session.execute(
        update(Promise)
        .where(col(Promise.status) == PromiseStatus.PENDING, col(Promise.due_date) < now.date())
        .values(status=PromiseStatus.BROKEN, settled_at=now)
    )
    return result.rowcount or 0


def refresh_cases(
    session: Session, case_ids: Iterable[uuid.UUID], now: datetime,
    weights: Mapping[str, int] = DEFAULT_WEIGHTS,
) -> int:
    """Recompute aggregates and priority of the given cases at `now` (aware UTC)."""
    ids = list(dict.fromkeys(case_ids))
    today = now.date()
    for chunk in _chunks(ids):
        sums = {row[0]: row[1:] for row in session.execute(_invoice_sums(chunk, today))}
        promises = _latest_open_promises(session, chunk)
        plans = set(session.exec(
            select(PaymentPlan.case_id).where(
                col(PaymentPlan.case_id).in_(chunk), col(PaymentPlan.status) == "active")
        ))
        cases = session.exec(select(CollectionCase).where(col(CollectionCase.id).in_(chunk)))
        for c in cases:
            balance, disputed, overdue, open_count, oldest = sums.get(c.id, (0, 0, 0, 0, None))
            c.balance_minor, c.disputed_minor, c.overdue_minor = balance, disputed, overdue
            c.open_invoice_count, c.oldest_due_date = open_count, oldest
            c.promise_status, c.promise_due_date = promises.get(c.id, ("", None))
            c.plan_active = c.id in plans
            c.next_action_at = _next_action(c)
            _rescore(c, now, weights)
            c.updated_at = now
    return len(ids)


def _rescore(c: CollectionCase, now: datetime, weights: Mapping[str, int]) -> None:
    if c.status == CaseStatus.CLOSED:
        c.priority, c.priority_factors = 0, []
    else:
        result = score_case(inputs_of(c), now, weights)
        c.priority, c.priority_factors = result.score, result.as_rows()
    c.priority_as_of = now.date()


def inputs_of(c: CollectionCase) -> PriorityInputs:
    from recotui.domain.money import precision

    return PriorityInputs(
        overdue_minor=c.overdue_minor, balance_minor=c.balance_minor,
        disputed_minor=c.disputed_minor, oldest_due_date=c.oldest_due_date, stage=c.stage,
        promise_status=c.promise_status, promise_due_date=c.promise_due_date,
        callback_at=c.callback_at, last_contact_at=c.last_contact_at,
        minor_per_major=10 ** precision(c.currency),
    )


def _next_action(c: CollectionCase) -> datetime | None:
    if c.callback_at is not None:
        return c.callback_at
    if c.promise_status == PromiseStatus.PENDING and c.promise_due_date is not None:
        return datetime.combine(c.promise_due_date, datetime.min.time(), tzinfo=UTC)
    return None


def _invoice_sums(chunk: list[uuid.UUID], today):  # noqa: ANN001, ANN202
    undisputed_open = and_(col(Invoice.open_minor) > 0, col(Invoice.disputed).is_(False))
    return (
        select(
            Invoice.case_id,
            func.coalesce(func.sum(Invoice.open_minor), 0),
            func.coalesce(func.sum(case((col(Invoice.disputed), Invoice.open_minor), else_=0)), 0),
            func.coalesce(func.sum(case(
                (and_(undisputed_open, col(Invoice.due_date) < today), Invoice.open_minor),
                else_=0)), 0),
            func.count().filter(col(Invoice.open_minor) > 0),
            func.min(case((undisputed_open, Invoice.due_date), else_=None)),
        )
        .where(col(Invoice.case_id).in_(chunk))
        .group_by(Invoice.case_id)
    )


def _latest_open_promises(session: Session, chunk: list[uuid.UUID]) -> dict:
    rows = session.exec(
        select(Promise.case_id, Promise.status, Promise.due_date)
        .where(col(Promise.case_id).in_(chunk),
               col(Promise.status).in_([PromiseStatus.PENDING, PromiseStatus.BROKEN]))
        .order_by(col(Promise.created_at))
    )
    return {case_id: (status, due) for case_id, status, due in rows}  # latest wins
