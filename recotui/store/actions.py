"""User actions. Each is one transaction: the change, its activity fact and an outbox row.

A caller may confirm an action to the user once the function returns: it has committed.
Validation failures raise ActionRefused with a message meant for the user; nothing is written.
The checks that depend on the client's day (dates in the past, the promise horizon) are made
here; the effect itself is the mutation the server replays (`store/mutators.py`).

Every action takes `now=` (aware UTC, the client's clock for the fact) so a screen can pass
its own clock; it defaults to the system clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from recotui.domain.ids import uuid7
from recotui.domain.vocab import (
    DISPOSITIONS,
    DISPUTE_CATEGORIES,
    DISPUTE_RESOLUTIONS,
    NON_PAYMENT_REASONS,
    PAYMENT_METHODS,
    ActivityKind,
    CloseReason,
    next_stage,
)
from recotui.store.mutators import ActionRefused, apply_mutation
from recotui.store.store import Store, enqueue, now_utc
from recotui.store.tables import Activity, CollectionCase, Debtor, DebtorContact

__all__ = ["ActionRefused"]

PROMISE_HORIZON_DAYS = 30


PROMISE_HORIZON_DAYS = 30


def _clock(now: datetime | None) -> datetime:
    if now is None:
        return now_utc()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return now


def _run(store: Store, kind: ActivityKind, case_id: uuid.UUID, actor_id: uuid.UUID | None,
         payload: dict[str, Any], now: datetime) -> Activity:
    """The mutation applied here and queued for the server, in one transaction."""
    with store.transaction() as session:
        case = session.get(CollectionCase, case_id)
        args = {
            "activity_id": uuid7().hex, "case_id": case_id.hex,
            "author_id": actor_id.hex if actor_id else None, "client_time": now.isoformat(),
            "claim_epoch": case.claim_epoch if case is not None else 0, "payload": payload,
        }
        name = f"case.{kind}"
        activity = apply_mutation(session, name, args, now)
        enqueue(session, store, name, args)
        assert activity is not None  # a new id: never applied before
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
    return _run(store, ActivityKind.NOTE, case_id, actor_id,
                {"reason": reason, "text": text.strip()}, _clock(now))


def log_call(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *, disposition: str,
             phone: str = "", duration_s: int = 0, note: str = "",
             allowed: Mapping[str, str] | None = None, now: datetime | None = None) -> Activity:
    """`allowed`: the configured call outcomes (code → label); the vocabulary's by default."""
    _check_code(disposition, DISPOSITIONS if allowed is None else allowed, "call outcome")
    return _run(store, ActivityKind.CALL, case_id, actor_id, {
        "disposition": disposition, "phone": phone, "duration_s": max(duration_s, 0),
        "note": note.strip(),
    }, _clock(now))


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
    if amount_minor <= 0:
        raise ActionRefused("The promised amount must be more than zero.")
    return _run(store, ActivityKind.PROMISE, case_id, actor_id, {
        "promise_id": uuid7().hex, "amount_minor": amount_minor,
        "due_date": due_date.isoformat(),
    }, now)


def create_plan(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *, count: int,
                frequency: str, first_date: date, down_payment_minor: int = 0,
                today: date | None = None, now: datetime | None = None) -> Activity:
    now = _clock(now)
    if first_date < (today or now.date()):
        raise ActionRefused("The first instalment date is in the past.")
    return _run(store, ActivityKind.PLAN, case_id, actor_id, {
        "plan_id": uuid7().hex, "count": count, "frequency": str(frequency),
        "first_date": first_date.isoformat(), "down_payment_minor": down_payment_minor,
    }, now)


def record_payment(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                   amount_minor: int, received_on: date, method: str,
                   invoice_ids: Sequence[uuid.UUID] = (), reference: str = "",
                   today: date | None = None, now: datetime | None = None) -> Activity:
    _check_code(method, PAYMENT_METHODS, "payment method")
    now = _clock(now)
    if received_on > (today or now.date()):
        raise ActionRefused("The payment date is in the future.")
    if amount_minor <= 0:
        raise ActionRefused("The payment amount must be more than zero.")
    return _run(store, ActivityKind.PAYMENT, case_id, actor_id, {
        "payment_id": uuid7().hex, "amount_minor": amount_minor,
        "received_on": received_on.isoformat(), "method": method, "reference": reference,
        "invoice_ids": [i.hex for i in invoice_ids],
    }, now)


def open_dispute(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                 invoice_ids: Sequence[uuid.UUID], category: str, text: str,
                 now: datetime | None = None) -> Activity:
    _check_code(category, DISPUTE_CATEGORIES, "dispute category")
    if not invoice_ids:
        raise ActionRefused("Choose at least one invoice in dispute.")
    return _run(store, ActivityKind.DISPUTE, case_id, actor_id, {
        "dispute_id": uuid7().hex, "category": category, "text": text.strip(),
        "invoice_ids": [i.hex for i in invoice_ids],
    }, _clock(now))


def schedule_callback(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                      at: datetime, now: datetime | None = None) -> Activity:
    if at.tzinfo is None:
        raise ValueError("callback time must be timezone-aware")
    now = _clock(now)
    if at <= now:
        raise ActionRefused("The callback time is in the past.")
    return _run(store, ActivityKind.CALLBACK, case_id, actor_id, {"at": at.isoformat()}, now)


def escalate(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
             now: datetime | None = None) -> Activity:
    stage = _case_field(store, case_id, "stage")
    target = next_stage(stage)
    if target is None:
        raise ActionRefused("The case is already at contentieux, the last stage.")
    return _run(store, ActivityKind.STAGE, case_id, actor_id,
                {"from": stage, "to": str(target)}, _clock(now))


def _case_field(store: Store, case_id: uuid.UUID, field: str) -> Any:
    with store.transaction() as session:
        case = session.get(CollectionCase, case_id)
        if case is None:
            raise ActionRefused("This case does not exist.")
        return getattr(case, field)


def close_case(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
               reason: str, now: datetime | None = None) -> Activity:
    if reason not in set(CloseReason):
        raise ActionRefused("Unknown close reason {reason!r}.", reason=reason)
    return _run(store, ActivityKind.CLOSE, case_id, actor_id, {"reason": reason}, _clock(now))


def assign_case(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                agent_id: uuid.UUID | None, campaign_id: uuid.UUID | None,
                now: datetime | None = None) -> Activity:
    return _run(store, ActivityKind.ASSIGNMENT, case_id, actor_id, {
        "agent_id": agent_id.hex if agent_id else None,
        "campaign_id": campaign_id.hex if campaign_id else None,
    }, _clock(now))


def resolve_dispute(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                    invoice_ids: Sequence[uuid.UUID], resolution: str, text: str = "",
                    now: datetime | None = None) -> Activity:
    """The chosen invoices leave dispute and go back to collection (dunning and priority).
    A dispute is resolved once none of its invoices is still disputed."""
    _check_code(resolution, DISPUTE_RESOLUTIONS, "dispute resolution")
    if not invoice_ids:
        raise ActionRefused("Choose at least one disputed invoice.")
    return _run(store, ActivityKind.DISPUTE_RESOLVED, case_id, actor_id, {
        "resolution": resolution, "text": text.strip(),
        "invoice_ids": [i.hex for i in invoice_ids],
    }, _clock(now))


def log_dial(store: Store, case_id: uuid.UUID, actor_id: uuid.UUID | None, *, phone: str,
             dialler: str = "", now: datetime | None = None) -> Activity:
    """A number dialled from the case: a call is open until its outcome is logged.

    `dialler` is the softphone command that was started, or "" when the agent dials by hand.
    A debtor or a number marked do-not-call is refused.
    """
    phone = phone.strip()
    if not phone:
        raise ActionRefused("Choose a number to dial.")
    with store.transaction() as session:
        case = session.get(CollectionCase, case_id)
        debtor = session.get(Debtor, case.debtor_id) if case is not None else None
        if debtor is not None and debtor.do_not_call:
            raise ActionRefused("Do not call: this debtor is marked do-not-call.")
        blocked = session.exec(select(DebtorContact.id).where(
            col(DebtorContact.debtor_id) == debtor.id, col(DebtorContact.value) == phone,
            col(DebtorContact.do_not_call).is_(True))).first() if debtor is not None else None
    if blocked is not None:
        raise ActionRefused("Do not call: this number is marked do-not-call.")
    return _run(store, ActivityKind.DIAL, case_id, actor_id,
                {"phone": phone, "dialler": dialler}, _clock(now))
