"""A real uvicorn on a loopback port, over a SQLite file or a PostgreSQL schema of its own.

The PostgreSQL runs are skipped only outside CI when nothing listens at 127.0.0.1:5432; in CI
(CI=true) an unreachable PostgreSQL fails them.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text

from recotui.domain.book import ContactPoint, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.server.app import create_app
from recotui.store import sync_server
from recotui.store.importing import apply_book
from recotui.store.store import Store, now_utc
from recotui.sync import SyncClient

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite3'}"
        return
    admin = create_engine(PG_URL)
    schema = f"srv_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        admin.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL unavailable: {exc.__class__.__name__}")
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class ServerThread:
    """uvicorn serving the app in a thread; stop() and start() again on the same port."""

    def __init__(self, store: Store, port: int) -> None:
        self.store, self.port = store, port
        self.url = f"http://127.0.0.1:{port}"
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        config = uvicorn.Config(create_app(self.store), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
            self.thread.join(10)
            self.server = None


@dataclass
class Book:
    """The server's book: users with tokens, and the cases of the small fixture book."""

    store: Store
    url: str
    tokens: dict[str, str]  # username → token
    user_ids: dict[str, uuid.UUID]
    cases: dict[str, uuid.UUID]  # debtor number → case id

    def client(self, username: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30,
                            headers={"Authorization": f"Bearer {self.tokens[username]}"})


def fixture_book(today=None) -> ParsedBook:
    today = today or now_utc().date()
    from datetime import timedelta

    debtors, invoices = [], []
    for n in range(1, 7):
        number = f"C{n:03d}"
        phone = ContactPoint("phone", "office", f"+33 1 00 00 00 0{n}")
        debtors.append(DebtorRecord(number, f"Débiteur {n}", contacts=(phone,)))
        invoices.append(InvoiceRecord(number, f"F-{n}-1", today - timedelta(days=90 + n),
                                      today - timedelta(days=60 + n), 100_000 * n, 100_000 * n))
        invoices.append(InvoiceRecord(number, f"F-{n}-2", today - timedelta(days=30),
                                      today - timedelta(days=5), 20_000, 20_000))
    return ParsedBook(source="book.csv", format="csv", lines_read=12, debtors=debtors,
                      invoices=invoices)


def seed_book(store: Store) -> tuple[dict[str, str], dict[str, uuid.UUID], dict[str, uuid.UUID]]:
    """Agents ann (C001–C003) and bob (C004–C006), supervisor sue, admin root."""
    from sqlalchemy import select

    from recotui.store.tables import CollectionCase, Debtor

    apply_book(store, fixture_book())
    tokens, user_ids = {}, {}
    with store.transaction() as session:
        for name, role in (("ann", "agent"), ("bob", "agent"), ("sue", "supervisor"),
                           ("root", "admin")):
            user, tokens[name] = sync_server.add_user(session, name, role, now_utc())
            user_ids[name] = user.id
        cases = dict(session.execute(select(Debtor.number, CollectionCase.id).join(
            CollectionCase, CollectionCase.debtor_id == Debtor.id)).all())
        for number, case_id in cases.items():
            owner = "ann" if number <= "C003" else "bob"
            session.get(CollectionCase, case_id).assigned_agent_id = user_ids[owner]
        sync_server.touch_all_cases(session)
    return tokens, user_ids, cases


@pytest.fixture
def server_store(database_url) -> Iterator[Store]:
    store = Store.open(database_url)
    yield store
    store.close()


@pytest.fixture
def server(server_store) -> Iterator[ServerThread]:
    running = ServerThread(server_store, free_port())
    running.start()
    yield running
    running.stop()


@pytest.fixture
def book(server, server_store) -> Book:
    tokens, user_ids, cases = seed_book(server_store)
    return Book(server_store, server.url, tokens, user_ids, cases)


@pytest.fixture
def replica_of(tmp_path, book):
    """replica_of(username[, name]) → (local store, sync client), closed after the test;
    `name` tells apart several stores of one user."""
    opened = []

    def make(username: str, name: str = ""):
        store = Store.open(tmp_path / f"{name or username}-{len(opened)}.sqlite3")
        client = SyncClient(store, book.url, book.tokens[username])
        opened.append((store, client))
        return store, client

    yield make
    for store, client in opened:
        client.close()
        store.close()
