"""Sub-commands that talk to or run the central server: `server …`, `sync`, remote reports.

Kept apart from cli.py so the TUI's start path never parses or imports any of it.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from recotui.config import Settings, data_dir

ROLES = ("agent", "supervisor", "admin")


def add_commands(commands: Any, common: argparse.ArgumentParser, positive: Any) -> None:
    server = commands.add_parser("server", help="run the central server, or manage its book")
    url = argparse.ArgumentParser(add_help=False)
    url.add_argument("--database-url", metavar="URL",
                     help="sqlite:///PATH or postgresql+psycopg://… (default: a SQLite file "
                          "in the data dir)")
    server.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1")
    server.add_argument("--port", type=positive, default=8765, help="default 8765")
    # One process per core, up to 4: with one, a busy server's requests queue behind the
    # GIL; a PostgreSQL pool is kept per process.
    workers = min(os.cpu_count() or 1, 4)
    server.add_argument("--workers", type=positive, default=workers,
                        help=f"processes (default {workers}: one per core, at most 4)")
    server.add_argument("--database-url", metavar="URL", help=argparse.SUPPRESS)
    admin = server.add_subparsers(dest="server_command", metavar="ADMIN")
    user = admin.add_parser("add-user", parents=[url], help="add a user; prints a token")
    user.add_argument("name")
    user.add_argument("--role", choices=ROLES, required=True)
    user.add_argument("--campaign", action="append", default=[],
                      help="a campaign the agent works (repeatable)")
    book = admin.add_parser("import", parents=[url], help="import a CSV book or a FEC")
    book.add_argument("file")
    book.add_argument("--format", choices=["csv", "fec"], help="default: detected")
    demo = admin.add_parser("demo", parents=[url], help="build a demo central book")
    demo.add_argument("--size", type=positive, default=3000)
    demo.add_argument("--seed", type=int, default=7)

    compact = admin.add_parser("compact", parents=[url],
                               help="shorten the change log; older cursors get a reset")
    compact.add_argument("--keep", type=positive, default=1_000_000,
                         help="the newest versions kept whole (default 1,000,000)")

    sync = commands.add_parser("sync", parents=[common],
                               help="one sync round with the server: push, then pull")
    add_remote_arguments(sync, required=False)
    sync.add_argument("--take", type=positive, metavar="N",
                      help="first lease the N highest-priority free cases, to work offline")
    sync.add_argument("--hours", type=positive, default=8,
                      help="how long the cases taken stay yours (default 8)")


def add_remote_arguments(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument("--server", metavar="URL", required=required,
                        help="the central server (default: config server_url)")
    parser.add_argument("--token", help="your API token (default: config token)")


def server_url(settings: Settings, args: argparse.Namespace) -> str:
    return getattr(args, "database_url", None) or f"sqlite:///{data_dir() / 'server.sqlite3'}"


def run_server(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.server import admin

    url = server_url(settings, args)
    match args.server_command:
        case "add-user":
            return admin.add_user(url, args.name, args.role, args.campaign)
        case "import":
            return admin.import_book(url, args.file, args.format, settings.default_term_days,
                                     settings.default_currency)
        case "demo":
            return admin.demo(url, args.size, args.seed)
        case "compact":
            return admin.compact(url, args.keep)
    print(f"recotui server: listening on http://{args.host}:{args.port} ({url.split('://')[0]})",
          file=sys.stderr)
    return admin.serve(url, args.host, args.port, args.workers)


def _remote(args: argparse.Namespace, settings: Settings) -> tuple[str, str] | None:
    server = getattr(args, "server", None) or settings.server_url
    token = getattr(args, "token", None) or settings.token
    if not server or not token:
        return None
    return server, token


def run_sync(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.store.store import Store
    from recotui.sync import SyncClient, SyncError

    remote = _remote(args, settings)
    if remote is None:
        print("recotui sync: give --server URL and --token T (or set server_url and "
              "token in the config)", file=sys.stderr)
        return 2
    store = Store.open(settings.db)
    client = SyncClient(store, *remote)
    try:
        taken = client.take(args.take, args.hours * 3600) if args.take else []
        result = client.round()
    except SyncError as exc:
        print(f"recotui sync: {exc}", file=sys.stderr)
        return 1
    finally:
        client.close()
        store.close()
    print(f"pushed {result.pushed:,} mutations; pulled {result.cases:,} cases, "
          f"removed {result.removed:,}; cursor {result.cursor:,}"
          + (" (after a reset)" if result.reset else ""))
    if args.take:
        print(f"took {len(taken):,} cases to work offline")
    for mutation_id, reason in result.refused:
        print(f"  mutation {mutation_id}: {reason}")
    return 0


def remote_report(args: argparse.Namespace, settings: Settings) -> dict[str, Any] | None:
    """The report from the server, or None when no server is given."""

    remote = _remote(args, settings) if getattr(args, "server", None) else None
    if remote is None:
        return None
    params = {"as_of": args.as_of.isoformat()} if args.as_of else {}
    return fetch_report(*remote, args.report, params)


def fetch_report(server: str, token: str, name: str, params: dict[str, str]) -> dict[str, Any]:
    """A report's JSON from the server; a failure stops the command with its reason."""
    import httpx

    try:
        response = httpx.get(f"{server.rstrip('/')}/v1/reports/{name}", params=params,
                             headers={"Authorization": f"Bearer {token}"}, timeout=120)
    except httpx.HTTPError as exc:
        raise SystemExit(f"recotui report: {server}: {exc}") from exc
    if response.status_code != 200:
        raise SystemExit(f"recotui report: the server answered {response.status_code}: "
                         f"{response.text[:200]}")
    return response.json()
