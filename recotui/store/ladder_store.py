"""Reads and writes of the dunning ladder, letters and the litigation file.

Reads are bulk and chunked, for runs over 100k cases. Writes follow the house rule: the
change, an Activity fact and an outbox row in one transaction ("case.letter", "case.stage").
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from recotui.domain.ids import uuid7
from recotui.domain.ladder import CaseFacts
from recotui.domain.vocab import ActivityKind, CaseStatus, PromiseStatus
from recotui.store import store as store_module
from recotui.store.bulk import Bulk
from recotui.store.case_state import refresh_cases, refresh_cases_bulk
from recotui.store.store import Store, enqueue
from recotui.store.tables import (
    Activity,
    CollectionCase,
    Debtor,
    DebtorContact,
    Invoice,
    Outbox,
    Payment,
    PaymentAllocation,
    Promise,
    User,
)

_CHUNK = 500  # keys per IN list


def _chunks(ids: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _letter_day(payload: dict[str, Any], client_time: datetime) -> date:
    """A letter is dated by its run's as-of day; older facts carry only their time."""
    try:
        return date.fromisoformat(payload["date"])
    except (KeyError, TypeError, ValueError):
        return client_time.date()


# -- reads -----------------------------------------------------------------------------------

def ladder_facts(store: Store, as_of: date) -> list[CaseFacts]:
    """Every open case with what the ladder decides on, and its latest letter."""
    c, a = CollectionCase.__table__, Activity.__table__  # type: ignore[attr-defined]
    with Session(store.engine) as session:
        conn = session.connection()
        latest: dict[uuid.UUID, tuple[tuple[date, datetime], str | None, date]] = {}
        for case_id, when, payload in conn.execute(
                select(a.c.case_id, a.c.client_time, a.c.payload)
                .where(a.c.kind == ActivityKind.LETTER.value)):
            payload = payload or {}
            key = (_letter_day(payload, when), when)  # by letter date: runs may be back-dated
            seen = latest.get(case_id)
            if seen is None or key > seen[0]:
                latest[case_id] = (key, payload.get("stage"), key[0])
        facts = []
        for row in conn.execute(
                select(c.c.id, c.c.stage, c.c.status, c.c.balance_minor, c.c.disputed_minor,
                       c.c.oldest_due_date, c.c.plan_active, c.c.promise_status,
                       c.c.promise_due_date)
                .where(c.c.status == CaseStatus.OPEN.value)):
            cid, stage, status, balance, disputed, first_due, plan, p_status, p_due = row
            # The stored aggregates date from the last refresh: judge by the as-of day.
            if p_status == PromiseStatus.PENDING and p_due is not None and p_due < as_of:
                p_status = PromiseStatus.BROKEN
            overdue = balance - disputed if first_due is not None and first_due < as_of else 0
            last = latest.get(cid)
            facts.append(CaseFacts(cid, stage, status, balance, overdue, disputed, first_due,
                                   bool(plan), p_status or "", last[1] if last else None,
                                   last[2] if last else None))
    return facts


@dataclass(frozen=True, slots=True)
class DebtorInfo:
    number: str
    name: str
    kind: str  # company | consumer
    legal_id: str
    address: str
    postcode: str
    city: str
    country: str
    language: str
    contact_consent: bool
    emails: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InvoiceInfo:
    number: str
    issue_date: date
    due_date: date
    amount_minor: int
    open_minor: int
    disputed: bool
    # (received on, minor units), oldest first; what was paid before the book knew of the
    # invoice counts as paid on its due date, as the case screen counts it.
    payments: tuple[tuple[date, int], ...] = ()


@dataclass(frozen=True, slots=True)
class LetterCase:
    case_id: uuid.UUID
    currency: str
    stage: str
    debtor: DebtorInfo
    invoices: tuple[InvoiceInfo, ...]  # open ones, oldest due first


def letter_cases(store: Store, case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, LetterCase]:
    """Debtor, e-mail addresses and open invoices (with their payments) of each case."""
    out: dict[uuid.UUID, LetterCase] = {}
    with Session(store.engine) as session:
        for chunk in _chunks(list(case_ids)):
            out.update(_letter_chunk(session, chunk))
    return out


def _letter_chunk(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, LetterCase]:
    c, d = CollectionCase.__table__, Debtor.__table__  # type: ignore[attr-defined]
    i, ct = Invoice.__table__, DebtorContact.__table__  # type: ignore[attr-defined]
    p, pa = Payment.__table__, PaymentAllocation.__table__  # type: ignore[attr-defined]
    conn = session.connection()
    heads = conn.execute(
        select(c.c.id, c.c.currency, c.c.stage, d.c.id, d.c.number, d.c.name, d.c.kind,
               d.c.legal_id, d.c.address, d.c.postcode, d.c.city, d.c.country, d.c.language,
               d.c.contact_consent)
        .join(d, d.c.id == c.c.debtor_id).where(c.c.id.in_(ids))).all()
    emails: dict[uuid.UUID, list[str]] = {}
    for debtor_id, value in conn.execute(
            select(ct.c.debtor_id, ct.c.value)
            .where(ct.c.debtor_id.in_([h[3] for h in heads]), ct.c.kind == "email")
            .order_by(ct.c.debtor_id, ct.c.label)):
        emails.setdefault(debtor_id, []).append(value)
    paid: dict[uuid.UUID, list[tuple[date, int]]] = {}
    for invoice_id, received_on, amount in conn.execute(
            select(pa.c.invoice_id, p.c.received_on, pa.c.amount_minor)
            .join(p, p.c.id == pa.c.payment_id).where(p.c.case_id.in_(ids))
            .order_by(p.c.received_on)):
        paid.setdefault(invoice_id, []).append((received_on, amount))
    invoices: dict[uuid.UUID, list[InvoiceInfo]] = {}
    for row in conn.execute(
            select(i.c.case_id, i.c.id, i.c.number, i.c.issue_date, i.c.due_date,
                   i.c.amount_minor, i.c.open_minor, i.c.disputed)
            .where(i.c.case_id.in_(ids), i.c.open_minor > 0)
            .order_by(i.c.case_id, i.c.due_date, i.c.number)):
        case_id, invoice_id, number, issued, due, amount, open_, disputed = row
        known = paid.get(invoice_id, [])
        earlier = amount - open_ - sum(share for _, share in known)
        payments = ([(due, earlier)] if earlier > 0 else []) + known
        invoices.setdefault(case_id, []).append(
            InvoiceInfo(number, issued, due, amount, open_, bool(disputed), tuple(payments)))
    return {
        h[0]: LetterCase(h[0], h[1], h[2], DebtorInfo(
            *h[4:13], bool(h[13]), tuple(emails.get(h[3], ()))),
            tuple(invoices.get(h[0], ())))
        for h in heads
    }


def find_case(store: Store, ref: str) -> uuid.UUID | None:
    """A case by its id (hex or dashed), or by its debtor's number when it has one case."""
    with Session(store.engine) as session:
        try:
            case_id = uuid.UUID(ref.strip())
        except ValueError:
            case_id = None
        if case_id is not None and session.get(CollectionCase, case_id) is not None:
            return case_id
        ids = session.exec(
            select(CollectionCase.id).join(Debtor, col(Debtor.id) == col(CollectionCase.debtor_id))
            .where(col(Debtor.number) == ref.strip())).all()
        return ids[0][0] if len(ids) == 1 else None


def user_id(store: Store, username: str) -> uuid.UUID | None:
    if not username:
        return None
    with Session(store.engine) as session:
        row = session.exec(select(User.id).where(col(User.username) == username)).first()
        return row[0] if row else None


@dataclass(frozen=True, slots=True)
class FactLine:
    kind: str
    client_time: datetime
    author: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PaymentLine:
    received_on: date
    amount_minor: int
    method: str
    reference: str


@dataclass(frozen=True, slots=True)
class PromiseInfo:
    created_at: datetime
    due_date: date
    amount_minor: int
    paid_minor: int
    status: str


@dataclass(frozen=True, slots=True)
class DossierCase:
    letter: LetterCase
    status: str
    all_invoices: tuple[InvoiceInfo, ...]  # paid ones too, for the statement of account
    payments: tuple[PaymentLine, ...]
    facts: tuple[FactLine, ...]  # oldest first
    promises: tuple[PromiseInfo, ...]


def dossier_case(store: Store, case_id: uuid.UUID) -> DossierCase | None:
    letter = letter_cases(store, [case_id]).get(case_id)
    if letter is None:
        return None
    with Session(store.engine) as session:
        case = session.get(CollectionCase, case_id)
        assert case is not None
        all_invoices = tuple(
            InvoiceInfo(n, issued, due, amount, open_, bool(disputed))
            for n, issued, due, amount, open_, disputed in session.exec(
                select(Invoice.number, Invoice.issue_date, Invoice.due_date,
                       Invoice.amount_minor, Invoice.open_minor, Invoice.disputed)
                .where(col(Invoice.case_id) == case_id)
                .order_by(col(Invoice.due_date), col(Invoice.number))))
        payments = tuple(PaymentLine(*row) for row in session.exec(
            select(Payment.received_on, Payment.amount_minor, Payment.method, Payment.reference)
            .where(col(Payment.case_id) == case_id).order_by(col(Payment.received_on))))
        facts = tuple(
            FactLine(kind, _aware(when), display or username or "", payload or {})
            for kind, when, display, username, payload in session.exec(
                select(Activity.kind, Activity.client_time, User.display_name, User.username,
                       Activity.payload)
                .outerjoin(User, col(User.id) == col(Activity.author_id))
                .where(col(Activity.case_id) == case_id)
                .order_by(col(Activity.client_time), col(Activity.id))))
        promises = tuple(
            PromiseInfo(_aware(created), due, amount, paid, status)
            for created, due, amount, paid, status in session.exec(
                select(Promise.created_at, Promise.due_date, Promise.amount_minor,
                       Promise.paid_minor, Promise.status)
                .where(col(Promise.case_id) == case_id).order_by(col(Promise.created_at))))
        return DossierCase(letter, case.status, all_invoices, payments, facts, promises)


# -- writes ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StepRecord:
    """One letter (or phone task) to record, and the stage change it brings."""

    case_id: uuid.UUID
    stage: str  # the ladder step's name
    channel: str
    letter_no: str
    on: date  # the letter's date: the run's as-of day
    file: str = ""
    tracking_number: str = ""
    from_stage: str = ""  # what the case was at when decided
    to_stage: str = ""  # "" for no stage change
    phone_task: bool = False  # put the case in the callback queue


def record_steps(store: Store, records: Sequence[StepRecord], *, now: datetime,
                 actor_id: uuid.UUID | None = None) -> list[StepRecord]:
    """Record the letters and stage changes in one transaction; returns those written.

    A record is skipped when the case has already got this letter (a second run on the
    same day, or another process) or has moved on since the run read it. Facts and case
    rows go through Bulk (a run writes tens of thousands), outbox rows too on SQLite.
    """
    if not records:
        return []
    written: list[StepRecord] = []
    with store.transaction() as session:
        bulk = Bulk(session)
        cases: dict[uuid.UUID, list[Any]] = {}  # id → [stage, status, epoch, callback_at]
        for cid, stage, status, epoch, callback in bulk.select_in(
                CollectionCase, ("id", "stage", "status", "claim_epoch", "callback_at"), "id",
                [bulk.uid(r.case_id) for r in records]):
            cases[bulk.as_uuid(cid)] = [stage, status, epoch, callback]
        sent: set[tuple[uuid.UUID, str]] = set()
        a = Activity.__table__  # type: ignore[attr-defined]
        for chunk in _chunks([r.case_id for r in records]):
            for case_id, payload in session.connection().execute(
                    select(a.c.case_id, a.c.payload)
                    .where(a.c.case_id.in_(chunk), a.c.kind == ActivityKind.LETTER.value)):
                sent.add((case_id, (payload or {}).get("letter_no", "")))
        facts: list[tuple] = []
        outbox: list[tuple] = []  # in mutation order, before the facts as enqueue had them
        stages: list[tuple] = []
        callbacks: list[tuple] = []
        for r in records:
            row = cases.get(r.case_id)
            if (row is None or row[1] != CaseStatus.OPEN or (r.case_id, r.letter_no) in sent
                    or (r.from_stage and row[0] != r.from_stage)):
                continue
            facts.append(_fact(session, store, bulk, r.case_id, row[2], ActivityKind.LETTER,
                               actor_id, now, {
                "stage": r.stage, "channel": r.channel, "letter_no": r.letter_no,
                "tracking_number": r.tracking_number, "file": r.file, "date": r.on.isoformat(),
            }, outbox))
            if r.to_stage and r.to_stage != row[0]:
                facts.append(_fact(session, store, bulk, r.case_id, row[2], ActivityKind.STAGE,
                                   actor_id, now, {"from": row[0], "to": r.to_stage}, outbox))
                row[0] = r.to_stage
                stages.append((r.to_stage, bulk.uid(r.case_id)))
            if r.phone_task and row[3] is None:
                row[3] = datetime.combine(r.on, time(8), tzinfo=UTC)
                callbacks.append((bulk.stamp(row[3]), bulk.uid(r.case_id)))
            sent.add((r.case_id, r.letter_no))
            written.append(r)
        bulk.insert(Outbox, _OUTBOX_COLUMNS, outbox)
        bulk.insert(Activity, _FACT_COLUMNS, facts)
        bulk.update(CollectionCase, ("stage",), stages)
        bulk.update(CollectionCase, ("callback_at",), callbacks)
        refresh_cases_bulk(bulk, [r.case_id for r in written], now)
    return written


_FACT_COLUMNS = ("id", "case_id", "kind", "author_id", "client_time", "payload", "needs_review")


def _fact(session: Session, store: Store, bulk: Bulk, case_id: uuid.UUID, epoch: int,
          kind: ActivityKind, actor_id: uuid.UUID | None, now: datetime,
          payload: dict[str, Any], outbox: list[tuple]) -> tuple:
    """The fact's row for Bulk, and its outbox row, as actions._record writes them.

    On SQLite the outbox row goes to `outbox` for one executemany, as enqueue would have
    written it (mutation_id left to SQLite: max + 1); elsewhere through enqueue."""
    activity_id = uuid7()
    args = {
        "activity_id": activity_id.hex, "case_id": case_id.hex,
        "author_id": actor_id.hex if actor_id else None, "client_time": now.isoformat(),
        "claim_epoch": epoch, "payload": payload,
    }
    if bulk.raw:
        outbox.append((bulk.uid(store.client_id), f"case.{kind}", bulk.json(args),
                       bulk.stamp(store_module.now_utc()), ""))
    else:
        enqueue(session, store, f"case.{kind}", args)
    return (bulk.uid(activity_id), bulk.uid(case_id), kind.value, bulk.uid(actor_id),
            bulk.stamp(now), bulk.json(payload), bulk.flag(False))


_OUTBOX_COLUMNS = ("client_id", "name", "args", "created_at", "result")


def record_stage(store: Store, case_id: uuid.UUID, to_stage: str, *, now: datetime,
                 actor_id: uuid.UUID | None = None) -> bool:
    """Move a case to a stage (the litigation file: contentieux); False if it is there."""
    with store.transaction() as session:
        case = session.get(CollectionCase, case_id)
        if case is None or case.stage == to_stage:
            return False
        _add_fact(session, store, case, ActivityKind.STAGE, actor_id, now,
                  {"from": case.stage, "to": to_stage})
        case.stage = to_stage
        refresh_cases(session, [case.id], now)
    return True


def _add_fact(session: Session, store: Store, case: CollectionCase, kind: ActivityKind,
              actor_id: uuid.UUID | None, now: datetime, payload: dict[str, Any]) -> None:
    activity = Activity(case_id=case.id, kind=kind, author_id=actor_id, client_time=now,
                        payload=payload)
    session.add(activity)
    enqueue(session, store, f"case.{kind}", {
        "activity_id": activity.id.hex, "case_id": case.id.hex,
        "author_id": actor_id.hex if actor_id else None, "client_time": now.isoformat(),
        "claim_epoch": case.claim_epoch, "payload": payload,
    })
