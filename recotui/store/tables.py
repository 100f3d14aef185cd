"""SQLModel tables of the book. Money is integer minor units plus ISO 4217; ids are UUIDv7.

Enumerated columns hold the plain string values of the domain's StrEnums, so a new value
never needs a schema migration.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from recotui.domain.ids import uuid7


def _id() -> Any:
    return Field(default_factory=uuid7, primary_key=True)


def _money() -> Any:
    return Field(default=0, sa_type=BigInteger, nullable=False)


class User(SQLModel, table=True):
    id: uuid.UUID = _id()
    username: str = Field(unique=True, max_length=64)
    display_name: str = ""
    role: str = "agent"  # agent | supervisor | admin
    active: bool = True
    created_at: datetime


class Campaign(SQLModel, table=True):
    id: uuid.UUID = _id()
    name: str = Field(unique=True, max_length=120)
    description: str = ""
    active: bool = True  # False: paused; its queue is not offered to agents
    created_at: datetime
    # The saved segment (recotui/domain/segment.py) and the strategy: priority weights.
    segment: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    weights: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class Debtor(SQLModel, table=True):
    id: uuid.UUID = _id()
    number: str = Field(unique=True, max_length=64)  # customer account, e.g. FEC CompAuxNum
    kind: str = "company"  # company | consumer
    name: str = Field(index=True)
    legal_id: str = ""  # SIREN or SIRET
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "FR"
    timezone: str = "Europe/Paris"
    language: str = "fr"
    do_not_call: bool = False
    contact_consent: bool = True  # may be contacted by phone and e-mail
    consent_updated_at: datetime | None = None
    created_at: datetime


class DebtorContact(SQLModel, table=True):
    __tablename__ = "debtor_contact"
    __table_args__ = (Index("ix_debtor_contact_search", "search_key"),)

    id: uuid.UUID = _id()
    debtor_id: uuid.UUID = Field(foreign_key="debtor.id", index=True)
    kind: str  # phone | email
    label: str = "main"
    value: str
    search_key: str = ""  # digits of a phone, lower-cased e-mail: what `/` matches
    do_not_call: bool = False


class CollectionCase(SQLModel, table=True):
    """A case (dossier): one per debtor and currency. Balances are kept in step with invoices."""

    __tablename__ = "collection_case"
    __table_args__ = (
        UniqueConstraint("debtor_id", "currency"),
        # The queue is an index scan on these, newest-highest first, keyset-paginated.
        Index("ix_case_queue", "status", "priority", "id"),
        Index("ix_case_agent_queue", "assigned_agent_id", "status", "priority", "id"),
        Index("ix_case_campaign_queue", "campaign_id", "status", "priority", "id"),
        Index("ix_case_callback", "callback_at"),
        # The console's burn-down: open and held cases per campaign, read off the index.
        Index("ix_case_burn", "status", "campaign_id", "next_action_at"),
        Index("ix_case_disputed", "campaign_id", "next_action_at",
              sqlite_where=text("status = 'open' AND disputed_minor > 0"),
              postgresql_where=text("status = 'open' AND disputed_minor > 0")),
    )

    id: uuid.UUID = _id()
    debtor_id: uuid.UUID = Field(foreign_key="debtor.id")
    currency: str = Field(default="EUR", max_length=3)
    stage: str = "preventive"  # preventive, relance_1, relance_2, mise_en_demeure, contentieux
    status: str = "open"  # open | closed
    closed_reason: str = ""  # paid | settled | written_off | bailiff
    assigned_agent_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    campaign_id: uuid.UUID | None = Field(default=None, foreign_key="campaign.id")
    balance_minor: int = _money()  # open amount of all invoices
    overdue_minor: int = _money()  # open amount past due, not disputed
    disputed_minor: int = _money()
    open_invoice_count: int = 0
    oldest_due_date: date | None = None  # of open, undisputed invoices
    promise_status: str = ""  # "" | pending | broken (of the latest promise)
    promise_due_date: date | None = None
    plan_active: bool = False
    callback_at: datetime | None = None
    last_contact_at: datetime | None = None
    next_action_at: datetime | None = None
    priority: int = Field(default=0)
    priority_factors: list[Any] = Field(default_factory=list, sa_column=Column(JSON))
    priority_as_of: date | None = None
    claimed_by: uuid.UUID | None = None
    lease_until: datetime | None = None
    claim_epoch: int = 0
    created_at: datetime
    updated_at: datetime


class Invoice(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("debtor_id", "number"),
        # Covering index for the aging report: open amounts grouped by due date.
        Index(
            "ix_invoice_aging", "currency", "due_date", "open_minor",
            sqlite_where=text("open_minor > 0"), postgresql_where=text("open_minor > 0"),
        ),
    )

    id: uuid.UUID = _id()
    debtor_id: uuid.UUID = Field(foreign_key="debtor.id")
    case_id: uuid.UUID = Field(foreign_key="collection_case.id", index=True)
    number: str = Field(index=True, max_length=64)
    issue_date: date
    due_date: date
    currency: str = Field(default="EUR", max_length=3)
    amount_minor: int = _money()
    open_minor: int = _money()
    status: str = "open"  # open | partial | paid
    disputed: bool = False
    source: str = "manual"  # csv | fec | demo | manual
    created_at: datetime
    updated_at: datetime


class Activity(SQLModel, table=True):
    """Append-only facts. Current state lives in the tables the fact updates alongside."""

    __table_args__ = (Index("ix_activity_case_time", "case_id", "client_time"),
                      # The console and reports read a day's or a period's facts.
                      Index("ix_activity_time", "client_time"),
                      Index("ix_activity_author_time", "author_id", "client_time"))

    id: uuid.UUID = _id()  # made by the client that recorded it
    case_id: uuid.UUID = Field(foreign_key="collection_case.id")
    kind: str  # call, note, promise, plan, payment, dispute, letter, callback, stage, assignment
    author_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    client_time: datetime
    server_time: datetime | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    needs_review: bool = False  # recorded by an agent who had lost the claim


class Promise(SQLModel, table=True):
    __table_args__ = (Index("ix_promise_status_due", "status", "due_date"),)

    id: uuid.UUID = _id()
    case_id: uuid.UUID = Field(foreign_key="collection_case.id", index=True)
    amount_minor: int = _money()
    currency: str = Field(default="EUR", max_length=3)
    due_date: date
    status: str = "pending"  # pending | kept | broken | cancelled
    paid_minor: int = _money()  # paid towards it since it was made
    created_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    created_at: datetime
    settled_at: datetime | None = None


class PaymentPlan(SQLModel, table=True):
    __tablename__ = "payment_plan"

    id: uuid.UUID = _id()
    case_id: uuid.UUID = Field(foreign_key="collection_case.id", index=True)
    total_minor: int = _money()
    down_payment_minor: int = _money()
    currency: str = Field(default="EUR", max_length=3)
    frequency: str = "monthly"  # weekly | fortnightly | monthly
    instalment_count: int
    first_date: date
    status: str = "active"  # active | completed | broken | cancelled
    created_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    created_at: datetime


class Instalment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "seq"),)

    id: uuid.UUID = _id()
    plan_id: uuid.UUID = Field(foreign_key="payment_plan.id")
    seq: int
    due_date: date
    amount_minor: int = _money()
    paid_minor: int = _money()
    status: str = "due"  # due | paid | partial | late


class Payment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("source", "source_ref"),
                      Index("ix_payment_received", "received_on", "currency", "amount_minor"))

    id: uuid.UUID = _id()
    case_id: uuid.UUID = Field(foreign_key="collection_case.id", index=True)
    amount_minor: int = _money()
    currency: str = Field(default="EUR", max_length=3)
    received_on: date
    method: str = "transfer"  # transfer | card | cheque | cash | direct_debit | ledger
    reference: str = ""
    source: str = "manual"  # manual | csv | fec | demo
    source_ref: str | None = None  # idempotency key of imported payments
    created_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    created_at: datetime


class PaymentAllocation(SQLModel, table=True):
    __tablename__ = "payment_allocation"

    id: uuid.UUID = _id()
    payment_id: uuid.UUID = Field(foreign_key="payment.id", index=True)
    invoice_id: uuid.UUID = Field(foreign_key="invoice.id", index=True)
    amount_minor: int = _money()


class Dispute(SQLModel, table=True):
    id: uuid.UUID = _id()
    case_id: uuid.UUID = Field(foreign_key="collection_case.id", index=True)
    category: str  # quality, delivery, price, already_paid, not_ordered, other
    text: str = ""
    status: str = "open"  # open | resolved
    opened_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    opened_at: datetime
    resolved_at: datetime | None = None


class DisputeInvoice(SQLModel, table=True):
    __tablename__ = "dispute_invoice"

    dispute_id: uuid.UUID = Field(foreign_key="dispute.id", primary_key=True)
    invoice_id: uuid.UUID = Field(foreign_key="invoice.id", primary_key=True)


class Outbox(SQLModel, table=True):
    """Mutations waiting to be pushed. mutation_id rises by one for each, per client."""

    mutation_id: int = Field(primary_key=True)
    client_id: uuid.UUID
    name: str
    args: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime
    pushed_at: datetime | None = None
    # "" applied; otherwise why the server refused or flagged it
    result: str = Field(default="", sa_column_kwargs={"server_default": ""})


class StoreMeta(SQLModel, table=True):
    """Small key/value facts about this store: its client id, the sync cursor."""

    __tablename__ = "store_meta"

    key: str = Field(primary_key=True)
    value: str


class ImportRun(SQLModel, table=True):
    __tablename__ = "import_run"

    id: uuid.UUID = _id()
    source: str
    format: str
    sha256: str = Field(index=True)
    lines_read: int = 0
    summary: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    imported_at: datetime


# SQLite hands out ids only for an INTEGER PRIMARY KEY (the rowid).
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


# -- the server's own tables: unused (and empty) in a client store --------------------------------


class ApiToken(SQLModel, table=True):
    """A bearer token; only its SHA-256 is kept."""

    __tablename__ = "api_token"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    created_at: datetime


class CampaignMember(SQLModel, table=True):
    """Agents working a campaign see its cases."""

    __tablename__ = "campaign_member"

    campaign_id: uuid.UUID = Field(foreign_key="campaign.id", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", primary_key=True, index=True)


class SyncClient(SQLModel, table=True):
    """A client store that pushes: its last applied mutation id, moved with the effects."""

    __tablename__ = "sync_client"

    client_id: uuid.UUID = Field(primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id")
    last_mutation_id: int = Field(default=0, sa_type=BigInteger)
    updated_at: datetime


class SyncChange(SQLModel, table=True):
    """The change log pulls read: one row per change of a case. Versions are handed out in
    commit order (on PostgreSQL under an advisory lock), so a cursor never skips a row."""

    __tablename__ = "sync_change"

    version: int | None = Field(default=None, sa_type=BIG_ID, primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    # The agent the case was taken from, when it changed hands: their pull gets a tombstone.
    previous_agent_id: uuid.UUID | None = None


class AuditEntry(SQLModel, table=True):
    """Every pushed mutation once, with its author, the server's and the client's time."""

    __tablename__ = "audit_entry"
    __table_args__ = (UniqueConstraint("client_id", "mutation_id"),)

    id: int | None = Field(default=None, sa_type=BIG_ID, primary_key=True)
    client_id: uuid.UUID
    mutation_id: int = Field(sa_type=BigInteger)
    name: str
    user_id: uuid.UUID = Field(foreign_key="user.id")
    case_id: uuid.UUID | None = Field(default=None, index=True)
    client_time: datetime | None = None
    server_time: datetime
    result: str = ""  # "" applied, "duplicate", or the reason it was refused or flagged


# -- the supervisor console's aggregates --------------------------------------------------------
# Kept in step by SQLite triggers on activity, collection_case and invoice (migration 0004), so
# a console refresh reads a few hundred rows rather than the book. Elsewhere they stay empty
# and the console reads the base tables (recotui/store/supervisor_reads.py).


class StatAgentDay(SQLModel, table=True):
    """One agent's work on one UTC day, per currency of the cases worked."""

    __tablename__ = "stat_agent_day"

    author_id: uuid.UUID = Field(primary_key=True)
    day: date = Field(primary_key=True)
    currency: str = Field(primary_key=True, max_length=3)
    facts: int = 0
    cases: int = 0  # distinct cases worked (rows of stat_agent_case; migration 0005)
    calls: int = 0
    talks: int = 0  # calls that reached the debtor (right-party contacts)
    call_s: int = Field(default=0, sa_type=BigInteger, nullable=False)
    promises: int = 0
    promised: int = _money()
    collected: int = _money()


class StatAgentCase(SQLModel, table=True):
    """The cases an agent worked on a day (n: their facts on it), for "cases worked"."""

    __tablename__ = "stat_agent_case"

    author_id: uuid.UUID = Field(primary_key=True)
    day: date = Field(primary_key=True)
    case_id: uuid.UUID = Field(primary_key=True)
    n: int = 0


class StatCaseDay(SQLModel, table=True):
    """The cases worked on a day, with the campaign they were in, for the burn-down."""

    __tablename__ = "stat_case_day"
    __table_args__ = (Index("ix_stat_case_day_campaign", "day", "campaign_id"),)

    day: date = Field(primary_key=True)
    case_id: uuid.UUID = Field(primary_key=True)
    campaign_id: uuid.UUID | None = None
    n: int = 0


class StatOpen(SQLModel, table=True):
    """Open cases per campaign ("" for none)."""

    __tablename__ = "stat_open"

    campaign_key: str = Field(primary_key=True, max_length=32)
    open_cases: int = 0


class StatAging(SQLModel, table=True):
    """Open invoice amounts per currency and due date: aging buckets without the invoices."""

    __tablename__ = "stat_aging"

    currency: str = Field(primary_key=True, max_length=3)
    due_date: date = Field(primary_key=True)
    open_minor: int = _money()
