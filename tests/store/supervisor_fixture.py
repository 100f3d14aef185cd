"""A small book whose supervisor figures are worked out by hand in the tests.

Day D is 2026-03-10 (UTC); the console looks at it at 15:00. Money in cents, EUR.

  A  Alpha SARL     company  75001 fr  A1 issued 01-05 due 02-04  1 000.00 (dpd 34: 31-60)
  B  Bravo SA       company  69003 fr  B1 issued 2025-10-01 due 10-31  500.00 (dpd 130: 91-180)
                                       B2 issued 03-01 due 03-31  200.00 (not due)
  C  Mme Carla Diaz consumer 75011 en  C1 issued 02-01 due 03-03  300.00 (dpd 7: 1-30)

Campaigns: Paris (A, C), Lyon (B), assigned by sue on D-20. Agents ann (A, C), bob (B).
  D-10 10:00 ann promises 50.00 on C, due D-3: broken (unpaid)
  D-2  11:00 bob promises 100.00 on B, due D: kept by the payment below
  D-1  11:00 ann calls A: voicemail, 60 s
  D    09:00 ann calls A: right party, 300 s;  09:05 ann promises 400.00 on A, due D+5
  D    10:00 ann calls C: no answer, 30 s
  D    14:00 bob calls B: right party, 600 s;  14:10 bob records a payment of 100.00 on B
       (received D, goes to B1: 400.00 left)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from recotui.domain.book import DebtorKind, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.domain.segment import Segment
from recotui.store import actions
from recotui.store.campaigns import save_campaign
from recotui.store.case_state import break_overdue_promises
from recotui.store.importing import apply_book
from recotui.store.store import Store
from recotui.store.tables import CollectionCase, Debtor, User

D = date(2026, 3, 10)
NOW = datetime.combine(D, time(15), tzinfo=UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


@dataclass
class Fixture:
    users: dict[str, uuid.UUID]
    cases: dict[str, uuid.UUID]
    campaigns: dict[str, uuid.UUID]


def book() -> ParsedBook:
    return ParsedBook(
        source="sup.csv", format="csv", lines_read=4,
        debtors=[
            DebtorRecord("A", "Alpha SARL", postcode="75001"),
            DebtorRecord("B", "Bravo SA", postcode="69003"),
            DebtorRecord("C", "Mme Carla Diaz", kind=DebtorKind.CONSUMER, postcode="75011",
                         language="en"),
        ],
        invoices=[
            InvoiceRecord("A", "A1", date(2026, 1, 5), date(2026, 2, 4), 100_000, 100_000),
            InvoiceRecord("B", "B1", date(2025, 10, 1), date(2025, 10, 31), 50_000, 50_000),
            InvoiceRecord("B", "B2", date(2026, 3, 1), date(2026, 3, 31), 20_000, 20_000),
            InvoiceRecord("C", "C1", date(2026, 2, 1), date(2026, 3, 3), 30_000, 30_000),
        ],
    )


def add_users(session: Session, roles: tuple[tuple[str, str], ...]) -> dict[str, uuid.UUID]:
    """Users by name, made a month before D."""
    users = {}
    for name, role in roles:
        user = User(username=name, display_name=name.capitalize(), role=role,
                    created_at=at(D - timedelta(days=30), 9))
        session.add(user)
        session.flush()
        users[name] = user.id
    return users


def case_ids(session: Session) -> dict[str, uuid.UUID]:
    """Each debtor's case, by the debtor's number."""
    return {number: case_id for number, case_id in session.exec(
        select(Debtor.number, CollectionCase.id)
        .join(CollectionCase, CollectionCase.debtor_id == Debtor.id))}


def build(store: Store, *, facts: bool = True) -> Fixture:
    apply_book(store, book())
    with store.transaction() as session:
        users = add_users(session, (("ann", "agent"), ("bob", "agent"), ("sue", "supervisor")))
        cases = case_ids(session)
    campaigns = {name: save_campaign(store, name, Segment(), now=at(D - timedelta(days=20), 9))
                 for name in ("Paris", "Lyon")}
    earlier = at(D - timedelta(days=20), 9)
    for number, agent, campaign in (("A", "ann", "Paris"), ("C", "ann", "Paris"),
                                    ("B", "bob", "Lyon")):
        actions.assign_case(store, cases[number], users["sue"], agent_id=users[agent],
                            campaign_id=campaigns[campaign], now=earlier)
    if facts:
        add_facts(store, users, cases)
    return Fixture(users, cases, campaigns)


def add_facts(store: Store, users: dict[str, uuid.UUID], cases: dict[str, uuid.UUID]) -> None:
    ann, bob = users["ann"], users["bob"]
    actions.record_promise(store, cases["C"], ann, amount_minor=5_000,
                           due_date=D - timedelta(days=3), now=at(D - timedelta(days=10), 10))
    actions.record_promise(store, cases["B"], bob, amount_minor=10_000, due_date=D,
                           now=at(D - timedelta(days=2), 11))
    actions.log_call(store, cases["A"], ann, disposition="voicemail", duration_s=60,
                     now=at(D - timedelta(days=1), 11))
    actions.log_call(store, cases["A"], ann, disposition="right_party", duration_s=300,
                     now=at(D, 9))
    actions.record_promise(store, cases["A"], ann, amount_minor=40_000,
                           due_date=D + timedelta(days=5), now=at(D, 9, 5))
    actions.log_call(store, cases["C"], ann, disposition="no_answer", duration_s=30,
                     now=at(D, 10))
    actions.log_call(store, cases["B"], bob, disposition="right_party", duration_s=600,
                     now=at(D, 14))
    actions.record_payment(store, cases["B"], bob, amount_minor=10_000, received_on=D,
                           method="transfer", now=at(D, 14, 10))
    with store.transaction() as session:
        break_overdue_promises(session, NOW)
