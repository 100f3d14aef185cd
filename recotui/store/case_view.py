"""Everything the case screen shows, read in one session: the debtor, invoices, history,
the current promise or plan, and what the contact policy needs.

Plain frozen values, so screens and widgets never touch the ORM.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from recotui.domain.vocab import CONVERSATION_DISPOSITIONS, ActivityKind, PromiseStatus
from recotui.store.tables import (
    Activity,
    CollectionCase,
    Debtor,
    DebtorContact,
    Instalment,
    Invoice,
    PaymentPlan,
    Promise,
    User,
)

# How far back the contact policy looks for call attempts; wider than any sane window.
ATTEMPT_LOOKBACK = timedelta(days=31)


@dataclass(frozen=True, slots=True)
class ContactLine:
    kind: str  # phone | email
    label: str
    value: str
    do_not_call: bool


@dataclass(frozen=True, slots=True)
class DebtorCard:
    id: uuid.UUID
    number: str
    name: str
    kind: str  # company | consumer
    legal_id: str
    address: str
    postcode: str
    city: str
    country: str
    timezone: str
    language: str
    do_not_call: bool
    contact_consent: bool
    contacts: tuple[ContactLine, ...]

    @property
    def phones(self) -> tuple[ContactLine, ...]:
        return tuple(c for c in self.contacts if c.kind == "phone")


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    id: uuid.UUID
    number: str
    issue_date: date
    due_date: date
    currency: str
    amount_minor: int
    open_minor: int
    status: str
    disputed: bool


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: uuid.UUID
    kind: str
    author: str  # display name, or "" when recorded by an import or the system
    client_time: datetime
    payload: dict[str, Any]
    needs_review: bool


@dataclass(frozen=True, slots=True)
class PromiseLine:
    id: uuid.UUID
    amount_minor: int
    currency: str
    due_date: date
    status: str
    paid_minor: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class InstalmentLine:
    seq: int
    due_date: date
    amount_minor: int
    paid_minor: int
    status: str


@dataclass(frozen=True, slots=True)
class PlanLine:
    id: uuid.UUID
    total_minor: int
    down_payment_minor: int
    currency: str
    frequency: str
    status: str
    instalments: tuple[InstalmentLine, ...]


@dataclass(frozen=True, slots=True)
class CaseView:
    id: uuid.UUID
    currency: str
    stage: str
    status: str
    closed_reason: str
    priority: int
    balance_minor: int
    overdue_minor: int
    disputed_minor: int
    callback_at: datetime | None
    next_action_at: datetime | None
    last_contact_at: datetime | None
    claim_epoch: int
    debtor: DebtorCard
    invoices: tuple[InvoiceLine, ...]  # open first, oldest due first
    history: tuple[HistoryEntry, ...]  # newest first
    promise: PromiseLine | None  # the latest pending or broken promise
    plan: PlanLine | None  # the active plan
    call_attempts: tuple[datetime, ...]  # calls within ATTEMPT_LOOKBACK, for the policy
    last_conversation_at: datetime | None

    @property
    def open_invoices(self) -> tuple[InvoiceLine, ...]:
        return tuple(inv for inv in self.invoices if inv.open_minor > 0)

    @property
    def notes(self) -> tuple[HistoryEntry, ...]:
        return tuple(h for h in self.history if h.kind == ActivityKind.NOTE)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back naive; they were written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def case_view(session: Session, case_id: uuid.UUID, *, now: datetime | None = None,
              history_limit: int | None = None) -> CaseView | None:
    """The case and all it shows, or None when there is no such case."""
    now = now or datetime.now(UTC)
    c = session.get(CollectionCase, case_id)
    if c is None:
        return None
    d = session.get(Debtor, c.debtor_id)
    assert d is not None  # foreign key
    contacts = tuple(
        ContactLine(kind, label, value, dnc)
        for kind, label, value, dnc in session.exec(
            select(DebtorContact.kind, DebtorContact.label, DebtorContact.value,
                   DebtorContact.do_not_call)
            .where(col(DebtorContact.debtor_id) == d.id)
            .order_by(col(DebtorContact.kind).desc(), col(DebtorContact.label))
        )
    )
    debtor = DebtorCard(
        d.id, d.number, d.name, d.kind, d.legal_id, d.address, d.postcode, d.city, d.country,
        d.timezone, d.language, d.do_not_call, d.contact_consent, contacts,
    )
    invoices = tuple(
        InvoiceLine(*row) for row in session.exec(
            select(Invoice.id, Invoice.number, Invoice.issue_date, Invoice.due_date,
                   Invoice.currency, Invoice.amount_minor, Invoice.open_minor, Invoice.status,
                   Invoice.disputed)
            .where(col(Invoice.case_id) == c.id)
            .order_by((col(Invoice.open_minor) > 0).desc(), col(Invoice.due_date),
                      col(Invoice.number))
        )
    )
    return CaseView(
        id=c.id, currency=c.currency, stage=c.stage, status=c.status,
        closed_reason=c.closed_reason, priority=c.priority, balance_minor=c.balance_minor,
        overdue_minor=c.overdue_minor, disputed_minor=c.disputed_minor,
        callback_at=_aware(c.callback_at), next_action_at=_aware(c.next_action_at),
        last_contact_at=_aware(c.last_contact_at), claim_epoch=c.claim_epoch,
        debtor=debtor, invoices=invoices,
        history=_history(session, c.id, history_limit),
        promise=_promise(session, c.id), plan=_plan(session, c.id),
        **_contact_facts(session, c.id, now),
    )


def _history(session: Session, case_id: uuid.UUID, limit: int | None) -> tuple[HistoryEntry, ...]:
    statement = (
        select(Activity.id, Activity.kind, User.display_name, User.username,
               Activity.client_time, Activity.payload, Activity.needs_review)
        .outerjoin(User, col(User.id) == col(Activity.author_id))
        .where(col(Activity.case_id) == case_id)
        .order_by(col(Activity.client_time).desc(), col(Activity.id).desc())
    )
    if limit is not None:
        statement = statement.limit(limit)
    return tuple(
        HistoryEntry(aid, kind, display or username or "", _aware(when), payload or {}, review)
        for aid, kind, display, username, when, payload, review in session.exec(statement)
    )


def _promise(session: Session, case_id: uuid.UUID) -> PromiseLine | None:
    row = session.exec(
        select(Promise.id, Promise.amount_minor, Promise.currency, Promise.due_date,
               Promise.status, Promise.paid_minor, Promise.created_at)
        .where(col(Promise.case_id) == case_id,
               col(Promise.status).in_([PromiseStatus.PENDING, PromiseStatus.BROKEN]))
        .order_by(col(Promise.created_at).desc()).limit(1)
    ).first()
    if row is None:
        return None
    *head, created_at = row
    return PromiseLine(*head, _aware(created_at))


def _plan(session: Session, case_id: uuid.UUID) -> PlanLine | None:
    plan = session.exec(
        select(PaymentPlan).where(col(PaymentPlan.case_id) == case_id,
                                  col(PaymentPlan.status) == "active")
        .order_by(col(PaymentPlan.created_at).desc()).limit(1)
    ).first()
    if plan is None:
        return None
    instalments = tuple(
        InstalmentLine(*row) for row in session.exec(
            select(Instalment.seq, Instalment.due_date, Instalment.amount_minor,
                   Instalment.paid_minor, Instalment.status)
            .where(col(Instalment.plan_id) == plan.id).order_by(col(Instalment.seq))
        )
    )
    return PlanLine(plan.id, plan.total_minor, plan.down_payment_minor, plan.currency,
                    plan.frequency, plan.status, instalments)


def _contact_facts(session: Session, case_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    calls = session.exec(
        select(Activity.client_time, Activity.payload)
        .where(col(Activity.case_id) == case_id, col(Activity.kind) == ActivityKind.CALL,
               col(Activity.client_time) >= now - ATTEMPT_LOOKBACK)
    ).all()
    attempts = tuple(sorted(_aware(when) for when, _ in calls))
    conversations = [
        _aware(when) for when, payload in calls
        if (payload or {}).get("disposition") in CONVERSATION_DISPOSITIONS
    ]
    return {"call_attempts": attempts,
            "last_conversation_at": max(conversations) if conversations else None}
