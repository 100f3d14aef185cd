from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from recotui.store import actions
from recotui.store.actions import ActionRefused
from recotui.store.store import now_utc
from recotui.store.tables import (
    Activity,
    CollectionCase,
    Debtor,
    Instalment,
    Invoice,
    Outbox,
    Promise,
)


def case_of(store, number: str) -> CollectionCase:
    with Session(store.engine) as session:
        return session.exec(
            select(CollectionCase).join(Debtor).where(col(Debtor.number) == number)).one()


def counts(store) -> tuple[int, int]:
    with Session(store.engine) as session:
        return (len(session.exec(select(Activity)).all()), len(session.exec(select(Outbox)).all()))


def test_each_action_writes_its_fact_and_an_outbox_row(book_store):
    case = case_of(book_store, "C001")
    today = now_utc().date()
    actions.log_call(book_store, case.id, None, disposition="right_party", phone="+33 1")
    actions.add_note(book_store, case.id, None, reason="cash_flow", text="Trésorerie tendue")
    actions.record_promise(book_store, case.id, None, amount_minor=50_000,
                           due_date=today + timedelta(days=3))
    actions.schedule_callback(book_store, case.id, None, at=now_utc() + timedelta(hours=2))
    actions.escalate(book_store, case.id, None)
    with Session(book_store.engine) as session:
        outbox = session.exec(select(Outbox).order_by(col(Outbox.mutation_id))).all()
        facts = session.exec(select(Activity).order_by(col(Activity.client_time))).all()
    assert [o.mutation_id for o in outbox] == [1, 2, 3, 4, 5]  # rises by one
    assert [o.name for o in outbox] == [
        "case.call", "case.note", "case.promise", "case.callback", "case.stage"]
    assert [o.args["activity_id"] for o in outbox] == [f.id.hex for f in facts]
    after = case_of(book_store, "C001")
    assert after.stage == "relance_1" and after.promise_status == "pending"
    assert after.last_contact_at is not None and after.callback_at is not None


def test_a_failure_inside_the_transaction_writes_nothing(book_store, monkeypatch):
    case = case_of(book_store, "C001")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "refresh_cases", boom)
    with pytest.raises(RuntimeError):
        actions.add_note(book_store, case.id, None, reason="forgot", text="x")
    assert counts(book_store) == (0, 0)


@pytest.mark.parametrize("amount, days, message", [
    (0, 3, "more than zero"),
    (-100, 3, "more than zero"),
    (140_001, 3, "more than the balance"),
    (10_000, -1, "in the past"),
    (10_000, 31, "more than 30 days"),
])
def test_promise_rules(book_store, amount, days, message):
    case = case_of(book_store, "C001")  # balance 1 400,00 €
    with pytest.raises(ActionRefused, match=message):
        actions.record_promise(book_store, case.id, None, amount_minor=amount,
                               due_date=now_utc().date() + timedelta(days=days))
    assert counts(book_store) == (0, 0)


def test_payment_goes_to_the_oldest_invoice_and_keeps_the_promise(book_store):
    case = case_of(book_store, "C001")
    today = now_utc().date()
    actions.record_promise(book_store, case.id, None, amount_minor=100_000,
                           due_date=today + timedelta(days=2))
    actions.record_payment(book_store, case.id, None, amount_minor=130_000, received_on=today,
                           method="transfer")
    with Session(book_store.engine) as session:
        invoices = {i.number: i for i in session.exec(select(Invoice))}
        promise = session.exec(select(Promise)).one()
    assert invoices["F-1"].open_minor == 0 and invoices["F-1"].status == "paid"
    assert invoices["F-2"].open_minor == 10_000 and invoices["F-2"].status == "partial"
    assert promise.status == "kept"
    after = case_of(book_store, "C001")
    assert after.balance_minor == 10_000 and after.promise_status == ""


def test_payment_above_the_open_amount_is_refused(book_store):
    case = case_of(book_store, "C001")
    with pytest.raises(ActionRefused, match="more than the open amount"):
        actions.record_payment(book_store, case.id, None, amount_minor=140_001,
                               received_on=now_utc().date(), method="cheque")


def test_dispute_takes_invoices_out_of_the_overdue_balance(book_store):
    case = case_of(book_store, "C001")
    with Session(book_store.engine) as session:
        f1 = session.exec(select(Invoice).where(col(Invoice.number) == "F-1")).one()
    before = case_of(book_store, "C001")
    actions.open_dispute(book_store, case.id, None, invoice_ids=[f1.id], category="quality",
                         text="Marchandise abîmée")
    after = case_of(book_store, "C001")
    assert after.disputed_minor == 120_000
    assert after.overdue_minor == before.overdue_minor - 120_000
    assert after.priority < before.priority


def test_plan_builds_instalments_summing_to_the_balance(book_store):
    case = case_of(book_store, "C001")
    actions.create_plan(book_store, case.id, None, count=3, frequency="monthly",
                        first_date=now_utc().date() + timedelta(days=1),
                        down_payment_minor=10_000)
    with Session(book_store.engine) as session:
        instalments = session.exec(select(Instalment).order_by(col(Instalment.seq))).all()
    assert len(instalments) == 4
    assert sum(i.amount_minor for i in instalments) == 140_000
    assert case_of(book_store, "C001").plan_active


def test_escalation_stops_at_contentieux_and_close_needs_a_zero_balance(book_store):
    case = case_of(book_store, "C001")
    for _ in range(4):
        actions.escalate(book_store, case.id, None)
    with pytest.raises(ActionRefused, match="last stage"):
        actions.escalate(book_store, case.id, None)
    with pytest.raises(ActionRefused, match="not paid"):
        actions.close_case(book_store, case.id, None, reason="paid")
    actions.close_case(book_store, case.id, None, reason="written_off")
    closed = case_of(book_store, "C001")
    assert closed.status == "closed" and closed.priority == 0
    with pytest.raises(ActionRefused, match="closed"):
        actions.add_note(book_store, case.id, None, reason="forgot", text="x")


def test_unknown_codes_are_refused(book_store):
    case = case_of(book_store, "C001")
    with pytest.raises(ActionRefused):
        actions.log_call(book_store, case.id, None, disposition="teleported")
    with pytest.raises(ActionRefused):
        actions.close_case(book_store, case.id, None, reason="vanished")
