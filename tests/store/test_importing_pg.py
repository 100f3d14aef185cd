"""apply_book on PostgreSQL: the portable path (Core executemany), in a schema of its own.

Skipped when psycopg is missing or nothing listens at 127.0.0.1:5432.
"""

import uuid

import pytest
from sqlalchemy import create_engine, text

from recotui.store.importing import apply_book
from recotui.store.store import Store
from tests.store.conftest import small_book
from tests.store.test_importing import later_export

pytest.importorskip("psycopg")

URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_store():
    admin = create_engine(URL)
    schema = f"import_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means skip
        admin.dispose()
        pytest.skip(f"PostgreSQL unavailable: {exc.__class__.__name__}")
    store = Store.open(f"{URL}?options=-csearch_path%3D{schema}")
    try:
        yield store
    finally:
        store.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_import_into_postgresql(pg_store):
    book = small_book()
    first = apply_book(pg_store, book)
    assert (first.debtors_new, first.invoices_new) == (2, 3)
    assert apply_book(pg_store, book).invoices_new == 0  # idempotent
    later = apply_book(pg_store, later_export(book))
    assert (later.payments_recorded, later.invoices_new, later.invoices_updated) == (2, 1, 2)
    with pg_store.engine.connect() as conn:
        cases = conn.execute(text(
            "SELECT d.number, c.balance_minor, c.open_invoice_count, c.priority > 0 "
            "FROM collection_case c JOIN debtor d ON d.id = c.debtor_id ORDER BY d.number"
        )).all()
        payments = conn.execute(text("SELECT count(*) FROM payment")).scalar()
    assert [tuple(row) for row in cases] == [("C001", 5_000, 1, True), ("C002", 12_000, 2, True)]
    assert payments == 2
