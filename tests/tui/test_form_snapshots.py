"""Each action form at 80x24 over a fixed book and a fixed clock (Tue 10 Mar 2026 09:00 UTC).

Most are in English; the promise with an error is also in French (its strings are all in
recotui/locale/fr_forms.py)."""

import pytest
from sqlmodel import Session, col, select

from recotui.store import actions
from recotui.store.store import Store
from recotui.store.tables import Invoice
from tests.tui.forms.host import NOW, FormHost, build_store, case_id, settle

FORMS = ["call", "note", "promise", "plan", "payment", "dispute", "callback", "escalate",
         "close", "dial"]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "forms.sqlite3"
    build_store(path)
    return path


async def opened(pilot) -> None:
    await settle(pilot)


@pytest.mark.parametrize("form", FORMS)
def test_form_at_80x24(snap_compare, db, form):
    assert snap_compare(FormHost(db, form), terminal_size=(80, 24), run_before=opened)


def test_promise_error_in_french_at_80x24(snap_compare, db):
    async def bad_amount(pilot):
        await settle(pilot)
        await pilot.press(*"1234,567", "enter")
        await settle(pilot)

    assert snap_compare(FormHost(db, "promise", language="fr"), terminal_size=(80, 24),
                        run_before=bad_amount)


def test_plan_with_a_down_payment_at_80x24(snap_compare, db):
    async def twelve_with_down_payment(pilot):
        await settle(pilot)
        await pilot.press(*"12", "tab", "tab", "tab", *"200")
        await settle(pilot)

    assert snap_compare(FormHost(db, "plan"), terminal_size=(80, 24),
                        run_before=twelve_with_down_payment)


def test_dispute_resolution_at_80x24(snap_compare, db):
    store = Store.open(db)
    with Session(store.engine) as session:
        f1 = session.exec(select(Invoice.id).where(col(Invoice.number) == "F-1")).one()
    actions.open_dispute(store, case_id(store), None, invoice_ids=[f1], category="quality",
                         text="x", now=NOW)
    store.close()

    async def resolve(pilot):
        await settle(pilot)
        await pilot.press("enter", "down", "enter", "tab")
        await settle(pilot)

    assert snap_compare(FormHost(db, "dispute"), terminal_size=(80, 24), run_before=resolve)


def test_dial_blocked_at_80x24(snap_compare, db):
    store = Store.open(db)
    actions.log_call(store, case_id(store), None, disposition="right_party", now=NOW)
    store.close()
    assert snap_compare(FormHost(db, "dial", contact_policy={}), terminal_size=(80, 24),
                        run_before=opened)
