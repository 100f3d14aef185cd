"""Keeps each case's balances, promise state and priority in step with its facts.

Called inside the transaction that changed the facts, so the queue never sees a case whose
balance disagrees with its invoices.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, Select, and_, bindparam, case, exists, func, select, update
from sqlmodel import Session, col

from recotui.domain.money import precision
from recotui.domain.priority import DEFAULT_WEIGHTS, PriorityInputs, score_case
from recotui.domain.vocab import CaseStatus, PromiseStatus
from recotui.store.tables import Campaign, CollectionCase, Invoice, PaymentPlan, Promise

if TYPE_CHECKING:
    from recotui.store.bulk import Bulk

_CHUNK = 500
# What refresh writes, in the order _derive returns it.
DERIVED = ("balance_minor", "disputed_minor", "overdue_minor", "open_invoice_count",
           "oldest_due_date", "promise_status", "promise_due_date", "plan_active",
           "next_action_at", "priority", "priority_factors", "priority_as_of", "updated_at")


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
    session.flush()  # the facts query reads what the session holds
    for chunk in _chunks(ids):
        facts = {row[0]: row for row in session.connection().execute(
            _facts_statement(), {"ids": chunk, "today": now.date()})}
        if len(chunk) == 1:  # an action's case is in the session already: no query
            cases = [c for c in [session.get(CollectionCase, chunk[0])] if c is not None]
        else:
            cases = list(session.scalars(
                select(CollectionCase).where(col(CollectionCase.id).in_(chunk))))
        strategy = {cid: {**weights, **w} for cid in {c.campaign_id for c in cases} - {None}
                    if (w := _campaign_weights(session, cid))}
        for c in cases:
            row = facts.get(c.id)
            if row is None:
                continue
            values = _derive(c.status, c.stage, c.currency, c.callback_at, c.last_contact_at,
                             row[6:], now, strategy.get(c.campaign_id, weights))
            for name, value in zip(DERIVED, values, strict=True):
                setattr(c, name, value)
    return len(ids)


def refresh_cases_bulk(
    bulk: Bulk, case_ids: Iterable[uuid.UUID], now: datetime,
    weights: Mapping[str, int] = DEFAULT_WEIGHTS,
) -> int:
    """refresh_cases for many cases at once: one query per chunk, one executemany back.

    The cases must not be loaded in the session: their rows change behind it.
    """
    ids = list(dict.fromkeys(case_ids))
    session = bulk.session
    session.flush()
    rows = []
    day, stamp, uid = bulk.day, bulk.stamp, bulk.uid
    for chunk in _chunks(ids):
        strategy = {case_id: {**weights, **w} for case_id, w in session.execute(
            select(CollectionCase.id, Campaign.weights)
            .join(Campaign, col(Campaign.id) == col(CollectionCase.campaign_id))
            .where(col(CollectionCase.id).in_(chunk))) if w}
        for row in session.connection().execute(
                _facts_statement(), {"ids": chunk, "today": now.date()}):
            values = _derive(*row[1:6], row[6:], now, strategy.get(row[0], weights))
            (balance, disputed, overdue, count, oldest, p_status, p_due, plan, next_at,
             priority, factors, as_of, updated) = values
            rows.append((balance, disputed, overdue, count, day(oldest), p_status, day(p_due),
                         bulk.flag(plan), stamp(next_at), priority, bulk.json(factors),
                         day(as_of), stamp(updated), uid(row[0])))
    bulk.update(CollectionCase, DERIVED, rows)
    return len(ids)


def _campaign_weights(session: Session, campaign_id: uuid.UUID) -> dict[str, int]:
    """A campaign's strategy: the priority weights it overrides (migration 0004)."""
    campaign = session.get(Campaign, campaign_id)
    return dict(campaign.weights or {}) if campaign is not None else {}


def _derive(status: str, stage: str, currency: str, callback_at: datetime | None,
            last_contact_at: datetime | None, facts: tuple, now: datetime,
            weights: Mapping[str, int]) -> tuple:
    """The DERIVED values of a case from its facts (the aggregate columns of the query)."""
    balance, disputed, overdue, count, oldest, p_status, p_due, plan = facts
    p_status = p_status or ""
    callback_at, last_contact_at = _aware(callback_at), _aware(last_contact_at)
    if callback_at is not None:
        next_at = callback_at
    elif p_status == PromiseStatus.PENDING and p_due is not None:
        next_at = datetime.combine(p_due, datetime.min.time(), tzinfo=UTC)
    else:
        next_at = None
    if status == CaseStatus.CLOSED:
        priority, factors = 0, []
    else:
        result = score_case(PriorityInputs(
            overdue, balance, disputed, oldest, stage, p_status, p_due, callback_at,
            last_contact_at, 10 ** precision(currency)), now, weights)
        priority, factors = result.score, result.as_rows()
    return (balance, disputed, overdue, count, oldest, p_status, p_due, bool(plan), next_at,
            priority, factors, now.date(), now)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def inputs_of(c: CollectionCase) -> PriorityInputs:
    return PriorityInputs(
        overdue_minor=c.overdue_minor, balance_minor=c.balance_minor,
        disputed_minor=c.disputed_minor, oldest_due_date=c.oldest_due_date, stage=c.stage,
        promise_status=c.promise_status, promise_due_date=c.promise_due_date,
        callback_at=c.callback_at, last_contact_at=c.last_contact_at,
        minor_per_major=10 ** precision(c.currency),
    )


@functools.cache
def _facts_statement() -> Select[Any]:
    """Per case: what scoring reads from the case row, then its facts, in one statement.

    Built once: building a statement costs more than SQLite takes to run it.
    """
    c, i = CollectionCase.__table__, Invoice.__table__  # type: ignore[attr-defined]
    p, plan = Promise.__table__, PaymentPlan.__table__  # type: ignore[attr-defined]
    undisputed_open = and_(i.c.open_minor > 0, i.c.disputed.is_(False))
    latest_promise = (
        select(p.c.status)
        .where(p.c.case_id == c.c.id,
               p.c.status.in_([PromiseStatus.PENDING.value, PromiseStatus.BROKEN.value]))
        .order_by(p.c.created_at.desc(), p.c.id.desc())
        .limit(1)
    )
    return (
        select(
            c.c.id, c.c.status, c.c.stage, c.c.currency, c.c.callback_at, c.c.last_contact_at,
            func.coalesce(func.sum(i.c.open_minor), 0),
            func.coalesce(func.sum(case((i.c.disputed, i.c.open_minor), else_=0)), 0),
            func.coalesce(func.sum(case(
                (and_(undisputed_open, i.c.due_date < bindparam("today", type_=Date)),
                 i.c.open_minor), else_=0)), 0),
            func.count(i.c.id).filter(i.c.open_minor > 0),
            func.min(case((undisputed_open, i.c.due_date), else_=None)),
            latest_promise.scalar_subquery(),
            latest_promise.with_only_columns(p.c.due_date).scalar_subquery(),
            exists().where(plan.c.case_id == c.c.id, plan.c.status == "active"),
        )
        .select_from(c.outerjoin(i, i.c.case_id == c.c.id))
        .where(c.c.id.in_(bindparam("ids", expanding=True)))
        .group_by(c.c.id)
    )
