"""`recotui server …`: run the server on uvicorn, add users, load the central book."""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from recotui.store.store import Store, now_utc

URL_ENV = "RECOTUI_SERVER_DATABASE_URL"


def open_store(database_url: str) -> Store:
    return Store.open(database_url)


def app_from_env():  # noqa: ANN201 - uvicorn's factory for several worker processes
    from recotui.server.app import create_app

    return create_app(open_store(os.environ[URL_ENV]))


def serve(database_url: str, host: str, port: int, workers: int) -> int:
    import uvicorn

    open_store(database_url).close()  # migrate once, before the workers start
    os.environ[URL_ENV] = database_url
    where: dict = {"host": host, "port": port}
    if workers > 1:
        # Worker processes serve a socket bound here. uvicorn does not set TCP_NODELAY on the
        # connections of its workers, which adds ~40 ms (delayed ACK) to each keep-alive
        # request; set on the listening socket, Linux passes it to every accepted one.
        sock = socket.create_server((host, port), reuse_port=False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.set_inheritable(True)
        where = {"fd": sock.fileno()}
    # Keep-alive well above the clients' 5 s sync period: at uvicorn's 5 s the server closed
    # idle connections just as clients reused them (a failed request, then a new handshake).
    uvicorn.run("recotui.server.admin:app_from_env", factory=True, workers=workers,
                log_level="warning", timeout_keep_alive=75, **where)
    return 0


def add_user(database_url: str, username: str, role: str, campaigns: list[str]) -> int:
    import uuid

    from recotui.store import sync_server

    store = open_store(database_url)
    try:
        with store.transaction() as session:
            user, token = sync_server.add_user(session, username, role, now_utc())
            for campaign in campaigns:
                sync_server.join_campaign(session, user.id, _campaign_id(session, campaign))
            user_id = user.id
    except (ValueError, LookupError) as exc:
        print(f"recotui server add-user: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(f"user {username} ({role}) id {uuid.UUID(str(user_id)).hex}")
    print(f"token: {token}")
    return 0


def _campaign_id(session, name: str):  # noqa: ANN001, ANN202
    from sqlmodel import select

    from recotui.store.tables import Campaign

    found = session.exec(select(Campaign.id).where(Campaign.name == name)).first()
    if found is None:
        raise LookupError(f"no campaign named {name!r}")
    return found


def import_book(database_url: str, file: str, fmt: str | None, term_days: int,
                currency: str) -> int:
    from recotui.domain.book import BookImportError
    from recotui.importers import read_book
    from recotui.store import sync_server
    from recotui.store.importing import apply_book, file_sha256
    from recotui.store.tables import CollectionCase

    try:
        book = read_book(file, fmt, default_term_days=term_days, default_currency=currency)
    except BookImportError as exc:
        print(f"recotui server import: {exc}\nrecotui server import: nothing was imported",
              file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"recotui server import: {file}: {exc.strerror}", file=sys.stderr)
        return 1
    store = open_store(database_url)
    started = now_utc()
    try:
        summary = apply_book(store, book, sha256=file_sha256(file))
        with store.transaction() as session:  # clients pull what the import changed
            from sqlalchemy import select

            sync_server.touch_cases(session, select(CollectionCase.id).where(
                CollectionCase.updated_at >= started))
    finally:
        store.close()
    print(f"imported {summary.source}: {summary.debtors_total:,} debtors, "
          f"{summary.invoices_total:,} invoices ({summary.invoices_new:,} new)")
    return 0


def demo(database_url: str, size: int, seed: int) -> int:
    """A demo book for the server: built in SQLite, copied when the server is elsewhere."""
    from recotui.store import sync_server
    from recotui.store.copy_book import copy_book
    from recotui.store.demo import build_demo
    from recotui.store.engine import database_url as url_of

    url = url_of(database_url)
    as_of = datetime.now(UTC).date()
    if url.startswith("sqlite:///"):
        summary = build_demo(Path(url.removeprefix("sqlite:///")), size=size, seed=seed,
                             as_of=as_of)
        store = open_store(database_url)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            built = Path(scratch) / "demo.sqlite3"
            summary = build_demo(built, size=size, seed=seed, as_of=as_of)
            source, store = Store.open(built), open_store(database_url)
            try:
                copy_book(source.engine, store.engine)
            finally:
                source.close()
    try:
        with store.transaction() as session:
            sync_server.touch_all_cases(session)
    finally:
        store.close()
    print(f"demo book on the server: {summary.counts['debtor']:,} debtors, "
          f"{summary.counts['invoice']:,} invoices")
    return 0


def compact(database_url: str, keep: int) -> int:
    from recotui.store import sync_server

    store = open_store(database_url)
    try:
        with store.transaction() as session:
            before = sync_server.current_version(session) - keep + 1
            deleted = sync_server.compact_change_log(session, before) if before > 1 else 0
    finally:
        store.close()
    print(f"change log: {deleted:,} superseded entries removed below version {max(before, 1):,}")
    return 0
