"""A small book at a fixed date, with one debtor for each thing the ladder must get right."""

from datetime import UTC, date, datetime

import pytest

from recotui.domain.book import ContactPoint, DebtorKind, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.letters.settings import Creditor, LetterSettings
from recotui.store import actions
from recotui.store.importing import apply_book
from recotui.store.ladder_store import find_case
from recotui.store.store import Store

AS_OF = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
CREDITOR = Creditor(
    name="Fournitures Martin SAS", address="12 rue des Lilas\n69003 Lyon",
    legal_id="552 100 554 00012", phone="04 72 00 00 00", email="recouvrement@martin.example",
    iban="FR76 3000 6000 0112 3456 7890 189", bic="AGRIFRPP", city="Lyon",
)


def book() -> ParsedBook:
    d = date
    mail = (ContactPoint("email", "accounting", "compta@dupont.example"),)
    return ParsedBook(
        source="book.csv", format="csv", lines_read=9,
        debtors=[
            DebtorRecord("C001", "Dupont SARL", legal_id="732829320", contacts=mail,
                         address="3 avenue Foch", postcode="75016", city="Paris"),
            DebtorRecord("C002", "Mme Claire Martin", DebtorKind.CONSUMER,
                         address="8 rue Neuve", postcode="69001", city="Lyon"),
            DebtorRecord("C003", "Payé SA"),
            DebtorRecord("C004", "Litige SAS"),
            DebtorRecord("C005", "Promesse SARL"),
            DebtorRecord("C006", "Echeancier SNC"),
            DebtorRecord("C007", "Bientot Dû SA"),
            DebtorRecord("C008", "Smith Trading Ltd", language="en", address="1 High Street",
                         postcode="EC1A 1AA", city="London", country="GB"),
        ],
        invoices=[
            InvoiceRecord("C001", "F-1", d(2025, 4, 1), d(2025, 5, 1), 1_000_000, 1_000_000),
            InvoiceRecord("C001", "F-2", d(2025, 11, 1), d(2025, 12, 1), 250_000, 250_000),
            InvoiceRecord("C002", "F-3", d(2026, 1, 2), d(2026, 2, 1), 45_000, 45_000),
            InvoiceRecord("C003", "F-4", d(2026, 1, 2), d(2026, 2, 1), 30_000, 0),
            InvoiceRecord("C004", "F-5", d(2026, 1, 2), d(2026, 2, 1), 30_000, 30_000),
            InvoiceRecord("C005", "F-6", d(2026, 1, 2), d(2026, 2, 1), 30_000, 30_000),
            InvoiceRecord("C006", "F-7", d(2026, 1, 2), d(2026, 2, 1), 30_000, 30_000),
            InvoiceRecord("C007", "F-8", d(2026, 2, 5), d(2026, 3, 5), 12_000, 12_000),
            InvoiceRecord("C008", "F-9", d(2026, 1, 2), d(2026, 2, 1), 80_000, 80_000),
        ],
    )


def case_of(store: Store, number: str):
    case_id = find_case(store, number)
    assert case_id is not None
    return case_id


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "book.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def ladder_store(store):
    """The book, with a payment of 1,000 € on F-2 on 15 January and the three holds."""
    apply_book(store, book())
    early = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    c1 = case_of(store, "C001")
    with store.transaction() as session:
        from sqlmodel import select

        from recotui.store.tables import Invoice
        f2 = session.exec(select(Invoice).where(Invoice.number == "F-2")).one().id
        f5 = session.exec(select(Invoice).where(Invoice.number == "F-5")).one().id
    actions.record_payment(store, c1, None, amount_minor=100_000, received_on=date(2026, 1, 15),
                           method="transfer", invoice_ids=[f2], now=early)
    actions.open_dispute(store, case_of(store, "C004"), None, invoice_ids=[f5],
                         category="quality", text="broken", now=NOW)
    actions.record_promise(store, case_of(store, "C005"), None, amount_minor=30_000,
                           due_date=date(2026, 3, 10), today=AS_OF, now=NOW)
    actions.create_plan(store, case_of(store, "C006"), None, count=3, frequency="monthly",
                        first_date=date(2026, 3, 15), today=AS_OF, now=NOW)
    return store


@pytest.fixture
def settings(tmp_path):
    return LetterSettings(creditor=CREDITOR, out_dir=tmp_path / "letters")
