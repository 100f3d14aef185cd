"""Read functions. The queue is an index scan on (status, priority, id), keyset-paginated."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, tuple_
from sqlmodel import Session, col, select

from recotui.domain.aging import AGING_BUCKETS, aging_bucket, days_past_due
from recotui.domain.contact_policy import ContactDecision, ContactPolicy, check_contact
from recotui.domain.vocab import CONVERSATION_DISPOSITIONS, ActivityKind, CaseStatus
from recotui.store.tables import (
    Activity,
    Campaign,
    CollectionCase,
    Debtor,
    DebtorContact,
    Invoice,
    User,
)


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
    debtor_timezone: str = "Europe/Paris"
    debtor_do_not_call: bool = False

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
    CollectionCase.next_action_at, CollectionCase.last_contact_at, Debtor.timezone,
    Debtor.do_not_call,
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
    limit: int = 50, from_end: bool = False, inclusive: bool = False,
) -> list[QueueRow]:
    """Cases in queue order (priority, then id, both descending).

    `after` gives the page below a row (from that row on, when `inclusive`), `before` the
    page above it, `from_end` the last page. Every form walks the index from one end; none
    sorts the book.
    """
    key = tuple_(col(CollectionCase.priority), col(CollectionCase.id))
    statement = _scoped(select(*_QUEUE_COLUMNS).join(Debtor), scope)
    descending = before is None and not from_end
    if after is not None:
        statement = statement.where(key <= tuple_(*after) if inclusive else key < tuple_(*after))
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


@dataclass(frozen=True, slots=True)
class ContactFacts:
    """What the contact policy needs about one case's recent calls."""

    attempts: tuple[datetime, ...] = ()
    last_conversation_at: datetime | None = None


def contact_facts(session: Session, case_ids: list[uuid.UUID], since: datetime
                  ) -> dict[uuid.UUID, ContactFacts]:
    """Call attempts since `since` and the last conversation, per case, for a page of cases."""
    if not case_ids:
        return {}
    rows = session.exec(
        select(Activity.case_id, Activity.client_time, Activity.payload)
        .where(col(Activity.case_id).in_(case_ids), col(Activity.kind) == ActivityKind.CALL,
               col(Activity.client_time) >= since)
    )
    attempts: dict[uuid.UUID, list[datetime]] = {}
    talks: dict[uuid.UUID, datetime] = {}
    for case_id, when, payload in rows:
        attempts.setdefault(case_id, []).append(when)
        if (payload or {}).get("disposition") in CONVERSATION_DISPOSITIONS:
            talks[case_id] = max(when, talks.get(case_id, when))
    return {cid: ContactFacts(tuple(sorted(attempts.get(cid, ()))), talks.get(cid))
            for cid in case_ids}


def contact_decisions(session: Session, rows: list[QueueRow], policy: ContactPolicy,
                      now: datetime) -> dict[uuid.UUID, ContactDecision]:
    """The contact policy's verdict for each row of a page, at `now`."""
    facts = contact_facts(session, [r.case_id for r in rows], now - policy.attempt_window)
    return {
        r.case_id: check_contact(
            policy, now=now, debtor_timezone=r.debtor_timezone,
            attempts=facts[r.case_id].attempts,
            last_conversation_at=facts[r.case_id].last_conversation_at,
            do_not_call=r.debtor_do_not_call)
        for r in rows
    }


def search_queue(session: Session, scope: QueueScope, text: str, *, limit: int = 200
                 ) -> list[QueueRow]:
    """Open cases whose debtor name or number, phone or invoice number matches `text`,
    highest priority first. Numbers match by prefix on their indexes; names by substring."""
    text = text.strip()
    if not text:
        return []
    digits = "".join(ch for ch in text if ch.isdigit())
    prefix = text.replace("%", "").replace("_", "") + "%"
    debtor_ids = select(Debtor.id).where(
        col(Debtor.name).like(f"%{text.replace('%', '').replace('_', '')}%")
        | col(Debtor.number).like(prefix))
    if len(digits) >= 4:
        debtor_ids = debtor_ids.union(select(DebtorContact.debtor_id).where(
            col(DebtorContact.search_key).like(f"{digits}%")))
    by_invoice = select(Invoice.case_id).where(col(Invoice.number).like(prefix))
    statement = _scoped(select(*_QUEUE_COLUMNS).join(Debtor), scope).where(
        col(CollectionCase.debtor_id).in_(debtor_ids) | col(CollectionCase.id).in_(by_invoice))
    statement = statement.order_by(col(CollectionCase.priority).desc(),
                                   col(CollectionCase.id).desc()).limit(limit)
    return [QueueRow(*row) for row in session.exec(statement)]


def list_campaigns(session: Session) -> list[tuple[uuid.UUID, str]]:
    return [(cid, name) for cid, name in session.exec(
        select(Campaign.id, Campaign.name).where(col(Campaign.active).is_(True))
        .order_by(col(Campaign.name)))]


def next_callable_case(
    session: Session, scope: QueueScope, policy: ContactPolicy, now: datetime, *,
    exclude: frozenset[uuid.UUID] = frozenset(), page_size: int = 100, max_scan: int = 5000,
) -> tuple[QueueRow | None, int]:
    """The highest-priority case that may be called now, walking the queue index.

    Skips excluded cases (worked this session) and cases waiting on a future next action
    (a promise date, a callback). Returns the case, or None, and how many rows were scanned;
    the scan stops at `max_scan` so a book that is all blocked at night answers quickly.
    """
    after, scanned = None, 0
    while scanned < max_scan:
        rows = queue_page(session, scope, after=after, limit=page_size)
        if not rows:
            break
        scanned += len(rows)
        after = rows[-1].cursor
        waiting = [r for r in rows if r.case_id not in exclude
                   and (r.next_action_at is None or r.next_action_at <= now)]
        decisions = contact_decisions(session, waiting, policy, now)
        for row in waiting:
            if decisions[row.case_id].allowed:
                return row, scanned
    return None, scanned
