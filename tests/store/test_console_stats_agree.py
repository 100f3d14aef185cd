"""The console's figures off the stat_* aggregates (SQLite triggers) equal those the base
tables give (the PostgreSQL path), on a book with several agents, days, kinds and currencies.

Day D is 2026-03-10 (UTC); the console looks at it at 15:00.

  ann (agent)       works D-8, D-3, D-1 and D, in EUR and CHF, every kind of fact
  bob (agent)       works D-2 and D; a fact at 00:30 Paris time on D falls on D-1 in UTC
  cid (agent)       works D-1 only: in the sparkline, but off today
  dee (agent)       no facts at all
  sue (supervisor)  assigns the cases (not work), and logs one call on D
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from recotui.domain.book import DebtorKind, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.domain.segment import Segment
from recotui.store import actions
from recotui.store import supervisor_reads as reads
from recotui.store.campaigns import save_campaign
from recotui.store.case_state import break_overdue_promises
from recotui.store.importing import apply_book
from recotui.store.store import Store
from recotui.store.tables import CollectionCase, Debtor, Invoice
from tests.store.supervisor_fixture import NOW, D, add_users, case_ids

PARIS = ZoneInfo("Europe/Paris")


def at(day: date, hour: int, minute: int = 0, tz: Any = UTC) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def book() -> ParsedBook:
    return ParsedBook(
        source="agree.csv", format="csv", lines_read=6,
        debtors=[
            DebtorRecord("E1", "Echo SARL", postcode="75001"),
            DebtorRecord("E2", "Foxtrot SA", postcode="69003"),
            DebtorRecord("E3", "Mme Golf", kind=DebtorKind.CONSUMER, postcode="75011"),
            DebtorRecord("S1", "Hotel AG", postcode="1200"),
            DebtorRecord("S2", "India GmbH", postcode="8000"),
        ],
        invoices=[
            InvoiceRecord("E1", "E1-1", date(2026, 1, 5), date(2026, 2, 4), 100_000, 100_000),
            InvoiceRecord("E2", "E2-1", date(2025, 10, 1), date(2025, 10, 31), 50_000, 50_000),
            InvoiceRecord("E2", "E2-2", date(2026, 3, 1), date(2026, 3, 31), 20_000, 20_000),
            InvoiceRecord("E3", "E3-1", date(2026, 2, 1), date(2026, 3, 3), 30_000, 30_000),
            InvoiceRecord("S1", "S1-1", date(2025, 12, 1), date(2025, 12, 31), 80_000, 80_000,
                          currency="CHF"),
            InvoiceRecord("S2", "S2-1", date(2026, 2, 10), date(2026, 3, 12), 45_000, 45_000,
                          currency="CHF"),
        ],
    )


def build(store: Store) -> dict[str, uuid.UUID]:
    apply_book(store, book())
    with store.transaction() as session:
        users = add_users(session, (("ann", "agent"), ("bob", "agent"), ("cid", "agent"),
                                    ("dee", "agent"), ("sue", "supervisor")))
        cases = case_ids(session)
        invoices = {number: invoice_id for number, invoice_id in session.exec(
            select(Invoice.number, Invoice.id))}
    campaigns = {name: save_campaign(store, name, Segment(), now=at(D - timedelta(days=20), 9))
                 for name in ("Paris", "Suisse")}
    for number, agent, campaign in (("E1", "ann", "Paris"), ("E2", "bob", "Paris"),
                                    ("E3", "cid", "Paris"), ("S1", "ann", "Suisse"),
                                    ("S2", "bob", None)):
        actions.assign_case(store, cases[number], users["sue"], agent_id=users[agent],
                            campaign_id=campaigns[campaign] if campaign else None,
                            now=at(D - timedelta(days=20), 9))
    ann, bob, cid, sue = users["ann"], users["bob"], users["cid"], users["sue"]
    e1, e2, e3, s1, s2 = (cases[n] for n in ("E1", "E2", "E3", "S1", "S2"))
    # ann: a call before the sparkline, then D-3, D-1 and D in EUR and CHF.
    actions.log_call(store, e1, ann, disposition="no_answer", duration_s=20,
                     now=at(D - timedelta(days=8), 10))
    actions.add_note(store, s1, ann, reason="other", text="Courrier reçu",
                     now=at(D - timedelta(days=3), 8, 30))
    actions.log_call(store, s1, ann, disposition="refused", duration_s=240,
                     now=at(D - timedelta(days=3), 9))
    actions.record_promise(store, s1, ann, amount_minor=12_000,
                           due_date=D - timedelta(days=1), now=at(D - timedelta(days=3), 9, 5))
    actions.log_call(store, e1, ann, disposition="voicemail", duration_s=60,
                     now=at(D - timedelta(days=1), 11))
    actions.log_call(store, e1, ann, disposition="right_party", duration_s=300, now=at(D, 9))
    actions.record_promise(store, e1, ann, amount_minor=40_000,
                           due_date=D + timedelta(days=5), now=at(D, 9, 5))
    actions.log_call(store, s1, ann, disposition="promise", duration_s=420, now=at(D, 10))
    actions.record_promise(store, s1, ann, amount_minor=30_000,
                           due_date=D + timedelta(days=7), now=at(D, 10, 10))
    actions.schedule_callback(store, e1, ann, at=at(D + timedelta(days=1), 9),
                              now=at(D, 11))
    actions.escalate(store, e1, ann, now=at(D, 11, 30))
    actions.open_dispute(store, s1, ann, invoice_ids=[invoices["S1-1"]], category="other",
                         text="Montant contesté", now=at(D, 12))
    # bob: D-2, a fact at 00:30 Paris on D (23:30 UTC on D-1), then D in EUR and CHF.
    actions.record_promise(store, e2, bob, amount_minor=10_000, due_date=D,
                           now=at(D - timedelta(days=2), 11))
    actions.add_note(store, e2, bob, reason="other", text="Relance tardive",
                     now=at(D, 0, 30, PARIS))
    actions.log_call(store, e2, bob, disposition="right_party", duration_s=600,
                     now=at(D, 14))
    actions.record_payment(store, e2, bob, amount_minor=10_000, received_on=D,
                           method="transfer", now=at(D, 14, 10))
    actions.log_call(store, s2, bob, disposition="callback_requested", duration_s=90,
                     now=at(D, 14, 20))
    actions.record_payment(store, s2, bob, amount_minor=15_000, received_on=D,
                           method="transfer", now=at(D, 14, 30))
    # cid: D-1 only.
    actions.log_call(store, e3, cid, disposition="no_answer", duration_s=15,
                     now=at(D - timedelta(days=1), 16))
    actions.log_call(store, e3, cid, disposition="right_party", duration_s=200,
                     now=at(D - timedelta(days=1), 16, 30))
    # sue, a supervisor, works one case too.
    actions.log_call(store, e3, sue, disposition="voicemail", duration_s=40, now=at(D, 13))
    with store.transaction() as session:
        break_overdue_promises(session, NOW)
    return users


@pytest.fixture
def users(store):
    return build(store)


@pytest.fixture
def session(store, users):
    with Session(store.engine) as opened:
        yield opened


def base_tables():
    return mock.patch.object(reads, "has_stats", lambda _session: False)


def test_the_book_reads_through_the_aggregates(session):
    assert reads.has_stats(session)


def test_every_console_figure_agrees(session):
    stats = reads.console(session, NOW, {"EUR": 100_000, "CHF": 50_000})
    with base_tables():
        base = reads.console(session, NOW, {"EUR": 100_000, "CHF": 50_000})
    for name in ("campaigns", "money", "kept", "broken_count", "broken", "aging"):
        assert getattr(stats, name) == getattr(base, name), name
    assert {a.name: a for a in stats.agents} == {a.name: a for a in base.agents}
    assert stats == base


@pytest.mark.parametrize("days", [1, 3, 7, 30])
def test_agent_rows_over_a_period_agree(session, days):
    start = D - timedelta(days=days - 1)
    stats = reads.agent_rows(session, start, D, NOW, spark_days=reads.SPARK_DAYS)
    with base_tables():
        base = reads.agent_rows(session, start, D, NOW, spark_days=reads.SPARK_DAYS)
    assert {a.name: a for a in stats} == {a.name: a for a in base}


def test_the_console_figures_mean_what_they_say(session):
    """The figures both paths agree on, worked out by hand."""
    with base_tables():
        agents = {a.name: a for a in reads.console(session, NOW).agents}
    assert set(agents) == {"Ann", "Bob", "Cid", "Dee", "Sue"}
    ann, bob, cid, dee, sue = (agents[n] for n in ("Ann", "Bob", "Cid", "Dee", "Sue"))
    assert (ann.calls, ann.right_party, ann.call_seconds, ann.cases_worked) == (2, 2, 720, 2)
    assert (ann.promises, ann.promised) == (2, {"EUR": 40_000, "CHF": 30_000})
    assert ann.spark == (0, 0, 0, 1, 0, 1, 2)
    # bob's note at 00:30 Paris is 23:30 UTC on D-1: not today's.
    assert (bob.calls, bob.cases_worked, bob.collected) == \
        (2, 2, {"EUR": 10_000, "CHF": 15_000})
    assert bob.logged_hours == 1.0  # 14:00-14:30, floored at an hour
    # cid worked yesterday only: off today, yesterday's calls in the sparkline.
    assert (cid.status, cid.last_action_at, cid.calls, cid.cases_worked) == ("off", None, 0, 0)
    assert cid.spark == (0, 0, 0, 0, 0, 2, 0)
    assert (dee.status, dee.spark) == ("off", (0,) * reads.SPARK_DAYS)
    assert (sue.calls, sue.cases_worked) == (1, 1)


def _agree(store: Store) -> tuple[Any, Any]:
    with Session(store.engine) as session:
        stats = reads.console(session, NOW)
        with base_tables():
            return stats, reads.console(session, NOW)


def test_logged_hours_span_worked_facts_only(store, users):
    """sue's 14:45 assignment is not work: her day is the 13:00 call, floored at an hour."""
    with Session(store.engine) as session:
        e3 = session.exec(select(CollectionCase.id).join(Debtor).where(
            Debtor.number == "E3")).one()
    actions.assign_case(store, e3, users["sue"], agent_id=users["dee"], campaign_id=None,
                        now=at(D, 14, 45))
    stats, base = _agree(store)
    assert {a.name: a.logged_hours for a in stats.agents} == \
        {a.name: a.logged_hours for a in base.agents}


def test_a_case_moved_after_it_was_worked_counts_in_its_new_campaign(store, users):
    with Session(store.engine) as session:
        e3 = session.exec(select(CollectionCase.id).join(Debtor).where(
            Debtor.number == "E3")).one()
        suisse = session.exec(select(CollectionCase.campaign_id).join(Debtor).where(
            Debtor.number == "S1")).one()
    actions.assign_case(store, e3, users["sue"], agent_id=users["dee"], campaign_id=suisse,
                        now=at(D, 14, 45))
    stats, base = _agree(store)
    assert stats.campaigns == base.campaigns
