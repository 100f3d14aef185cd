"""Pilot tests of the forms about money: promise, plan, payment, dispute. Bad input is
explained next to the form, what was typed stays, and nothing is written until it is right."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select
from textual.widgets import Input, Select, Static

from recotui.store import actions
from recotui.store.tables import Dispute, Instalment, Invoice, Payment, PaymentPlan, Promise
from tests.tui.forms.host import NOW, FormHost, case_id, facts, fill, outbox, save


def field(app, selector: str) -> str:
    return app.screen.query_one(selector, Input).value


def invoices(store) -> dict[str, Invoice]:
    with Session(store.engine) as session:
        return {i.number: i for i in session.exec(select(Invoice))}


# -- promise --------------------------------------------------------------------------------


async def test_promise_defaults_take_two_keys(db, store):
    app = FormHost(db, "promise")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert field(app, "#amount") == "1400.00"  # the overdue amount
        assert field(app, "#date") == "2026-03-17"  # a week ahead
        await save(pilot)
        assert app.result is True
    with Session(store.engine) as session:
        promise = session.exec(select(Promise)).one()
    assert (promise.amount_minor, promise.due_date, promise.status) == (
        140_000, date(2026, 3, 17), "pending")
    [fact] = facts(store, "promise")
    assert fact.payload["amount_minor"] == 140_000
    assert [o.name for o in outbox(store)] == ["case.promise"]


@pytest.mark.parametrize("amount, day, error", [
    ("abc", "+7", "Amount: abc is not a number"),
    ("-50", "+7", "Amount: -50 must not be negative"),
    ("0", "+7", "Amount: 0 must be more than zero"),
    ("1234,567", "+7", "Amount: 1234,567 has more than 2 decimals"),
    ("12,345", "+7", "Amount: 12,345 is ambiguous"),
    ("1500", "+7", "Amount: €1,500.00 is more than the balance of €1,400.00"),
    ("", "+7", "Amount: required"),
    ("500", "31/02/2026", "Date: 31/02/2026 is not a date"),
    ("500", "09/03/2026", "Date: 2026-03-09 is in the past"),
    ("500", "+31", "Date: 2026-04-10 is more than 30 days away"),
    ("500", "soon", "Date: soon is not a date"),
])
async def test_promise_bad_input_is_explained_and_kept(db, store, amount, day, error):
    app = FormHost(db, "promise")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill(pilot, "#amount", amount)
        await fill(pilot, "#date", day)
        await save(pilot)
        assert app.result == "pending"
        assert app.form.error_text.startswith(error)
        assert app.screen.query_one("#form-error", Static).display
        assert (field(app, "#amount"), field(app, "#date")) == (amount, day)
        culprit = "#amount" if error.startswith("Amount") else "#date"
        assert app.focused.id == culprit[1:]
        assert app.screen.query_one(culprit).has_class("-invalid")
    assert facts(store) == [] and outbox(store) == []


async def test_promise_fixed_after_an_error(db, store):
    app = FormHost(db, "promise", promise_horizon_days=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill(pilot, "#amount", "12,50x")
        await save(pilot)
        assert app.form.error_text == "Amount: 12,50x is not a number"
        await pilot.press("backspace")  # right again: the error goes
        assert app.form.error_text == ""
        await fill(pilot, "#date", "+11")
        await save(pilot)
        assert app.form.error_text == "Date: 2026-03-21 is more than 10 days away"
        await fill(pilot, "#date", "20/03/2026")
        assert "Fri 20 Mar 2026" in str(app.screen.query_one("#date-note").render())
        await save(pilot)
        assert app.result is True
    with Session(store.engine) as session:
        promise = session.exec(select(Promise)).one()
    assert (promise.amount_minor, promise.due_date) == (1250, date(2026, 3, 20))


async def test_promise_errors_in_french(db, store):
    app = FormHost(db, "promise", language="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert field(app, "#amount") == "1400,00"
        assert field(app, "#date") == "17/03/2026"
        await fill(pilot, "#amount", "1234,567")
        await save(pilot)
        assert app.form.error_text == "Montant : 1234,567 a plus de 2 décimales"
        await fill(pilot, "#amount", "1 500")
        await save(pilot)
        assert app.form.error_text == \
            "Montant : 1\u202f500,00\u00a0€ dépasse le solde de 1\u202f400,00\u00a0€"
    assert facts(store) == []


# -- plan -----------------------------------------------------------------------------------


def preview(app) -> str:
    return str(app.screen.query_one("#preview", Static).render())


async def test_plan_preview_follows_the_fields_and_is_saved(db, store):
    app = FormHost(db, "plan")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert preview(app).count("\n") == 2  # 3 monthly instalments
        assert "Tue 17 Mar 2026" in preview(app) and "€466.68" in preview(app)
        await fill(pilot, "#count", "4")
        await fill(pilot, "#down", "200")
        text = preview(app)
        assert text.count("\n") == 4 and "down payment" in text
        assert "€200.00" in text and "€300.00" in text
        # fortnightly, through the drop-down, by keyboard
        app.screen.query_one("#frequency", Select).focus()
        await pilot.press("enter", "up", "enter")
        await pilot.pause()
        assert app.screen.query_one("#frequency", Select).value == "fortnightly"
        assert "Tue 31 Mar 2026" in preview(app)  # two weeks after the down payment
        await save(pilot, "ctrl+s")
        assert app.result is True
    with Session(store.engine) as session:
        plan = session.exec(select(PaymentPlan)).one()
        items = session.exec(select(Instalment).order_by(col(Instalment.seq))).all()
    assert (plan.frequency, plan.instalment_count, plan.down_payment_minor) == (
        "fortnightly", 4, 20_000)
    assert [i.amount_minor for i in items] == [20_000, 30_000, 30_000, 30_000, 30_000]
    assert items[1].due_date == date(2026, 3, 31)
    assert [o.name for o in outbox(store)] == ["case.plan"]


async def test_plan_with_many_instalments_shows_a_short_preview(db, store):
    app = FormHost(db, "plan")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill(pilot, "#count", "24")
        text = preview(app)
        assert "… 19 more" in text and text.count("\n") == 5
        assert "Thu 17 Feb 2028" in text  # the last one


@pytest.mark.parametrize("selector, text, error", [
    ("#count", "abc", "Instalments: abc is not a whole number"),
    ("#count", "0", "A plan has between 1 and 120 instalments."),
    ("#count", "", "Instalments: required"),
    ("#down", "1400", "The down payment must be less than the plan total."),
    ("#down", "-5", "Down payment: -5 must not be negative"),
    ("#down", "1,999", "Down payment: 1,999 is ambiguous"),
    ("#first", "31/02/2026", "First date: 31/02/2026 is not a date"),
    ("#first", "01/03/2026", "First date: 2026-03-01 is in the past"),
])
async def test_plan_bad_input_is_explained_and_kept(db, store, selector, text, error):
    app = FormHost(db, "plan")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill(pilot, selector, text)
        if "in the past" not in error:  # the live preview says it as you type
            assert preview(app).startswith(error)
        await save(pilot)
        assert app.result == "pending"
        assert app.form.error_text.startswith(error)
        assert field(app, selector) == text
    assert facts(store) == []


# -- payment --------------------------------------------------------------------------------


async def test_payment_goes_to_the_oldest_invoices_first(db, store):
    app = FormHost(db, "payment")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"1300")
        assert str(app.screen.query_one("#allocation").render()) == \
            "→ F-1 €1,200.00 · F-2 €100.00"
        await fill(pilot, "#reference", "VIR 4471")
        await save(pilot)
        assert app.result is True
    by_number = invoices(store)
    assert (by_number["F-1"].open_minor, by_number["F-2"].open_minor) == (0, 10_000)
    with Session(store.engine) as session:
        payment = session.exec(select(Payment)).one()
    assert (payment.amount_minor, payment.received_on, payment.method, payment.reference) == (
        130_000, date(2026, 3, 10), "transfer", "VIR 4471")
    assert [o.name for o in outbox(store)] == ["case.payment"]


async def test_payment_to_the_ticked_invoice(db, store):
    app = FormHost(db, "payment")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"150")
        app.screen.query_one("#invoices").focus()
        await pilot.press("down", "space")  # tick F-2
        await pilot.pause()
        assert str(app.screen.query_one("#allocation").render()) == "→ F-2 €150.00"
        await fill(pilot, "#date", "+0")
        app.screen.query_one("#method", Select).value = "cheque"
        await save(pilot, "ctrl+s")
        assert app.result is True
    by_number = invoices(store)
    assert (by_number["F-1"].open_minor, by_number["F-2"].open_minor) == (120_000, 5_000)
    [fact] = facts(store, "payment")
    assert fact.payload["method"] == "cheque"
    assert fact.payload["invoice_ids"] == [by_number["F-2"].id.hex]


async def test_payment_defaults_to_what_was_promised(db, store):
    actions.record_promise(store, case_id(store), None, amount_minor=25_000,
                           due_date=date(2026, 3, 12), today=NOW.date(), now=NOW)
    app = FormHost(db, "payment")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert field(app, "#amount") == "250.00"
        await save(pilot)
        assert app.result is True
    with Session(store.engine) as session:
        assert session.exec(select(Promise)).one().status == "kept"


@pytest.mark.parametrize("amount, day, tick, error", [
    ("deux cents", "", False, "Amount: deux cents is not a number"),
    ("-10", "", False, "Amount: -10 must not be negative"),
    ("1234.567", "", False, "Amount: 1234.567 has more than 2 decimals"),
    ("1400.01", "", False, "Amount: €1,400.01 is more than the €1,400.00 open on the case"),
    ("250", "", True, "Amount: €250.00 is more than the €200.00 open on the ticked invoices"),
    ("100", "+1", False, "Received on: 2026-03-11 is in the future"),
    ("100", "30/02/2026", False, "Received on: 30/02/2026 is not a date"),
])
async def test_payment_bad_input_is_explained_and_kept(db, store, amount, day, tick, error):
    app = FormHost(db, "payment")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill(pilot, "#amount", amount)
        if day:
            await fill(pilot, "#date", day)
        if tick:
            app.screen.query_one("#invoices").focus()
            await pilot.press("down", "space")
        await save(pilot, "ctrl+s")
        assert app.result == "pending"
        assert app.form.error_text == error
        assert field(app, "#amount") == amount
        if day:
            assert field(app, "#date") == day
    assert facts(store) == [] and outbox(store) == []


# -- dispute --------------------------------------------------------------------------------


async def test_dispute_takes_the_ticked_invoice_out_of_collection(db, store):
    app = FormHost(db, "dispute")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.id == "open-invoices"
        await pilot.press("space")  # F-1
        await pilot.press("tab", "enter", "down", "down", "down", "enter")  # category: price
        await pilot.pause()
        assert app.screen.query_one("#category", Select).value == "price"
        await pilot.press("tab", *"Remise non appliquée")
        await save(pilot)
        assert app.result is True
    by_number = invoices(store)
    assert by_number["F-1"].disputed and not by_number["F-2"].disputed
    [fact] = facts(store, "dispute")
    assert fact.payload["category"] == "price"
    assert fact.payload["invoice_ids"] == [by_number["F-1"].id.hex]
    assert [o.name for o in outbox(store)] == ["case.dispute"]


@pytest.mark.parametrize("tick, category, text, error", [
    (False, "quality", "abîmé", "Tick at least one invoice in dispute."),
    (True, None, "abîmé", "Category: choose one"),
    (True, "quality", "  ", "What is wrong: required"),
])
async def test_dispute_needs_invoices_a_category_and_a_reason(db, store, tick, category,
                                                             text, error):
    app = FormHost(db, "dispute")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if tick:
            await pilot.press("space")
        if category:
            app.screen.query_one("#category", Select).value = category
        await fill(pilot, "#text", text)
        await save(pilot)
        assert app.result == "pending"
        assert app.form.error_text.startswith(error)
        assert field(app, "#text") == text
    assert facts(store) == []


async def test_dispute_form_resolves_an_open_dispute(db, store):
    by_number = invoices(store)
    actions.open_dispute(store, case_id(store), None, invoice_ids=[by_number["F-1"].id],
                         category="quality", text="Cassé", now=NOW)
    app = FormHost(db, "dispute")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "1 invoice(s) in dispute (€1,200.00)" in app.form.heading()
        assert app.focused.id == "mode"
        await pilot.press("enter", "down", "enter")  # Resolve a dispute
        await pilot.pause()
        assert app.form.mode == "resolve"
        await pilot.press("tab")  # the disputed invoices, all ticked
        assert app.focused.id == "resolve-invoices"
        await pilot.press("tab", "tab", *"Avoir accordé")
        await save(pilot)
        assert app.result is True
    assert not invoices(store)["F-1"].disputed
    with Session(store.engine) as session:
        assert session.exec(select(Dispute)).one().status == "resolved"
    [fact] = facts(store, "dispute_resolved")
    assert fact.payload["resolution"] == "invoice_confirmed"
    assert fact.payload["text"] == "Avoir accordé"
    assert [o.name for o in outbox(store)] == ["case.dispute", "case.dispute_resolved"]


async def test_resolving_needs_a_ticked_invoice(db, store):
    by_number = invoices(store)
    actions.open_dispute(store, case_id(store), None,
                         invoice_ids=[by_number["F-1"].id, by_number["F-2"].id],
                         category="price", text="Prix", now=NOW)
    app = FormHost(db, "dispute")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # nothing left to dispute: the form opens on resolving
        assert app.form.mode == "resolve"
        assert app.focused.id == "mode"
        app.screen.query_one("#resolve-invoices").focus()
        await pilot.press("space", "down", "space")  # untick both
        await save(pilot)
        assert app.form.error_text == "Tick at least one invoice to put back in collection."
        await pilot.press("space")  # tick F-2 again
        await save(pilot)
        assert app.result is True
    by_number = invoices(store)
    assert by_number["F-1"].disputed and not by_number["F-2"].disputed


async def test_plan_and_promise_dates_use_the_clock_given(db, store):
    """The form's 'today' is the app's clock, not the machine's."""
    later = NOW + timedelta(days=400)
    app = FormHost(db, "promise", clock=later)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert field(app, "#date") == (later.date() + timedelta(days=7)).isoformat()
        await save(pilot)
        assert app.result is True
    assert facts(store, "promise")[0].client_time.date() == later.date()
