from datetime import UTC, date, datetime, time, timedelta

import pytest

from recotui.app import RecoApp
from recotui.config import Settings
from recotui.domain.book import DebtorRecord, InvoiceRecord, ParsedBook
from recotui.store.importing import apply_book
from recotui.store.store import Store

# Calls allowed at any hour, so what the screen shows does not depend on the day of the week.
ALWAYS_OPEN = {"hours": {day: "00:00-23:59"
                         for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}


def clock() -> datetime:
    """Today at 09:00 UTC: fixed within a day, and the test books are dated from today."""
    return datetime.combine(date.today(), time(9), tzinfo=UTC)


NAMES = ["Boulangerie", "Transports", "Garage", "Pharmacie", "Menuiserie", "Librairie",
         "Plomberie", "Imprimerie", "Fromagerie"]


def book(n: int) -> ParsedBook:
    """n debtors with distinct overdue amounts and ages, dated relative to today so the
    rendered days-past-due stay the same from day to day."""
    today = date.today()
    debtors, invoices = [], []
    for i in range(n):
        number = f"C{i:04d}"
        debtors.append(DebtorRecord(number, f"{NAMES[i % len(NAMES)]} {i:02d} SARL"))
        due = today - timedelta(days=5 + 7 * i)
        invoices.append(InvoiceRecord(number, f"F{i:04d}", due - timedelta(days=30), due,
                                      10_000 + 12_345 * i, 10_000 + 12_345 * i))
    return ParsedBook("test.csv", "csv", debtors=debtors, invoices=invoices)


@pytest.fixture
def make_app(tmp_path):
    def make(n: int = 45) -> RecoApp:
        db = tmp_path / "book.sqlite3"
        store = Store.open(db)
        if n:
            apply_book(store, book(n))
        store.close()
        return RecoApp(Settings(db=db, language="fr", contact_policy=ALWAYS_OPEN), clock=clock)

    return make


async def settle(pilot) -> None:
    """Let the store workers finish and the screen repaint."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
