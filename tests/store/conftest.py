from datetime import date, timedelta

import pytest

from recotui.domain.book import ContactPoint, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.store.importing import apply_book
from recotui.store.store import Store, now_utc


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "book.sqlite3")
    yield opened
    opened.close()


def small_book(today: date | None = None) -> ParsedBook:
    """Two debtors: one with an old and a recent invoice, one with an invoice not yet due."""
    today = today or now_utc().date()
    return ParsedBook(
        source="book.csv", format="csv", lines_read=4,
        debtors=[
            DebtorRecord("C001", "Dupont SARL",
                         contacts=(ContactPoint("phone", "office", "+33 1 23 45 67 89"),)),
            DebtorRecord("C002", "Mme Claire Martin"),
        ],
        invoices=[
            InvoiceRecord("C001", "F-1", today - timedelta(days=130), today - timedelta(days=100),
                          120_000, 120_000),
            InvoiceRecord("C001", "F-2", today - timedelta(days=40), today - timedelta(days=10),
                          30_000, 20_000),
            InvoiceRecord("C002", "F-3", today - timedelta(days=5), today + timedelta(days=25),
                          5_000, 5_000),
        ],
    )


@pytest.fixture
def book_store(store):
    apply_book(store, small_book())
    return store
