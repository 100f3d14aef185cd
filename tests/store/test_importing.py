"""apply_book: the bulk path (raw sqlite3 executemany) and the portable path (Core) agree, a
later export records ledger payments, and any failure writes nothing."""

import re
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from recotui.domain.book import ContactPoint
from recotui.store import importing
from recotui.store.actions import record_promise
from recotui.store.case_state import refresh_cases
from recotui.store.importing import apply_book
from recotui.store.store import Store
from recotui.store.tables import CollectionCase, Debtor, Promise
from tests.store.conftest import small_book

NOW = datetime(2026, 3, 10, 8, 30, 15, 123456, tzinfo=UTC)
IDS = {"id", "debtor_id", "case_id", "payment_id", "invoice_id"}


@pytest.fixture
def fixed_now(monkeypatch):
    monkeypatch.setattr(importing, "now_utc", lambda: NOW)


def later_export(book):
    """F-1 paid in full, F-2 paid in part, a new invoice F-4 for C002; C002 renamed, with an
    e-mail, and C001 with a blank name (which keeps the stored one)."""
    first, second = book.debtors
    debtors = [replace(first, name=""),
               replace(second, name="Mme Claire Martin-Durand", city="Lyon",
                       contacts=(ContactPoint("email", "main", "claire@example.fr"),))]
    invoices = [
        replace(inv, open_minor=0) if inv.number == "F-1"
        else replace(inv, open_minor=5_000) if inv.number == "F-2" else inv
        for inv in book.invoices
    ]
    extra = replace(book.invoices[-1], number="F-4", amount_minor=7_000, open_minor=7_000)
    return replace(book, debtors=debtors, invoices=[*invoices, extra])


def stored(db, table):
    """The table's rows as SQLite holds them, ids left out or masked, in a stable order."""
    con = sqlite3.connect(db)
    try:
        cursor = con.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cursor.description]
        keep = [i for i, name in enumerate(names) if name not in IDS]
        rows = sorted(tuple(_mask(row[i]) for i in keep) for row in cursor)
        return [names[i] for i in keep], rows
    finally:
        con.close()


def _mask(value):
    return re.sub("[0-9a-f]{32}", "<id>", value) if isinstance(value, str) else value


@pytest.mark.parametrize("table", [
    "debtor", "debtor_contact", "collection_case", "invoice", "payment", "payment_allocation",
    "activity",
])
def test_bulk_rows_are_stored_as_the_orm_stores_them(tmp_path, fixed_now, table):
    dbs = []
    for raw in (True, False):
        db = tmp_path / f"raw-{raw}.sqlite3"
        store = Store.open(db)
        book = small_book(NOW.date())
        apply_book(store, book, raw=raw)
        apply_book(store, later_export(book), raw=raw)
        store.close()
        dbs.append(db)
    names, rows = stored(dbs[0], table)
    assert rows, table
    assert (names, rows) == stored(dbs[1], table)


def test_fresh_cases_are_scored_as_refresh_cases_would(store, fixed_now):
    apply_book(store, small_book(NOW.date()))
    fields = ("balance_minor", "overdue_minor", "disputed_minor", "open_invoice_count",
              "oldest_due_date", "promise_status", "promise_due_date", "plan_active",
              "next_action_at", "priority", "priority_factors", "priority_as_of")
    with Session(store.engine) as session:
        cases = session.exec(select(CollectionCase)).all()
        before = {c.id: tuple(getattr(c, f) for f in fields) for c in cases}
        refresh_cases(session, list(before), NOW)
        assert {c.id: tuple(getattr(c, f) for f in fields) for c in cases} == before
    assert {b[0] for b in before.values()} == {140_000, 5_000}
    assert all(b[9] > 0 for b in before.values())


def test_a_later_export_pays_and_keeps_the_promise(store):
    book = small_book()
    apply_book(store, book)
    with Session(store.engine) as session:
        case_id = session.exec(select(CollectionCase.id).join(Debtor).where(
            Debtor.number == "C001")).one()
    today = datetime.now(UTC).date()
    record_promise(store, case_id, None, amount_minor=120_000,
                   due_date=today + timedelta(days=3))
    summary = apply_book(store, later_export(book))
    assert (summary.payments_recorded, summary.promises_kept) == (2, 1)
    assert (summary.invoices_new, summary.invoices_updated) == (1, 2)
    with Session(store.engine) as session:
        promise = session.exec(select(Promise)).one()
        case = session.get(CollectionCase, case_id)
    assert (promise.status, promise.paid_minor) == ("kept", 120_000)
    assert (case.balance_minor, case.promise_status, case.open_invoice_count) == (5_000, "", 1)
    with Session(store.engine) as session:
        names = dict(session.exec(select(Debtor.number, Debtor.name)).all())
        city = session.exec(select(Debtor.city).where(Debtor.number == "C002")).one()
    assert names == {"C001": "Dupont SARL", "C002": "Mme Claire Martin-Durand"}
    assert city == "Lyon"
    again = apply_book(store, later_export(book))
    assert (again.payments_recorded, again.invoices_new, again.invoices_updated) == (0, 0, 0)


def test_a_failure_after_the_bulk_writes_leaves_nothing(store, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "refresh_cases_bulk", boom)
    with pytest.raises(RuntimeError):
        apply_book(store, small_book())
    con = sqlite3.connect(store.engine.url.database)
    try:
        for table in ("debtor", "debtor_contact", "collection_case", "invoice", "import_run"):
            assert con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone() == (0,), table
    finally:
        con.close()


def test_the_import_cache_size_is_given_back(store):
    apply_book(store, small_book())
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -2000
