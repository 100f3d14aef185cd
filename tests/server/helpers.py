"""Tools for the fault, state-machine and fuzz tests of the sync server: an httpx transport
that loses responses or goes offline, the server as a real process that can be killed, a
bigger book, and comparisons of a client's copy of cases with the server's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlmodel import Session

from recotui.domain.book import ContactPoint, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.store import sync_server
from recotui.store.snapshot import export_cases
from recotui.store.store import Store, now_utc
from recotui.store.tables import (
    Activity,
    ApiToken,
    AuditEntry,
    Campaign,
    CampaignMember,
    CollectionCase,
    Debtor,
    Promise,
    SyncChange,
    SyncClient,
    User,
)


class LossyTransport(httpx.HTTPTransport):
    """A real transport that can be offline (nothing sent) or lose the response to a request
    the server has handled (sent, answered, then the connection drops)."""

    def __init__(self) -> None:
        super().__init__()
        self.offline = False
        self.lose: set[str] = set()  # paths whose next response is lost
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.offline:
            raise httpx.ConnectError("offline", request=request)
        response = super().handle_request(request)
        if request.url.path in self.lose:
            self.lose.discard(request.url.path)
            response.read()  # the server has answered: whatever it did is committed
            response.close()
            self.lost += 1
            raise httpx.ReadError("the response was lost", request=request)
        return response


def lossy_client(url: str) -> tuple[httpx.Client, LossyTransport]:
    transport = LossyTransport()
    return httpx.Client(base_url=url, timeout=30, transport=transport), transport


# -- the server as a real process -------------------------------------------------------------


class ServerProcess:
    """`uvicorn recotui.server.admin:app_from_env` in its own process: kill() is a kill -9."""

    def __init__(self, database_url: str, port: int, log: Path) -> None:
        self.database_url, self.port, self.log = database_url, port, log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        env = dict(os.environ, RECOTUI_SERVER_DATABASE_URL=self.database_url)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory",
                 "recotui.server.admin:app_from_env", "--host", "127.0.0.1",
                 "--port", str(self.port), "--log-level", "warning", "--no-access-log"],
                env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the server did not answer /health in time")

    def kill(self) -> None:
        """kill -9: no shutdown, no rollback by the server itself."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


# -- a bigger book ----------------------------------------------------------------------------


def bigger_book(count: int, prefix: str = "D", today: date | None = None) -> ParsedBook:
    """`count` debtors, each with two open invoices of different amounts (so priorities
    differ)."""
    today = today or now_utc().date()
    debtors, invoices = [], []
    for n in range(count):
        number = f"{prefix}{n:04d}"
        phone = ContactPoint("phone", "office", f"+33 2 00 00 {n // 100:02d} {n % 100:02d}")
        debtors.append(DebtorRecord(number, f"Débiteur {prefix}{n}", contacts=(phone,)))
        amount = 10_000 + 137 * n
        invoices.append(InvoiceRecord(number, f"{number}-1", today - timedelta(days=80 + n % 40),
                                      today - timedelta(days=50 + n % 40), amount, amount))
        invoices.append(InvoiceRecord(number, f"{number}-2", today - timedelta(days=20),
                                      today + timedelta(days=10), 5_000, 5_000))
    return ParsedBook(source=f"{prefix}.csv", format="csv", lines_read=2 * count,
                      debtors=debtors, invoices=invoices)


def add_campaign(store: Store, name: str, case_ids: Iterable[uuid.UUID]) -> uuid.UUID:
    with store.transaction() as session:
        campaign = Campaign(name=name, created_at=now_utc())
        session.add(campaign)
        session.flush()
        ids = list(case_ids)
        for case_id in ids:
            session.get(CollectionCase, case_id).campaign_id = campaign.id
        sync_server.log_changes(session, ids)
        return campaign.id


def add_agents(store: Store, count: int, campaign_id: uuid.UUID | None = None,
               prefix: str = "agent") -> dict[str, tuple[uuid.UUID, str]]:
    """username → (user id, token)."""
    out = {}
    with store.transaction() as session:
        for n in range(count):
            user, token = sync_server.add_user(session, f"{prefix}{n:02d}", "agent", now_utc())
            if campaign_id is not None:
                session.add(CampaignMember(campaign_id=campaign_id, user_id=user.id))
            out[user.username] = (user.id, token)
    return out


def case_ids_of(store: Store, numbers: Sequence[str] | None = None) -> dict[str, uuid.UUID]:
    with Session(store.engine) as session:
        statement = select(Debtor.number, CollectionCase.id).join(
            CollectionCase, CollectionCase.debtor_id == Debtor.id)
        if numbers is not None:
            statement = statement.where(Debtor.number.in_(list(numbers)))
        return dict(session.execute(statement).all())


# -- counting and comparing -------------------------------------------------------------------

WRITTEN = (Activity, AuditEntry, SyncClient, SyncChange, Promise, User, ApiToken,
           CampaignMember)


def count(store: Store, model: Any, *where: Any) -> int:
    with Session(store.engine) as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def row_counts(store: Store) -> dict[str, int]:
    """The tables a request could write, and the claims: what 'nothing written' compares."""
    counts = {model.__name__: count(store, model) for model in WRITTEN}
    counts["claimed"] = count(store, CollectionCase, CollectionCase.claimed_by.is_not(None))
    with Session(store.engine) as session:
        counts["epochs"] = session.execute(
            select(func.coalesce(func.sum(CollectionCase.claim_epoch), 0))).scalar_one()
    return counts


def audit_keys(store: Store) -> Counter:
    """(client id, mutation id) → how many audit entries: each must be 1."""
    with Session(store.engine) as session:
        return Counter(session.execute(select(AuditEntry.client_id, AuditEntry.mutation_id)).all())


def activity_ids(store: Store, case_ids: Iterable[uuid.UUID] | None = None) -> Counter:
    with Session(store.engine) as session:
        statement = select(Activity.id)
        if case_ids is not None:
            statement = statement.where(Activity.case_id.in_(list(case_ids)))
        return Counter(session.execute(statement).scalars())


def _normal(value: Any) -> Any:
    """Values as both backends give them back: times as naive UTC, JSON as sorted text."""
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        if parsed.tzinfo is not None:
            parsed = parsed.replace(tzinfo=None) - (parsed.utcoffset() or timedelta(0))
        return parsed.isoformat()
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def case_copy(store: Store, case_ids: Iterable[uuid.UUID]) -> dict[str, list]:
    """Every row of these cases, as sorted tuples per table: equal on client and server when
    the client's copy is the server's."""
    ids = sorted(set(case_ids))
    with store.engine.connect() as conn:
        tables = export_cases(conn, ids)
    out = {}
    for name, block in tables.items():
        rows = [tuple(repr(_normal(v)) for v in row) for row in block["rows"]]
        out[name] = sorted(rows)
    return out


def local_case_ids(store: Store) -> set[uuid.UUID]:
    with Session(store.engine) as session:
        return set(session.execute(select(CollectionCase.id)).scalars())


def scope_of(store: Store, username: str) -> set[uuid.UUID]:
    """The cases the server lets `username` see now."""
    with Session(store.engine) as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one()
        return set(session.execute(select(CollectionCase.id).where(
            sync_server.scope_clause(user))).scalars())
