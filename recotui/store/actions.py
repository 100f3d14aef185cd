"""User actions. Each is one transaction: the change, its activity fact and an outbox row.

A caller may confirm an action to the user once the function returns: it has committed.
Validation failures raise ActionRefused with a message meant for the user; nothing is written.

Every action takes `now=` (aware UTC, the client's clock for the fact) so a screen can pass
its own clock; it defaults to the system clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from recotui.domain.allocation import allocate_oldest_first
from recotui.domain.schedule import ScheduleError, build_schedule
from recotui.domain.vocab import (
    DISPOSITIONS,
    DISPUTE_CATEGORIES,
    DISPUTE_RESOLUTIONS,
    NON_PAYMENT_REASONS,
    PAYMENT_METHODS,
    ActivityKind,
    CaseStatus,
    CloseReason,
    PromiseStatus,
    next_stage,
)
from recotui.store.case_state import refresh_cases
from recotui.store.store import Store, enqueue, now_utc
from recotui.store.tables import (
    Activity,
    CollectionCase,
    Debtor,
    DebtorContact,
    Dispute,
    DisputeInvoice,
    Instalment,
    Invoice,
    Payment,
    PaymentAllocation,
    PaymentPlan,
    Promise,
)

PROMISE_HORIZON_DAYS = 30


class ActionRefused(ValueError):
    """The action breaks a business rule; the message says which, for the user.

    `template` and `params` let a screen translate it: `_(exc.template).format(**exc.params)`.
    """

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template.format(**params) if params else template)
        self.template, self.params = template, params


def _clock(now: datetime | None) -> datetime:
    if now is None:
        return now_utc()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return now


def _open_case(session: Session, case_id: uuid.UUID) -> CollectionCase:
    case = session.get(CollectionCase, case_id)
    if case is None:
        raise ActionRefused("This case does not exist.")
    if case.status == CaseStatus.CLOSED:
        raise ActionRefused("This case is closed.")
    return case


def _record(
    session: Session, store: Store, case: CollectionCase, kind: ActivityKind,
    actor_id: uuid.UUID | None, payload: dict[str, Any], now: datetime,
) -> Activity:
    """The fact, the outbox row, and the case's derived state, in the caller's transaction."""
    activity = Activity(case_id=case.id, kind=kind, author_id=actor_id, client_time=now,
                        payload=payload)
    session.add(activity)
    enqueue(session, store, f"case.{kind}", {
        "activity_id": activity.id.hex, "case_id": case.id.hex,
        "author_id": actor_id.hex if actor_id else None, "client_time": now.isoformat(),
        "claim_epoch": case.claim_epoch, "payload": payload,
    })
    session.flush()
    refresh_cases(session, [case.id], now)
    return activity


def _check_code(value: str, allowed: Mapping[str, str], what: str) -> None:
    if value not in allowed:
        raise ActionRefused("Unknown {what} {value!r}.", what=what, value=value)


def add_note(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *, reason: str,
             text: str, allowed: Mapping[str, str] | None = None,
             now: datetime | None = None) -> Activity:
    """`allowed`: the configured reasons (code → label); the vocabulary's by default."""
    _check_code(reason, NON_PAYMENT_REASONS if allowed is None else allowed, "reason")
    if not text.strip() and reason == "other":
        raise ActionRefused("Write a note, or choose a reason other than 'Other'.")
    now = _clock(now)
    with store.transaction() as session:
        case = _open_case(session, case_id)
        return _record(session, store, case, ActivityKind.NOTE, actor_id,
                       {"reason": reason, "text": text.strip()}, now)


def log_call(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *, disposition: str,
             phone: str = "", duration_s: int = 0, note: str = "",
             allowed: Mapping[str, str] | None = None, now: datetime | None = None) -> Activity:
    """`allowed`: the configured call outcomes (code → label); the vocabulary's by default."""
    _check_code(disposition, DISPOSITIONS if allowed is None else allowed, "call outcome")
    now = _clock(now)
    with store.transaction() as session:
        case = _open_case(session, case_id)
        case.last_contact_at = now
        return _record(session, store, case, ActivityKind.CALL, actor_id, {
            "disposition": disposition, "phone": phone, "duration_s": max(duration_s, 0),
            "note": note.strip(),
        }, now)


def record_promise(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                   amount_minor: int, due_date: date, today: date | None = None,
                   horizon_days: int = PROMISE_HORIZON_DAYS,
                   now: datetime | None = None) -> Activity:
    now = _clock(now)
    today = today or now.date()
    if due_date < today:
        raise ActionRefused("The promised date is in the past.")
    if due_date > today + timedelta(days=horizon_days):
        raise ActionRefused("The promised date is more than {days} days away.",
                            days=horizon_days)
    with store.transaction() as session:
        case = _open_case(session, case_id)
        if amount_minor <= 0:
            raise ActionRefused("The promised amount must be more than zero.")
        if amount_minor > case.balance_minor:
            raise ActionRefused("The promised amount is more than the balance.")
        for old in session.exec(select(Promise).where(
                col(Promise.case_id) == case.id, col(Promise.status) == PromiseStatus.PENDING)):
            old.status, old.settled_at = PromiseStatus.CANCELLED, now
        promise = Promise(case_id=case.id, amount_minor=amount_minor, currency=case.currency,
                          due_date=due_date, created_by=actor_id, created_at=now)
        session.add(promise)
        return _record(session, store, case, ActivityKind.PROMISE, actor_id, {
            "promise_id": promise.id.hex, "amount_minor": amount_minor,
            "currency": case.currency, "due_date": due_date.isoformat(),
        }, now)


def create_plan(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *, count: int,
                frequency: str, first_date: date, down_payment_minor: int = 0,
                today: date | None = None, now: datetime | None = None) -> Activity:
    now = _clock(now)
    if first_date < (today or now.date()):
        raise ActionRefused("The first instalment date is in the past.")
    with store.transaction() as session:
        case = _open_case(session, case_id)
        try:
            schedule = build_schedule(case.balance_minor, count, frequency, first_date,
                                      down_payment_minor)
        except ScheduleError as exc:
            raise ActionRefused(str(exc)) from exc
        for old in session.exec(select(PaymentPlan).where(
                col(PaymentPlan.case_id) == case.id, col(PaymentPlan.status) == "active")):
            old.status = "cancelled"
        plan = PaymentPlan(
            case_id=case.id, total_minor=case.balance_minor, currency=case.currency,
            down_payment_minor=down_payment_minor, frequency=str(frequency),
            instalment_count=count, first_date=first_date, created_by=actor_id, created_at=now,
        )
        session.add(plan)
        session.flush()
        for item in schedule:
            session.add(Instalment(plan_id=plan.id, seq=item.seq, due_date=item.due_date,
                                   amount_minor=item.amount_minor))
        return _record(session, store, case, ActivityKind.PLAN, actor_id, {
            "plan_id": plan.id.hex, "total_minor": plan.total_minor, "count": count,
            "frequency": str(frequency), "first_date": first_date.isoformat(),
            "down_payment_minor": down_payment_minor,
        }, now)


def record_payment(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                   amount_minor: int, received_on: date, method: str,
                   invoice_ids: Sequence[uuid.UUID] = (), reference: str = "",
                   today: date | None = None, now: datetime | None = None) -> Activity:
    _check_code(method, PAYMENT_METHODS, "payment method")
    now = _clock(now)
    if received_on > (today or now.date()):
        raise ActionRefused("The payment date is in the future.")
    with store.transaction() as session:
        case = _open_case(session, case_id)
        if amount_minor <= 0:
            raise ActionRefused("The payment amount must be more than zero.")
        invoices = _payable_invoices(session, case, invoice_ids)
        if amount_minor > sum(inv.open_minor for inv in invoices):
            raise ActionRefused("The payment is more than the open amount of its invoices.")
        payment = Payment(case_id=case.id, amount_minor=amount_minor, currency=case.currency,
                          received_on=received_on, method=method, reference=reference,
                          created_by=actor_id, created_at=now)
        session.add(payment)
        by_id = {inv.id: inv for inv in invoices}
        for invoice_id, share in allocate_oldest_first(
                amount_minor, [(inv.id, inv.due_date, inv.open_minor) for inv in invoices]):
            invoice = by_id[invoice_id]
            invoice.open_minor -= share
            invoice.status = "paid" if invoice.open_minor == 0 else "partial"
            invoice.updated_at = now
            session.add(PaymentAllocation(payment_id=payment.id, invoice_id=invoice.id,
                                          amount_minor=share))
        _credit_promise_and_plan(session, case.id, amount_minor, now)
        return _record(session, store, case, ActivityKind.PAYMENT, actor_id, {
            "payment_id": payment.id.hex, "amount_minor": amount_minor,
            "currency": case.currency, "received_on": received_on.isoformat(),
            "method": method, "invoice_ids": [i.hex for i in invoice_ids],
        }, now)


def _payable_invoices(session: Session, case: CollectionCase,
                      invoice_ids: Sequence[uuid.UUID]) -> list[Invoice]:
    statement = select(Invoice).where(col(Invoice.case_id) == case.id, col(Invoice.open_minor) > 0)
    if invoice_ids:
        statement = statement.where(col(Invoice.id).in_(list(invoice_ids)))
    invoices = list(session.exec(statement))
    if invoice_ids and len(invoices) != len(set(invoice_ids)):
        raise ActionRefused("A chosen invoice is not open on this case.")
    return invoices


def _credit_promise_and_plan(session: Session, case_id: uuid.UUID, amount: int,
                             now: datetime) -> None:
    for promise in session.exec(select(Promise).where(
            col(Promise.case_id) == case_id,
            col(Promise.status).in_([PromiseStatus.PENDING, PromiseStatus.BROKEN]))):
        promise.paid_minor += amount
        if promise.paid_minor >= promise.amount_minor and promise.status == PromiseStatus.PENDING:
            promise.status, promise.settled_at = PromiseStatus.KEPT, now
    remaining = amount
    instalments = session.exec(
        select(Instalment).join(PaymentPlan)
        .where(col(PaymentPlan.case_id) == case_id, col(PaymentPlan.status) == "active",
               col(Instalment.paid_minor) < col(Instalment.amount_minor))
        .order_by(col(Instalment.seq)))
    for instalment in instalments:
        share = min(remaining, instalment.amount_minor - instalment.paid_minor)
        if share <= 0:
            break
        instalment.paid_minor += share
        fully_paid = instalment.paid_minor == instalment.amount_minor
        instalment.status = "paid" if fully_paid else "partial"
        remaining -= share


def open_dispute(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                 invoice_ids: Sequence[uuid.UUID], category: str, text: str,
                 now: datetime | None = None) -> Activity:
    _check_code(category, DISPUTE_CATEGORIES, "dispute category")
    if not invoice_ids:
        raise ActionRefused("Choose at least one invoice in dispute.")
    now = _clock(now)
    with store.transaction() as session:
        case = _open_case(session, case_id)
        invoices = _payable_invoices(session, case, invoice_ids)
        dispute = Dispute(case_id=case.id, category=category, text=text.strip(),
                          opened_by=actor_id, opened_at=now)
        session.add(dispute)
        session.flush()
        for invoice in invoices:
            invoice.disputed = True
            session.add(DisputeInvoice(dispute_id=dispute.id, invoice_id=invoice.id))
        return _record(session, store, case, ActivityKind.DISPUTE, actor_id, {
            "dispute_id": dispute.id.hex, "category": category, "text": text.strip(),
            "invoice_ids": [inv.id.hex for inv in invoices],
        }, now)


def schedule_callback(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                      at: datetime, now: datetime | None = None) -> Activity:
    if at.tzinfo is None:
        raise ValueError("callback time must be timezone-aware")
    now = _clock(now)
    if at <= now:
        raise ActionRefused("The callback time is in the past.")
    with store.transaction() as session:
        case = _open_case(session, case_id)
        case.callback_at = at
        return _record(session, store, case, ActivityKind.CALLBACK, actor_id,
                       {"at": at.isoformat()}, now)


def escalate(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
             now: datetime | None = None) -> Activity:
    now = _clock(now)
    with store.transaction() as session:
        case = _open_case(session, case_id)
        target = next_stage(case.stage)
        if target is None:
            raise ActionRefused("The case is already at contentieux, the last stage.")
        previous, case.stage = case.stage, target
        return _record(session, store, case, ActivityKind.STAGE, actor_id,
                       {"from": previous, "to": str(target)}, now)


def close_case(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
               reason: str, now: datetime | None = None) -> Activity:
    if reason not in set(CloseReason):
        raise ActionRefused("Unknown close reason {reason!r}.", reason=reason)
    now = _clock(now)
    with store.transaction() as session:
        case = _open_case(session, case_id)
        if reason == CloseReason.PAID and case.balance_minor > 0:
            raise ActionRefused("The case still has an open balance; it is not paid.")
        case.status, case.closed_reason, case.callback_at = CaseStatus.CLOSED, reason, None
        return _record(session, store, case, ActivityKind.CLOSE, actor_id, {"reason": reason},
                       now)


def assign_case(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                agent_id: uuid.UUID | None, campaign_id: uuid.UUID | None,
                now: datetime | None = None) -> Activity:
    now = _clock(now)
    with store.transaction() as session:
        case = _open_case(session, case_id)
        case.assigned_agent_id, case.campaign_id = agent_id, campaign_id
        return _record(session, store, case, ActivityKind.ASSIGNMENT, actor_id, {
            "agent_id": agent_id.hex if agent_id else None,
            "campaign_id": campaign_id.hex if campaign_id else None,
        }, now)


def resolve_dispute(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                    invoice_ids: Sequence[uuid.UUID], resolution: str, text: str = "",
                    now: datetime | None = None) -> Activity:
    """The chosen invoices leave dispute and go back to collection (dunning and priority).
    A dispute is resolved once none of its invoices is still disputed."""
    _check_code(resolution, DISPUTE_RESOLUTIONS, "dispute resolution")
    if not invoice_ids:
        raise ActionRefused("Choose at least one disputed invoice.")
    now = _clock(now)
    with store.transaction() as session:
        case = _open_case(session, case_id)
        invoices = list(session.exec(select(Invoice).where(
            col(Invoice.case_id) == case.id, col(Invoice.id).in_(list(invoice_ids)),
            col(Invoice.disputed).is_(True))))
        if len(invoices) != len(set(invoice_ids)):
            raise ActionRefused("A chosen invoice is not in dispute on this case.")
        for invoice in invoices:
            invoice.disputed, invoice.updated_at = False, now
        session.flush()
        chosen = {invoice.id for invoice in invoices}
        resolved = []
        for dispute in session.exec(select(Dispute).where(
                col(Dispute.case_id) == case.id, col(Dispute.status) == "open")).all():
            linked = set(session.exec(select(DisputeInvoice.invoice_id).where(
                col(DisputeInvoice.dispute_id) == dispute.id)).all())
            if not linked & chosen:
                continue
            still = session.exec(select(Invoice.id).where(
                col(Invoice.id).in_(list(linked)), col(Invoice.disputed).is_(True))).first()
            if still is None:
                dispute.status, dispute.resolved_at = "resolved", now
                resolved.append(dispute.id.hex)
        return _record(session, store, case, ActivityKind.DISPUTE_RESOLVED, actor_id, {
            "resolution": resolution, "text": text.strip(),
            "invoice_ids": [invoice.id.hex for invoice in invoices], "dispute_ids": resolved,
        }, now)


def log_dial(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *, phone: str,
             dialler: str = "", now: datetime | None = None) -> Activity:
    """A number dialled from the case: a call is open until its outcome is logged.

    `dialler` is the softphone command that was started, or "" when the agent dials by hand.
    A debtor or a number marked do-not-call is refused.
    """
    phone = phone.strip()
    if not phone:
        raise ActionRefused("Choose a number to dial.")
    now = _clock(now)
    with store.transaction() as session:
        case = _open_case(session, case_id)
        debtor = session.get(Debtor, case.debtor_id)
        if debtor is not None and debtor.do_not_call:
            raise ActionRefused("Do not call: this debtor is marked do-not-call.")
        blocked = session.exec(select(DebtorContact.id).where(
            col(DebtorContact.debtor_id) == case.debtor_id, col(DebtorContact.value) == phone,
            col(DebtorContact.do_not_call).is_(True))).first()
        if blocked is not None:
            raise ActionRefused("Do not call: this number is marked do-not-call.")
        return _record(session, store, case, ActivityKind.DIAL, actor_id,
                       {"phone": phone, "dialler": dialler}, now)
