"""Writes a parsed accounting export into the book, all or nothing.

Re-importing is idempotent: invoices are matched by (debtor, number). When a later export shows
less open on an invoice, the difference is recorded once as a ledger payment (keyed by the
invoice and the amounts it moved between), which also counts towards a pending promise.

New and changed rows go in with executemany (see store.bulk): a 1M-line FEC holds about 250k
invoices, and the ORM would spend most of the import on them.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from recotui.domain.book import ContactPoint, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.domain.vocab import ActivityKind, PromiseStatus
from recotui.store.bulk import Bulk
from recotui.store.case_state import refresh_cases_bulk
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

_DEBTOR_COLUMNS = ("id", "number", "kind", "name", "legal_id", "address", "postcode", "city",
                   "country", "timezone", "language", "do_not_call", "contact_consent",
                   "created_at")
_CONTACT_COLUMNS = ("id", "debtor_id", "kind", "label", "value", "search_key", "do_not_call")
_CASE_COLUMNS = ("id", "debtor_id", "currency", "stage", "status", "closed_reason",
                 "balance_minor", "overdue_minor", "disputed_minor", "open_invoice_count",
                 "promise_status", "plan_active", "priority", "priority_factors", "claim_epoch",
                 "created_at", "updated_at")
_INVOICE_COLUMNS = ("id", "debtor_id", "case_id", "number", "issue_date", "due_date",
                    "currency", "amount_minor", "open_minor", "status", "disputed", "source",
                    "created_at", "updated_at")
_INVOICE_CHANGES = ("amount_minor", "open_minor", "due_date", "status", "updated_at")
_PAYMENT_COLUMNS = ("id", "case_id", "amount_minor", "currency", "received_on", "method",
                    "reference", "source", "source_ref", "created_at")
_ALLOCATION_COLUMNS = ("id", "payment_id", "invoice_id", "amount_minor")
_ACTIVITY_COLUMNS = ("id", "case_id", "kind", "client_time", "server_time", "payload",
                     "needs_review")


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


def apply_book(store: Store, book: ParsedBook, *, sha256: str = "",
               raw: bool | None = None) -> ImportSummary:
    """Write `book` in one transaction; any error leaves the store untouched.

    `raw=False` writes through Core even on SQLite (the path other databases take).
    """
    now = now_utc()
    summary = ImportSummary(book.source, book.format, lines_read=book.lines_read,
                            skipped=Counter(book.skipped))
    summary.debtors_total = len(book.debtors)
    summary.invoices_total = len(book.invoices)
    for inv in book.invoices:
        summary.open_total[inv.currency] = summary.open_total.get(inv.currency, 0) + inv.open_minor
    with store.transaction() as session:
        bulk = Bulk(session, raw=raw)
        summary.already_imported = bool(sha256) and session.exec(
            select(ImportRun.id).where(col(ImportRun.sha256) == sha256)).first() is not None
        with bulk.big_cache():
            debtors = _upsert_debtors(bulk, book.debtors, now, summary)
            cases = _ensure_cases(bulk, book.invoices, debtors, now)
            touched = _upsert_invoices(bulk, book, debtors, cases, now, summary)
            refresh_cases_bulk(bulk, touched, now)
            session.add(ImportRun(
                source=book.source, format=book.format, sha256=sha256,
                lines_read=book.lines_read, imported_at=now, summary=_summary_json(summary),
            ))
            session.flush()
    return summary


def _summary_json(summary: ImportSummary) -> dict:
    return {
        "debtors_new": summary.debtors_new, "invoices_new": summary.invoices_new,
        "invoices_updated": summary.invoices_updated,
        "payments_recorded": summary.payments_recorded, "promises_kept": summary.promises_kept,
        "open_total": summary.open_total, "skipped": dict(summary.skipped),
    }


@dataclass
class _Debtors:
    """Debtor ids by number, and the ids of those already stored, in the connection's form."""

    ids: dict[str, Any]
    known: list[Any]


_IDENTITY = ("name", "legal_id", "address", "postcode", "city")


def _upsert_debtors(bulk: Bulk, records: list[DebtorRecord], now: datetime,
                    summary: ImportSummary) -> _Debtors:
    existing = {row[1]: row for row in bulk.select_in(
        Debtor, ("id", "number", *_IDENTITY), "number", [r.number for r in records])}
    known = [row[0] for row in existing.values()]
    known_contacts = set(bulk.select_in(DebtorContact, ("debtor_id", "kind", "value"),
                                        "debtor_id", known))
    fresh = [r for r in records if r.number not in existing]
    ids: dict[str, Any] = dict(zip([r.number for r in fresh], bulk.new_ids(len(fresh)),
                                   strict=True))
    stamp, flag = bulk.stamp(now), bulk.flag
    new_rows = [(ids[r.number], r.number, str(r.kind), r.name, r.legal_id, r.address,
                 r.postcode, r.city, r.country, r.timezone, r.language, flag(r.do_not_call),
                 flag(True), stamp) for r in fresh]
    summary.debtors_new = len(fresh)
    changed, new_contacts = [], []
    for record in records:
        row = existing.get(record.number)
        if row is not None:
            ids[record.number] = row[0]
            identity = _identity(row[2:], record)
            if identity != tuple(row[2:]):
                changed.append((*identity, row[0]))
        debtor_id = ids[record.number]
        for contact in record.contacts:
            if (debtor_id, contact.kind, contact.value) not in known_contacts:
                known_contacts.add((debtor_id, contact.kind, contact.value))
                new_contacts.append((debtor_id, contact.kind, contact.label, contact.value,
                                     search_key(contact), flag(False)))
    bulk.insert(Debtor, _DEBTOR_COLUMNS, new_rows)
    bulk.update(Debtor, _IDENTITY, changed)
    bulk.insert(DebtorContact, _CONTACT_COLUMNS, [
        (new_id, *row) for new_id, row in zip(bulk.new_ids(len(new_contacts)), new_contacts,
                                                strict=True)])
    return _Debtors(ids, known)


def _identity(stored: tuple, record: DebtorRecord) -> tuple:
    """The file is the source of the debtor's identity; blank cells keep what we have."""
    return tuple(getattr(record, name) or old for name, old in zip(_IDENTITY, stored,
                                                                  strict=True))


def _ensure_cases(bulk: Bulk, invoices: list[InvoiceRecord], debtors: _Debtors,
                  now: datetime) -> dict[tuple[Any, str], Any]:
    """Case ids by (debtor id, currency), creating the missing cases."""
    cases = {(debtor_id, currency): case_id for case_id, debtor_id, currency in bulk.select_in(
        CollectionCase, ("id", "debtor_id", "currency"), "debtor_id", debtors.known)}
    ids = debtors.ids
    wanted = dict.fromkeys((ids[inv.debtor_number], inv.currency) for inv in invoices)
    missing = [key for key in wanted if key not in cases]
    stamp, no_factors = bulk.stamp(now), bulk.json([])
    rows = []
    for key, case_id in zip(missing, bulk.new_ids(len(missing)), strict=True):
        cases[key] = case_id
        rows.append((case_id, key[0], key[1], "preventive", "open", "", 0, 0, 0, 0, "",
                     bulk.flag(False), 0, no_factors, 0, stamp, stamp))
    bulk.insert(CollectionCase, _CASE_COLUMNS, rows)
    return cases


@dataclass(frozen=True, slots=True)
class _Stored:
    """An invoice as stored, in the connection's form."""

    id: Any
    debtor_id: Any
    case_id: Any
    number: str
    currency: str
    amount_minor: int
    open_minor: int
    due_date: Any


def _upsert_invoices(
    bulk: Bulk, book: ParsedBook, debtors: _Debtors, cases: dict[tuple[Any, str], Any],
    now: datetime, summary: ImportSummary,
) -> set[uuid.UUID]:
    """Insert new invoices, apply changes to known ones; returns the cases touched."""
    existing = {
        (row[1], row[3]): _Stored(*row) for row in bulk.select_in(
            Invoice, ("id", "debtor_id", "case_id", "number", "currency", "amount_minor",
                      "open_minor", "due_date"), "debtor_id", debtors.known)
    }
    day, stamp, ids = bulk.day, bulk.stamp(now), debtors.ids
    fresh, changes, payments = [], [], []
    touched: set[Any] = set()
    for record in book.invoices:
        debtor_id = ids[record.debtor_number]
        invoice = existing.get((debtor_id, record.number)) if existing else None
        if invoice is None:
            fresh.append((debtor_id, record))
            continue
        due = day(record.due_date)
        if (invoice.amount_minor, invoice.open_minor, invoice.due_date) == (
                record.amount_minor, record.open_minor, due):
            continue
        if invoice.open_minor > record.open_minor:
            payments.append((invoice, record.open_minor))
        changes.append((record.amount_minor, record.open_minor, due, _status(record), stamp,
                        invoice.id))
        touched.add(invoice.case_id)
    rows = []
    flag_no, source = bulk.flag(False), book.format
    for new_id, (debtor_id, r) in zip(bulk.new_ids(len(fresh)), fresh, strict=True):
        case_id = cases[(debtor_id, r.currency)]
        touched.add(case_id)
        rows.append((new_id, debtor_id, case_id, r.number, day(r.issue_date), day(r.due_date),
                     r.currency, r.amount_minor, r.open_minor, _status(r), flag_no, source,
                     stamp, stamp))
    bulk.insert(Invoice, _INVOICE_COLUMNS, rows)
    bulk.update(Invoice, _INVOICE_CHANGES, changes)
    summary.invoices_new, summary.invoices_updated = len(rows), len(changes)
    paid_by_case = _record_ledger_payments(bulk, payments, book, now)
    summary.payments_recorded = len(payments)
    summary.promises_kept = _credit_promises(bulk.session, paid_by_case, now)
    return {bulk.as_uuid(case_id) for case_id in touched}


def _status(record: InvoiceRecord) -> str:
    if record.open_minor == 0:
        return "paid"
    return "partial" if record.open_minor < record.amount_minor else "open"


def _record_ledger_payments(bulk: Bulk, payments: list[tuple[_Stored, int]], book: ParsedBook,
                            now: datetime) -> dict[uuid.UUID, int]:
    """A payment, its allocation and its activity for each invoice that has less open."""
    paid_by_case: dict[uuid.UUID, int] = defaultdict(int)
    payment_rows, allocation_rows, activity_rows = [], [], []
    stamp, received = bulk.stamp(now), now.date()
    count = len(payments)
    ids = bulk.new_ids(3 * count)
    for k, (invoice, new_open) in enumerate(payments):
        paid = invoice.open_minor - new_open
        paid_by_case[bulk.as_uuid(invoice.case_id)] += paid
        payment_id, case_id = ids[k], invoice.case_id
        source_ref = f"{bulk.as_uuid(invoice.id).hex}:{invoice.open_minor}>{new_open}"
        payment_rows.append((
            payment_id, case_id, paid, invoice.currency, bulk.day(received), "ledger",
            invoice.number, book.format, source_ref, stamp))
        allocation_rows.append((ids[count + k], payment_id, invoice.id, paid))
        activity_rows.append((ids[2 * count + k], case_id, str(ActivityKind.PAYMENT), stamp,
                              stamp, bulk.json({
                                  "payment_id": bulk.as_uuid(payment_id).hex,
                                  "amount_minor": paid, "currency": invoice.currency,
                                  "received_on": received.isoformat(), "method": "ledger",
                                  "source": Path(book.source).name, "invoice": invoice.number,
                              }), bulk.flag(False)))
    bulk.insert(Payment, _PAYMENT_COLUMNS, payment_rows)
    bulk.insert(PaymentAllocation, _ALLOCATION_COLUMNS, allocation_rows)
    bulk.insert(Activity, _ACTIVITY_COLUMNS, activity_rows)
    return paid_by_case


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
