"""Case mutations, applied the same way on the client (optimistically) and on the server.

A mutation is `(name, args)`: `name` is "case.<kind>", `args` carry the fact's id made by the
client, the case, the author, the client's time, the claim epoch it was made under and a
payload with the inputs. `apply_mutation` writes the activity fact and its effect on the case.

On the server (`review=` given), a fact whose effect is refused is still kept, flagged for
review; a contended change (stage, close, assignment) is refused whole.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from recotui.domain.allocation import allocate_oldest_first
from recotui.domain.schedule import ScheduleError, build_schedule
from recotui.domain.vocab import (
    ActivityKind,
    CaseStatus,
    CloseReason,
    PromiseStatus,
    Stage,
    next_stage,
)
from recotui.store.case_state import refresh_cases
from recotui.store.tables import (
    Activity,
    CollectionCase,
    Dispute,
    DisputeInvoice,
    Instalment,
    Invoice,
    Payment,
    PaymentAllocation,
    PaymentPlan,
    Promise,
)

# Decided by the server: refused whole when made under a stale claim.
CONTENDED = frozenset({ActivityKind.STAGE, ActivityKind.CLOSE, ActivityKind.ASSIGNMENT})


class ActionRefused(ValueError):
    """The action breaks a business rule; the message says which, for the user.

    `template` and `params` let a screen translate it: `_(exc.template).format(**exc.params)`.
    """

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template.format(**params) if params else template)
        self.template, self.params = template, params


class Malformed(ActionRefused):
    """The mutation's arguments are not what its name needs: it is no fact, nothing is kept."""


@dataclass(frozen=True)
class Fact:
    activity_id: uuid.UUID
    case_id: uuid.UUID
    kind: ActivityKind
    author_id: uuid.UUID | None
    client_time: datetime
    claim_epoch: int
    payload: dict[str, Any]

    @classmethod
    def parse(cls, name: str, args: Any) -> Fact:
        if not isinstance(args, dict) or not name.startswith("case."):
            raise Malformed("Unknown mutation {name!r}.", name=name)
        try:
            kind = ActivityKind(name.removeprefix("case."))
        except ValueError:
            raise Malformed("Unknown mutation {name!r}.", name=name) from None
        payload = args.get("payload")
        epoch = args.get("claim_epoch", 0)
        if not isinstance(payload, dict) or not isinstance(epoch, int):
            raise Malformed("The mutation's payload is not an object.")
        client_time = _datetime(args, "client_time")
        return cls(_uuid(args, "activity_id"), _uuid(args, "case_id"), kind,
                   _uuid(args, "author_id", optional=True), client_time, epoch, payload)


def _get(payload: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = payload.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise Malformed("The field {key!r} is missing or of the wrong type.", key=key)
    return value


def _uuid(payload: dict[str, Any], key: str, optional: bool = False) -> Any:
    if optional and payload.get(key) is None:
        return None
    try:
        return uuid.UUID(hex=_get(payload, key, str))
    except ValueError:
        raise Malformed("The field {key!r} is not an id.", key=key) from None


def _uuids(payload: dict[str, Any], key: str) -> list[uuid.UUID]:
    values = _get(payload, key, list)
    try:
        return [uuid.UUID(hex=v) for v in values]
    except (ValueError, TypeError, AttributeError):
        raise Malformed("The field {key!r} is not a list of ids.", key=key) from None


def _date(payload: dict[str, Any], key: str) -> date:
    try:
        return date.fromisoformat(_get(payload, key, str))
    except ValueError:
        raise Malformed("The field {key!r} is not a date.", key=key) from None


def _datetime(payload: dict[str, Any], key: str) -> datetime:
    try:
        value = datetime.fromisoformat(_get(payload, key, str))
    except ValueError:
        raise Malformed("The field {key!r} is not a time.", key=key) from None
    if value.tzinfo is None:
        raise Malformed("The field {key!r} has no time zone.", key=key)
    try:
        value.astimezone(UTC)  # stored as UTC: 0001-01-01T00:00+01:00 has no UTC time
    except OverflowError:
        raise Malformed("The field {key!r} is not a time.", key=key) from None
    return value


def _amount(payload: dict[str, Any], key: str) -> int:
    value = _get(payload, key, int)
    if value <= 0:
        raise ActionRefused("The amount must be more than zero.")
    return value


# -- effects: what each kind does to the case, besides recording its fact -----------------------

# An effect may return what it decided (a plan's total, the disputes it resolved): it goes
# into the activity's payload beside the mutation's inputs, for the history to show.
Effect = Callable[[Session, CollectionCase, Fact], dict[str, Any] | None]


def _nothing(session: Session, case: CollectionCase, fact: Fact) -> None:
    _get(fact.payload, "text" if fact.kind == ActivityKind.NOTE else "phone", str)


def _call(session: Session, case: CollectionCase, fact: Fact) -> None:
    _get(fact.payload, "disposition", str)
    case.last_contact_at = fact.client_time


def _promise(session: Session, case: CollectionCase, fact: Fact) -> None:
    amount, due = _amount(fact.payload, "amount_minor"), _date(fact.payload, "due_date")
    promise_id = _uuid(fact.payload, "promise_id")
    if amount > case.balance_minor:
        raise ActionRefused("The promised amount is more than the balance.")
    for old in session.exec(select(Promise).where(
            col(Promise.case_id) == case.id, col(Promise.status) == PromiseStatus.PENDING)):
        old.status, old.settled_at = PromiseStatus.CANCELLED, fact.client_time
    session.add(Promise(id=promise_id, case_id=case.id, amount_minor=amount,
                        currency=case.currency, due_date=due, created_by=fact.author_id,
                        created_at=fact.client_time))
    return {"currency": case.currency}


def _plan(session: Session, case: CollectionCase, fact: Fact) -> None:
    p = fact.payload
    count, frequency = _get(p, "count", int), _get(p, "frequency", str)
    first, down = _date(p, "first_date"), _get(p, "down_payment_minor", int)
    try:
        schedule = build_schedule(case.balance_minor, count, frequency, first, down)
    except ScheduleError as exc:
        raise ActionRefused(str(exc)) from exc
    for old in session.exec(select(PaymentPlan).where(
            col(PaymentPlan.case_id) == case.id, col(PaymentPlan.status) == "active")):
        old.status = "cancelled"
    plan = PaymentPlan(
        id=_uuid(p, "plan_id"), case_id=case.id, total_minor=case.balance_minor,
        currency=case.currency, down_payment_minor=down, frequency=frequency,
        instalment_count=count, first_date=first, created_by=fact.author_id,
        created_at=fact.client_time,
    )
    session.add(plan)
    session.flush()
    for item in schedule:
        session.add(Instalment(plan_id=plan.id, seq=item.seq, due_date=item.due_date,
                               amount_minor=item.amount_minor))
    return {"total_minor": plan.total_minor}


def _payment(session: Session, case: CollectionCase, fact: Fact) -> None:
    p = fact.payload
    amount, received_on = _amount(p, "amount_minor"), _date(p, "received_on")
    method, reference = _get(p, "method", str), p.get("reference") or ""
    invoices = payable_invoices(session, case, _uuids(p, "invoice_ids"))
    if amount > sum(inv.open_minor for inv in invoices):
        raise ActionRefused("The payment is more than the open amount of its invoices.")
    payment = Payment(id=_uuid(p, "payment_id"), case_id=case.id, amount_minor=amount,
                      currency=case.currency, received_on=received_on, method=method,
                      reference=str(reference), created_by=fact.author_id,
                      created_at=fact.client_time)
    session.add(payment)
    by_id = {inv.id: inv for inv in invoices}
    for invoice_id, share in allocate_oldest_first(
            amount, [(inv.id, inv.due_date, inv.open_minor) for inv in invoices]):
        invoice = by_id[invoice_id]
        invoice.open_minor -= share
        invoice.status = "paid" if invoice.open_minor == 0 else "partial"
        invoice.updated_at = fact.client_time
        session.add(PaymentAllocation(payment_id=payment.id, invoice_id=invoice.id,
                                      amount_minor=share))
    _credit_promise_and_plan(session, case.id, amount, fact.client_time)
    return {"currency": case.currency}


def payable_invoices(session: Session, case: CollectionCase,
                     invoice_ids: list[uuid.UUID]) -> list[Invoice]:
    statement = select(Invoice).where(col(Invoice.case_id) == case.id, col(Invoice.open_minor) > 0)
    if invoice_ids:
        statement = statement.where(col(Invoice.id).in_(invoice_ids))
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


def _dispute(session: Session, case: CollectionCase, fact: Fact) -> None:
    p = fact.payload
    invoices = payable_invoices(session, case, _uuids(p, "invoice_ids"))
    dispute = Dispute(id=_uuid(p, "dispute_id"), case_id=case.id,
                      category=_get(p, "category", str), text=_get(p, "text", str),
                      opened_by=fact.author_id, opened_at=fact.client_time)
    session.add(dispute)
    session.flush()
    for invoice in invoices:
        invoice.disputed = True
        session.add(DisputeInvoice(dispute_id=dispute.id, invoice_id=invoice.id))


def _dispute_resolved(session: Session, case: CollectionCase, fact: Fact) -> None:
    invoice_ids = _uuids(fact.payload, "invoice_ids")
    invoices = list(session.exec(select(Invoice).where(
        col(Invoice.case_id) == case.id, col(Invoice.id).in_(invoice_ids),
        col(Invoice.disputed).is_(True))))
    if not invoice_ids or len(invoices) != len(set(invoice_ids)):
        raise ActionRefused("A chosen invoice is not in dispute on this case.")
    for invoice in invoices:
        invoice.disputed, invoice.updated_at = False, fact.client_time
    session.flush()
    chosen, resolved = {invoice.id for invoice in invoices}, []
    for dispute in session.exec(select(Dispute).where(
            col(Dispute.case_id) == case.id, col(Dispute.status) == "open")).all():
        linked = set(session.exec(select(DisputeInvoice.invoice_id).where(
            col(DisputeInvoice.dispute_id) == dispute.id)).all())
        if not linked & chosen:
            continue
        still = session.exec(select(Invoice.id).where(
            col(Invoice.id).in_(list(linked)), col(Invoice.disputed).is_(True))).first()
        if still is None:
            dispute.status, dispute.resolved_at = "resolved", fact.client_time
            resolved.append(dispute.id.hex)
    return {"dispute_ids": resolved}


def _callback(session: Session, case: CollectionCase, fact: Fact) -> None:
    case.callback_at = _datetime(fact.payload, "at")


def _stage(session: Session, case: CollectionCase, fact: Fact) -> None:
    before, target = _get(fact.payload, "from", str), _get(fact.payload, "to", str)
    if target not in set(Stage):
        raise Malformed("Unknown stage {stage!r}.", stage=target)
    if case.stage != before:
        raise ActionRefused("The case moved to {stage} in the meantime.", stage=case.stage)
    if fact.kind == ActivityKind.STAGE and next_stage(before) != target:
        raise ActionRefused("{target} does not follow {before}.", target=target, before=before)
    case.stage = target


def _close(session: Session, case: CollectionCase, fact: Fact) -> None:
    reason = _get(fact.payload, "reason", str)
    if reason not in set(CloseReason):
        raise Malformed("Unknown close reason {reason!r}.", reason=reason)
    if reason == CloseReason.PAID and case.balance_minor > 0:
        raise ActionRefused("The case still has an open balance; it is not paid.")
    case.status, case.closed_reason, case.callback_at = CaseStatus.CLOSED, reason, None


def _assignment(session: Session, case: CollectionCase, fact: Fact) -> None:
    agent = _uuid(fact.payload, "agent_id", optional=True)
    campaign = _uuid(fact.payload, "campaign_id", optional=True)
    if agent != case.assigned_agent_id:
        case.claim_epoch += 1  # a new owner: what the old one does after this is fenced off
        case.claimed_by, case.lease_until = None, None
    case.assigned_agent_id, case.campaign_id = agent, campaign


def _letter(session: Session, case: CollectionCase, fact: Fact) -> None:
    _get(fact.payload, "stage", str)


EFFECTS: dict[ActivityKind, Effect] = {
    ActivityKind.NOTE: _nothing, ActivityKind.DIAL: _nothing, ActivityKind.CALL: _call,
    ActivityKind.PROMISE: _promise, ActivityKind.PLAN: _plan, ActivityKind.PAYMENT: _payment,
    ActivityKind.DISPUTE: _dispute, ActivityKind.DISPUTE_RESOLVED: _dispute_resolved,
    ActivityKind.CALLBACK: _callback, ActivityKind.STAGE: _stage, ActivityKind.CLOSE: _close,
    ActivityKind.ASSIGNMENT: _assignment, ActivityKind.LETTER: _letter,
}


@dataclass(frozen=True)
class Review:
    """How the server judges a mutation before applying it."""

    author_id: uuid.UUID
    in_scope: bool  # the author may work this case now
    may_assign: bool  # supervisors and admins


def apply_mutation(session: Session, name: str, args: Any, now: datetime,
                   review: Review | None = None) -> Activity | None:
    """Write the fact and its effect. None when the fact is there already (a retry).

    Client (`review` None): a refusal raises and the caller's transaction writes nothing.
    Server: a refused fact is kept with `needs_review`; a refused contended change raises.
    """
    fact = Fact.parse(name, args)
    if review is not None:  # the server knows who pushed: the author the client names is not
        fact = replace(fact, author_id=review.author_id)  # trusted (nor known to exist)
    if session.get(Activity, fact.activity_id) is not None:
        return None
    case = session.get(CollectionCase, fact.case_id)
    if case is None:
        raise ActionRefused("This case does not exist.")
    contended = fact.kind in CONTENDED
    author = fact.author_id if review is None else review.author_id
    flagged, reason = False, ""
    if review is not None:
        if fact.kind == ActivityKind.ASSIGNMENT and not review.may_assign:
            raise ActionRefused("Only a supervisor can reassign a case.")
        stale = fact.claim_epoch != case.claim_epoch and not review.may_assign
        if contended and (stale or not review.in_scope):
            raise ActionRefused("The case changed hands: this change was not made. "
                                "Refresh the case.")
        flagged = stale or not review.in_scope
    decided = None
    try:
        # A savepoint on the server only: there a refused effect is undone, its fact kept.
        with session.begin_nested() if review is not None else nullcontext():
            if case.status == CaseStatus.CLOSED:
                raise ActionRefused("This case is closed.")
            decided = EFFECTS[fact.kind](session, case, fact)
    except Malformed:
        raise
    except ActionRefused as exc:
        if review is None or contended:
            raise
        flagged, reason = True, str(exc)
    payload = dict(fact.payload, **(decided or {}))
    if reason:
        payload["refused"] = reason
    activity = Activity(id=fact.activity_id, case_id=case.id, kind=fact.kind, author_id=author,
                        client_time=fact.client_time,
                        server_time=now if review is not None else None,
                        payload=payload, needs_review=flagged)
    session.add(activity)
    session.flush()
    refresh_cases(session, [case.id], now)
    return activity
