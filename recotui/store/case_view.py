"""Everything the case screen shows, read in one session: the debtor, invoices, history,
the current promise or plan, and what the contact policy needs.

Plain frozen values, so screens and widgets never touch the ORM.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from recotui.domain.vocab import CONVERSATION_DISPOSITIONS, ActivityKind, PromiseStatus
from recotui.store.tables import (
    Activity,
    Campaign,
    CollectionCase,
    Debtor,
    DebtorContact,
    Instalment,
    Invoice,
    Payment,
    PaymentAllocation,
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
    # Known payments towards it, (received on, minor units), oldest first; what was paid
    # before the book knew of the invoice counts as paid by its due date. For late interest.
    payments: tuple[tuple[date, int], ...] = ()


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
    # A number dialled and no call outcome logged after it: a call is still open.
    open_dial_at: datetime | None = None
    history_complete: bool = True  # False when history_limit cut it: see full_history()
    assigned_agent: str = ""  # display name
    campaign: str = ""
    # Display names of the users and campaigns the history refers to by id (hex → name).
    names: dict[str, str] = field(default_factory=dict)

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
    invoices = _invoices(session, c.id)
    history = _history(session, c.id, history_limit)
    return CaseView(
        id=c.id, currency=c.currency, stage=c.stage, status=c.status,
        closed_reason=c.closed_reason, priority=c.priority, balance_minor=c.balance_minor,
        overdue_minor=c.overdue_minor, disputed_minor=c.disputed_minor,
        callback_at=_aware(c.callback_at), next_action_at=_aware(c.next_action_at),
        last_contact_at=_aware(c.last_contact_at), claim_epoch=c.claim_epoch,
        debtor=debtor, invoices=invoices,
        history=history,
        promise=_promise(session, c.id), plan=_plan(session, c.id),
        **_contact_facts(session, c.id, now),
        assigned_agent=_user_name(session, c.assigned_agent_id),
        campaign=_campaign_name(session, c.campaign_id),
        names=_names(session, history),
        open_dial_at=_open_dial(history),
        history_complete=history_limit is None or len(history) < history_limit,
    )


def full_history(session: Session, view: CaseView) -> CaseView:
    """The view with its whole history, after a first read cut by history_limit: the screen
    paints the newest entries first and the rest follows."""
    if view.history_complete:
        return view
    history = _history(session, view.id, None)
    return replace(view, history=history, names=_names(session, history),
                   open_dial_at=_open_dial(history), history_complete=True)


def _open_dial(history: tuple[HistoryEntry, ...]) -> datetime | None:
    """When the latest dial was, if no call outcome came after it."""
    for entry in history:  # newest first
        if entry.kind == ActivityKind.CALL:
            return None
        if entry.kind == "dial":
            return entry.client_time
    return None


def _invoices(session: Session, case_id: uuid.UUID) -> tuple[InvoiceLine, ...]:
    rows = session.exec(
        select(Invoice.id, Invoice.number, Invoice.issue_date, Invoice.due_date,
               Invoice.currency, Invoice.amount_minor, Invoice.open_minor, Invoice.status,
               Invoice.disputed)
        .where(col(Invoice.case_id) == case_id)
        .order_by((col(Invoice.open_minor) > 0).desc(), col(Invoice.due_date),
                  col(Invoice.number))
    ).all()
    paid: dict[uuid.UUID, list[tuple[date, int]]] = {}
    for invoice_id, received_on, amount in session.exec(
        select(PaymentAllocation.invoice_id, Payment.received_on, PaymentAllocation.amount_minor)
        .join(Payment, col(Payment.id) == col(PaymentAllocation.payment_id))
        .where(col(Payment.case_id) == case_id)
        .order_by(col(Payment.received_on))
    ):
        paid.setdefault(invoice_id, []).append((received_on, amount))
    lines = []
    for row in rows:
        invoice_id, due_date, amount, open_ = row[0], row[3], row[5], row[6]
        known = paid.get(invoice_id, [])
        # Paid before the book knew of the invoice (an import of part-paid invoices).
        earlier = amount - open_ - sum(share for _, share in known)
        payments = ([(due_date, earlier)] if earlier > 0 else []) + known
        lines.append(InvoiceLine(*row, payments=tuple(payments)))
    return tuple(lines)


def _user_name(session: Session, user_id: uuid.UUID | None) -> str:
    if user_id is None:
        return ""
    row = session.exec(select(User.display_name, User.username)
                       .where(col(User.id) == user_id)).first()
    return (row[0] or row[1]) if row else ""


def _campaign_name(session: Session, campaign_id: uuid.UUID | None) -> str:
    if campaign_id is None:
        return ""
    return session.exec(select(Campaign.name).where(col(Campaign.id) == campaign_id)).first() or ""


def _names(session: Session, history: tuple[HistoryEntry, ...]) -> dict[str, str]:
    """Names of the agents and campaigns that assignments in the history refer to."""
    users: set[uuid.UUID] = set()
    campaigns: set[uuid.UUID] = set()
    for entry in history:
        if entry.kind != ActivityKind.ASSIGNMENT:
            continue
        for key, into in (("agent_id", users), ("campaign_id", campaigns)):
            try:
                into.add(uuid.UUID(str(entry.payload.get(key))))
            except ValueError:
                pass
    names: dict[str, str] = {}
    if users:
        for uid, display, username in session.exec(
                select(User.id, User.display_name, User.username)
                .where(col(User.id).in_(list(users)))):
            names[uid.hex] = display or username
    if campaigns:
        for cid, name in session.exec(
                select(Campaign.id, Campaign.name).where(col(Campaign.id).in_(list(campaigns)))):
            names[cid.hex] = name
    return names


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
