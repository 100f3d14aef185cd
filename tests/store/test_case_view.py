"""The case view: everything the case screen shows, read in one session as plain values."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from sqlmodel import Session, col, select

from recotui.domain.book import ContactPoint, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.store import actions
from recotui.store.case_view import ATTEMPT_LOOKBACK, case_view, full_history
from recotui.store.importing import apply_book
from recotui.store.tables import Activity, Campaign, CollectionCase, Debtor, Invoice, User

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


@contextmanager
def at(moment: datetime):
    with mock.patch("recotui.store.actions.now_utc", lambda: moment), \
            mock.patch("recotui.store.importing.now_utc", lambda: moment):
        yield


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def case(store):
    """One company debtor, three invoices (one imported part-paid), a history by two users."""
    book = ParsedBook("b.csv", "csv", debtors=[DebtorRecord(
        "C1", "Dupont SARL", legal_id="123456789", timezone="Europe/Paris",
        contacts=(ContactPoint("phone", "office", "+33 1 00 00 00 01"),
                  ContactPoint("email", "accounting", "compta@dupont.example"),
                  ContactPoint("phone", "mobile", "+33 6 00 00 00 02")))], invoices=[
        InvoiceRecord("C1", "F-1", TODAY - timedelta(days=90), TODAY - timedelta(days=60),
                      100_000, 100_000),
        InvoiceRecord("C1", "F-2", TODAY - timedelta(days=60), TODAY - timedelta(days=30),
                      50_000, 30_000),
        InvoiceRecord("C1", "F-3", TODAY - timedelta(days=10), TODAY + timedelta(days=20),
                      20_000, 20_000),
    ])
    with at(ago(100)):
        apply_book(store, book)
    alice = User(username="alice", display_name="Alice Moreau", created_at=NOW)
    bob = User(username="bob", created_at=NOW)  # no display name: the username shows
    campaign = Campaign(name="Relances PME", created_at=NOW)
    with store.transaction() as session:
        session.add_all([alice, bob, campaign])
    with Session(store.engine) as session:
        case_id = session.exec(select(CollectionCase.id)).one()
    with at(ago(50)):
        actions.assign_case(store, case_id, bob.id, agent_id=alice.id, campaign_id=campaign.id)
    with at(ago(40)):
        actions.log_call(store, case_id, alice.id, disposition="no_answer")
    with at(ago(20)):
        actions.record_payment(store, case_id, None, amount_minor=40_000,
                               received_on=TODAY - timedelta(days=20), method="transfer")
    with at(ago(10)):
        actions.log_call(store, case_id, alice.id, disposition="right_party")
    with at(ago(10) + timedelta(minutes=5)):
        actions.create_plan(store, case_id, alice.id, count=3, frequency="monthly",
                            first_date=TODAY - timedelta(days=5), today=TODAY - timedelta(days=10))
    with at(ago(3)):
        actions.record_promise(store, case_id, alice.id, amount_minor=10_000,
                               due_date=TODAY + timedelta(days=2), today=TODAY - timedelta(days=3))
    with at(ago(2)):
        actions.add_note(store, case_id, alice.id, reason="cash_flow", text="Trésorerie tendue.")
    return case_id, alice, bob, campaign


def test_the_debtor_card(store, case):
    case_id, *_ = case
    with Session(store.engine) as session:
        view = case_view(session, case_id, now=NOW)
    d = view.debtor
    assert (d.number, d.name, d.legal_id, d.timezone, d.kind) == (
        "C1", "Dupont SARL", "123456789", "Europe/Paris", "company")
    # Phones first, then e-mails; by label within each.
    assert [(c.kind, c.label) for c in d.contacts] == [
        ("phone", "mobile"), ("phone", "office"), ("email", "accounting")]
    assert [c.value for c in d.phones] == ["+33 6 00 00 00 02", "+33 1 00 00 00 01"]
    assert not d.do_not_call and d.contact_consent


def test_case_figures_and_assignment(store, case):
    case_id, alice, bob, campaign = case
    with Session(store.engine) as session:
        view = case_view(session, case_id, now=NOW)
    # 1000 + 300 + 200 open at import, less the 400 payment on the oldest invoice.
    assert view.balance_minor == 110_000 and view.overdue_minor == 90_000
    assert view.disputed_minor == 0 and view.status == "open" and view.currency == "EUR"
    assert view.assigned_agent == "Alice Moreau" and view.campaign == "Relances PME"


def test_invoices_open_first_oldest_due_first_with_their_payments(store, case):
    case_id, *_ = case
    with Session(store.engine) as session:
        view = case_view(session, case_id, now=NOW)
    assert [i.number for i in view.invoices] == ["F-1", "F-2", "F-3"]
    f1, f2, f3 = view.invoices
    assert (f1.open_minor, f1.status) == (60_000, "partial")
    assert f1.payments == ((TODAY - timedelta(days=20), 40_000),)
    # Imported part-paid: what was paid before the book knew counts as paid when due.
    assert f2.payments == ((f2.due_date, 20_000),)
    assert f3.payments == () and view.open_invoices == view.invoices


def test_history_newest_first_with_authors(store, case):
    case_id, alice, bob, campaign = case
    with Session(store.engine) as session:
        view = case_view(session, case_id, now=NOW)
    assert [h.kind for h in view.history] == [
        "note", "promise", "plan", "call", "payment", "call", "assignment"]
    assert [h.author for h in view.history] == [
        "Alice Moreau", "Alice Moreau", "Alice Moreau", "Alice Moreau", "", "Alice Moreau",
        "bob"]
    assert view.history[0].client_time == ago(2) and view.history[0].client_time.tzinfo
    assert view.history[0].payload == {"reason": "cash_flow", "text": "Trésorerie tendue."}
    assert [n.payload["text"] for n in view.notes] == ["Trésorerie tendue."]
    # Assignments name their agent and campaign by id: the view has the names.
    assert view.names == {alice.id.hex: "Alice Moreau", campaign.id.hex: "Relances PME"}


def test_promise_and_plan_with_instalments(store, case):
    case_id, *_ = case
    with Session(store.engine) as session:
        view = case_view(session, case_id, now=NOW)
    promise = view.promise
    assert promise is not None
    assert (promise.amount_minor, promise.due_date, promise.status, promise.paid_minor) == (
        10_000, TODAY + timedelta(days=2), "pending", 0)
    plan = view.plan
    assert plan is not None and plan.frequency == "monthly" and plan.total_minor == 110_000
    assert [i.seq for i in plan.instalments] == [1, 2, 3]
    assert [i.due_date for i in plan.instalments][0] == TODAY - timedelta(days=5)
    assert sum(i.amount_minor for i in plan.instalments) == 110_000
    assert {i.status for i in plan.instalments} == {"due"}


def test_contact_facts_for_the_policy(store, case):
    case_id, *_ = case
    with Session(store.engine) as session:
        view = case_view(session, case_id, now=NOW)
        later = case_view(session, case_id, now=NOW + ATTEMPT_LOOKBACK)
    assert view.call_attempts == (ago(10),)  # the call 40 days ago is past the look-back
    assert view.last_conversation_at == ago(10)  # right-party contact, not the no-answer
    assert later.call_attempts == () and later.last_conversation_at is None


def test_a_dial_without_an_outcome_leaves_a_call_open(store, case):
    case_id, alice, *_ = case
    with Session(store.engine) as session:
        assert case_view(session, case_id, now=NOW).open_dial_at is None
    with store.transaction() as session:
        session.add(Activity(case_id=case_id, kind="dial", author_id=alice.id,
                             client_time=NOW - timedelta(minutes=3),
                             payload={"phone": "+33 1 00 00 00 01"}))
    with Session(store.engine) as session:
        assert case_view(session, case_id, now=NOW).open_dial_at == NOW - timedelta(minutes=3)
    with at(NOW - timedelta(minutes=1)):
        actions.log_call(store, case_id, alice.id, disposition="voicemail")
    with Session(store.engine) as session:
        assert case_view(session, case_id, now=NOW).open_dial_at is None


def test_history_limit_then_the_rest(store, case):
    case_id, alice, bob, campaign = case
    with Session(store.engine) as session:
        first = case_view(session, case_id, now=NOW, history_limit=3)
        assert [h.kind for h in first.history] == ["note", "promise", "plan"]
        assert not first.history_complete and first.names == {}
        full = full_history(session, first)
        assert full.history_complete and len(full.history) == 7
        assert full.history[:3] == first.history
        assert full.names[campaign.id.hex] == "Relances PME"
        assert full_history(session, full) is full
        assert case_view(session, case_id, now=NOW, history_limit=7).history_complete is False
        assert case_view(session, case_id, now=NOW, history_limit=8).history_complete


def test_a_missing_case_is_none(store):
    with Session(store.engine) as session:
        assert case_view(session, uuid.uuid4(), now=NOW) is None


def test_a_closed_case(store, case):
    case_id, *_ = case
    with at(NOW):
        actions.close_case(store, case_id, None, reason="written_off")
    with Session(store.engine) as session:
        view = case_view(session, case_id, now=NOW)
        invoice_count = len(session.exec(select(Invoice).where(
            col(Invoice.case_id) == case_id)).all())
        debtor = session.exec(select(Debtor)).one()
    assert (view.status, view.closed_reason) == ("closed", "written_off")
    assert view.history[0].kind == "close" and len(view.invoices) == invoice_count
    assert view.debtor.id == debtor.id
    assert isinstance(view.invoices[0].due_date, date)
