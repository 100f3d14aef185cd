from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from recotui.store import actions, mutators
from recotui.store.actions import ActionRefused
from recotui.store.store import now_utc
from recotui.store.tables import (
    Activity,
    CollectionCase,
    Debtor,
    DebtorContact,
    Dispute,
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

    monkeypatch.setattr(mutators, "refresh_cases", boom)
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


def outbox_names(store) -> list[str]:
    with Session(store.engine) as session:
        return [o.name for o in session.exec(select(Outbox).order_by(col(Outbox.mutation_id)))]


def test_configured_codes_replace_the_vocabulary(book_store):
    case = case_of(book_store, "C001")
    mine = {"left_message_with_pa": "Left a message with the PA"}
    actions.log_call(book_store, case.id, None, disposition="left_message_with_pa", allowed=mine)
    with pytest.raises(ActionRefused, match="Unknown call outcome"):
        actions.log_call(book_store, case.id, None, disposition="no_answer", allowed=mine)
    actions.add_note(book_store, case.id, None, reason="strike", text="Grève",
                     allowed={"strike": "Strike"})
    with pytest.raises(ActionRefused, match="Unknown reason"):
        actions.add_note(book_store, case.id, None, reason="cash_flow", text="x",
                         allowed={"strike": "Strike"})
    assert outbox_names(book_store) == ["case.call", "case.note"]


def test_actions_take_the_callers_clock(book_store):
    case = case_of(book_store, "C001")
    then = now_utc().replace(microsecond=0) - timedelta(days=2)
    fact = actions.add_note(book_store, case.id, None, reason="forgot", text="x", now=then)
    with Session(book_store.engine) as session:
        stored = session.get(Activity, fact.id)
        outbox = session.exec(select(Outbox)).one()
    assert stored.client_time.replace(tzinfo=then.tzinfo) == then
    assert outbox.args["client_time"] == then.isoformat()
    with pytest.raises(ValueError, match="aware"):
        actions.add_note(book_store, case.id, None, reason="forgot", text="x",
                         now=then.replace(tzinfo=None))


def test_refusals_carry_a_template_to_translate(book_store):
    case = case_of(book_store, "C001")
    with pytest.raises(ActionRefused) as caught:
        actions.record_promise(book_store, case.id, None, amount_minor=100,
                               due_date=now_utc().date() + timedelta(days=40), horizon_days=10)
    assert str(caught.value) == "The promised date is more than 10 days away."
    assert caught.value.template == "The promised date is more than {days} days away."
    assert caught.value.params == {"days": 10}


def test_dial_is_logged_and_do_not_call_numbers_are_refused(book_store):
    case = case_of(book_store, "C001")
    fact = actions.log_dial(book_store, case.id, None, phone="+33 1 23 45 67 89",
                            dialler="linphonecsh dial +33 1 23 45 67 89")
    assert fact.kind == "dial"
    assert fact.payload == {"phone": "+33 1 23 45 67 89",
                            "dialler": "linphonecsh dial +33 1 23 45 67 89"}
    assert outbox_names(book_store) == ["case.dial"]
    with Session(book_store.engine) as session, session.begin():
        contact = session.exec(select(DebtorContact)).first()
        contact.do_not_call = True
    with pytest.raises(ActionRefused, match="number is marked do-not-call"):
        actions.log_dial(book_store, case.id, None, phone="+33 1 23 45 67 89")
    with Session(book_store.engine) as session, session.begin():
        session.get(Debtor, case.debtor_id).do_not_call = True
    with pytest.raises(ActionRefused, match="debtor is marked do-not-call"):
        actions.log_dial(book_store, case.id, None, phone="+33 6 00 00 00 00")
    with pytest.raises(ActionRefused, match="Choose a number"):
        actions.log_dial(book_store, case.id, None, phone="  ")
    assert counts(book_store) == (1, 1)


def test_resolving_a_dispute_puts_its_invoices_back_in_collection(book_store):
    case = case_of(book_store, "C001")
    with Session(book_store.engine) as session:
        f1, f2 = session.exec(select(Invoice).order_by(col(Invoice.number))).all()[:2]
    before = case_of(book_store, "C001")
    actions.open_dispute(book_store, case.id, None, invoice_ids=[f1.id, f2.id],
                         category="price", text="Prix contesté")
    with pytest.raises(ActionRefused, match="Unknown dispute resolution"):
        actions.resolve_dispute(book_store, case.id, None, invoice_ids=[f1.id],
                                resolution="shrug")
    with pytest.raises(ActionRefused, match="at least one"):
        actions.resolve_dispute(book_store, case.id, None, invoice_ids=[],
                                resolution="corrected")
    actions.resolve_dispute(book_store, case.id, None, invoice_ids=[f1.id],
                            resolution="invoice_confirmed", text="Prix conforme")
    with Session(book_store.engine) as session:
        assert session.exec(select(Dispute)).one().status == "open"  # F-2 is still disputed
    assert case_of(book_store, "C001").disputed_minor == 20_000
    with pytest.raises(ActionRefused, match="not in dispute"):
        actions.resolve_dispute(book_store, case.id, None, invoice_ids=[f1.id],
                                resolution="corrected")
    actions.resolve_dispute(book_store, case.id, None, invoice_ids=[f2.id],
                            resolution="corrected")
    after = case_of(book_store, "C001")
    assert after.disputed_minor == 0
    assert after.overdue_minor == before.overdue_minor
    with Session(book_store.engine) as session:
        dispute = session.exec(select(Dispute)).one()
    assert dispute.status == "resolved" and dispute.resolved_at is not None
    assert outbox_names(book_store) == ["case.dispute", "case.dispute_resolved",
                                        "case.dispute_resolved"]
