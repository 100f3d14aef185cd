"""Writes a parsed accounting export into the book, all or nothing.

Re-importing is idempotent: invoices are matched by (debtor, number). When a later export shows
less open on an invoice, the difference is recorded once as a ledger payment (keyed by the
invoice and the amounts it moved between), which also counts towards a pending promise.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, col, select

from recotui.domain.book import ContactPoint, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.domain.ids import uuid7
from recotui.domain.vocab import ActivityKind, PromiseStatus
from recotui.store.case_state import refresh_cases
from recotui.store.store import Store, now_utc
from recotui.store.tables import (
    Activity,
    CollectionCase,
    Debtor,
    DebtorContact,
    ImportRun,
    Invoice,
    Payment,
    PaymentAllocation,
    Promise,
)

_CHUNK = 500


@dataclass
class ImportSummary:
    source: str
    format: str
    lines_read: int = 0
    debtors_new: int = 0
    debtors_total: int = 0
    invoices_new: int = 0
    invoices_updated: int = 0
    invoices_total: int = 0
    payments_recorded: int = 0
    promises_kept: int = 0
    open_total: dict[str, int] = field(default_factory=dict)  # currency → minor units
    skipped: Counter[str] = field(default_factory=Counter)
    already_imported: bool = False


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def search_key(contact: ContactPoint) -> str:
    if contact.kind == "phone":
        return "".join(ch for ch in contact.value if ch.isdigit())
    return contact.value.strip().lower()


def apply_book(store: Store, book: ParsedBook, *, sha256: str = "") -> ImportSummary:
    """Write `book` in one transaction; any error leaves the store untouched."""
    now = now_utc()
    summary = ImportSummary(book.source, book.format, lines_read=book.lines_read,
                            skipped=Counter(book.skipped))
    summary.debtors_total = len(book.debtors)
    summary.invoices_total = len(book.invoices)
    for inv in book.invoices:
        summary.open_total[inv.currency] = summary.open_total.get(inv.currency, 0) + inv.open_minor
    with store.transaction() as session:
        summary.already_imported = bool(sha256) and session.exec(
            select(ImportRun.id).where(col(ImportRun.sha256) == sha256)).first() is not None
        debtor_ids = _upsert_debtors(session, book.debtors, now, summary)
        case_ids = _ensure_cases(session, book.invoices, debtor_ids, now)
        touched = _upsert_invoices(session, book, debtor_ids, case_ids, now, summary)
        refresh_cases(session, touched, now)
        session.add(ImportRun(
            source=book.source, format=book.format, sha256=sha256, lines_read=book.lines_read,
            imported_at=now, summary=_summary_json(summary),
        ))
    return summary


def _summary_json(summary: ImportSummary) -> dict:
    return {
        "debtors_new": summary.debtors_new, "invoices_new": summary.invoices_new,
        "invoices_updated": summary.invoices_updated,
        "payments_recorded": summary.payments_recorded, "promises_kept": summary.promises_kept,
        "open_total": summary.open_total, "skipped": dict(summary.skipped),
    }


def _in_chunks(session: Session, statement_for, keys: list):  # noqa: ANN001, ANN202
    for start in range(0, len(keys), _CHUNK):
        yield from session.exec(statement_for(keys[start:start + _CHUNK]))


def _upsert_debtors(
    session: Session, records: list[DebtorRecord], now: datetime, summary: ImportSummary
) -> dict[str, uuid.UUID]:
    numbers = [r.number for r in records]
    existing: dict[str, Debtor] = {
        d.number: d for d in _in_chunks(
            session, lambda chunk: select(Debtor).where(col(Debtor.number).in_(chunk)), numbers)
    }
    known_contacts = _known_contacts(session, [d.id for d in existing.values()])
    new_debtors, new_contacts = [], []
    ids: dict[str, uuid.UUID] = {}
    for record in records:
        debtor = existing.get(record.number)
        if debtor is None:
            debtor_id = uuid7()
            new_debtors.append(_debtor_row(record, debtor_id, now))
            summary.debtors_new += 1
        else:
            debtor_id = debtor.id
            _update_debtor(debtor, record)
        ids[record.number] = debtor_id
        for contact in record.contacts:
            if (debtor_id, contact.kind, contact.value) not in known_contacts:
                known_contacts.add((debtor_id, contact.kind, contact.value))
                new_contacts.append({
                    "id": uuid7(), "debtor_id": debtor_id, "kind": contact.kind,
                    "label": contact.label, "value": contact.value,
                    "search_key": search_key(contact), "do_not_call": False,
                })
    if new_debtors:
        session.execute(insert(Debtor), new_debtors)
    if new_contacts:
        session.execute(insert(DebtorContact), new_contacts)
    return ids


def _known_contacts(session: Session, debtor_ids: list[uuid.UUID]) -> set[tuple]:
    rows = _in_chunks(session, lambda chunk: select(
        DebtorContact.debtor_id, DebtorContact.kind, DebtorContact.value
    ).where(col(DebtorContact.debtor_id).in_(chunk)), debtor_ids)
    return {tuple(row) for row in rows}


def _debtor_row(record: DebtorRecord, debtor_id: uuid.UUID, now: datetime) -> dict:
    return {
        "id": debtor_id, "number": record.number, "kind": str(record.kind), "name": record.name,
        "legal_id": record.legal_id, "address": record.address, "postcode": record.postcode,
        "city": record.city, "country": record.country, "timezone": record.timezone,
        "language": record.language, "do_not_call": record.do_not_call,
        "contact_consent": True, "created_at": now,
    }


def _update_debtor(debtor: Debtor, record: DebtorRecord) -> None:
    """The file is the source of the debtor's identity; blank cells keep what we have."""
    for name in ("name", "legal_id", "address", "postcode", "city"):
        value = getattr(record, name)
        if value and getattr(debtor, name) != value:
            setattr(debtor, name, value)


def _ensure_cases(
    session: Session, invoices: list[InvoiceRecord], debtor_ids: dict[str, uuid.UUID],
    now: datetime,
) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
    wanted = {(debtor_ids[inv.debtor_number], inv.currency) for inv in invoices}
    debtors = list({debtor for debtor, _ in wanted})
    cases = {
        (c.debtor_id, c.currency): c.id for c in _in_chunks(
            session, lambda chunk: select(CollectionCase).where(
                col(CollectionCase.debtor_id).in_(chunk)), debtors)
    }
    new_rows = []
    for key in sorted(wanted - cases.keys()):
        cases[key] = uuid7()
        new_rows.append({
            "id": cases[key], "debtor_id": key[0], "currency": key[1], "stage": "preventive",
            "status": "open", "priority_factors": [], "created_at": now, "updated_at": now,
        })
    if new_rows:
        session.execute(insert(CollectionCase), new_rows)
    return cases


def _upsert_invoices(
    session: Session, book: ParsedBook, debtor_ids: dict[str, uuid.UUID],
    case_ids: dict[tuple[uuid.UUID, str], uuid.UUID], now: datetime, summary: ImportSummary,
) -> set[uuid.UUID]:
    debtors = list(set(debtor_ids.values()))
    existing: dict[tuple[uuid.UUID, str], Invoice] = {
        (inv.debtor_id, inv.number): inv for inv in _in_chunks(
            session, lambda chunk: select(Invoice).where(col(Invoice.debtor_id).in_(chunk)),
            debtors)
    }
    new_rows, touched = [], set()
    paid_by_case: dict[uuid.UUID, int] = defaultdict(int)
    for record in book.invoices:
        debtor_id = debtor_ids[record.debtor_number]
        case_id = case_ids[(debtor_id, record.currency)]
        invoice = existing.get((debtor_id, record.number))
        if invoice is None:
            new_rows.append(_invoice_row(record, debtor_id, case_id, book.format, now))
            summary.invoices_new += 1
            touched.add(case_id)
            continue
        if (invoice.amount_minor, invoice.open_minor, invoice.due_date) == (
                record.amount_minor, record.open_minor, record.due_date):
            continue
        paid = invoice.open_minor - record.open_minor
        if paid > 0:
            _record_ledger_payment(session, invoice, paid, record.open_minor, book, now)
            paid_by_case[invoice.case_id] += paid
            summary.payments_recorded += 1
        invoice.amount_minor, invoice.open_minor = record.amount_minor, record.open_minor
        invoice.due_date, invoice.status = record.due_date, _status(record)
        invoice.updated_at = now
        summary.invoices_updated += 1
        touched.add(invoice.case_id)
    if new_rows:
        session.execute(insert(Invoice), new_rows)
    session.flush()
    summary.promises_kept = _credit_promises(session, paid_by_case, now)
    return touched


def _status(record: InvoiceRecord) -> str:
    if record.open_minor == 0:
        return "paid"
    return "partial" if record.open_minor < record.amount_minor else "open"


def _invoice_row(record: InvoiceRecord, debtor_id: uuid.UUID, case_id: uuid.UUID, source: str,
                 now: datetime) -> dict:
    return {
        "id": uuid7(), "debtor_id": debtor_id, "case_id": case_id, "number": record.number,
        "issue_date": record.issue_date, "due_date": record.due_date,
        "currency": record.currency, "amount_minor": record.amount_minor,
        "open_minor": record.open_minor, "status": _status(record), "disputed": False,
        "source": source, "created_at": now, "updated_at": now,
    }


def _record_ledger_payment(session: Session, invoice: Invoice, paid: int, new_open: int,
                           book: ParsedBook, now: datetime) -> None:
    payment = Payment(
        id=uuid7(), case_id=invoice.case_id, amount_minor=paid, currency=invoice.currency,
        received_on=now.date(), method="ledger", reference=invoice.number, source=book.format,
        source_ref=f"{invoice.id.hex}:{invoice.open_minor}>{new_open}", created_at=now,
    )
    session.add(payment)
    session.add(PaymentAllocation(payment_id=payment.id, invoice_id=invoice.id,
                                  amount_minor=paid))
    session.add(Activity(
        case_id=invoice.case_id, kind=ActivityKind.PAYMENT, client_time=now, server_time=now,
        payload={"payment_id": payment.id.hex, "amount_minor": paid,
                 "currency": invoice.currency, "received_on": now.date().isoformat(),
                 "method": "ledger", "source": Path(book.source).name,
                 "invoice": invoice.number},
    ))


def _credit_promises(session: Session, paid_by_case: dict[uuid.UUID, int], now: datetime) -> int:
    """Payments count towards the case's pending promise; paid in full means kept."""
    kept = 0
    if not paid_by_case:
        return kept
    promises = session.exec(select(Promise).where(
        col(Promise.case_id).in_(list(paid_by_case)),
        col(Promise.status) == PromiseStatus.PENDING,
    ).order_by(col(Promise.due_date)))
    for promise in promises:
        available = paid_by_case[promise.case_id]
        if available <= 0:
            continue
        credit = min(available, promise.amount_minor - promise.paid_minor)
        promise.paid_minor += credit
        paid_by_case[promise.case_id] -= credit
        if promise.paid_minor >= promise.amount_minor:
            promise.status, promise.settled_at = PromiseStatus.KEPT, now
            kept += 1
    return kept
