"""`recotui supervise` and the supervisor's reports (`recotui report activity|agents|
promises|dso`, and aging by period or campaign), from the local store or the server."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from recotui.config import Settings

NAMED = {"activity": "facts recorded per day and kind",
         "agents": "per-agent productivity",
         "promises": "promises made: kept, broken, pending, paid",
         "dso": "days sales outstanding (countback)"}


def add_commands(commands: Any, kinds: Any, aging: argparse.ArgumentParser,
                 common: argparse.ArgumentParser, day: Any) -> None:
    from recotui.cli_server import add_remote_arguments

    def period(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--from", dest="start", type=day, default=None,
                            help="first day (default: --to less 6 days; aging, dso: --to)")
        parser.add_argument("--to", dest="end", type=day, default=None,
                            help="last day (default: today)")
        parser.add_argument("--campaign", default=None, help="only this campaign's cases")

    period(aging)
    for name, help_text in NAMED.items():
        sub = kinds.add_parser(name, parents=[common], help=help_text)
        period(sub)
        sub.add_argument("--format", choices=["table", "csv", "json"], default="table")
        add_remote_arguments(sub)
    supervise = commands.add_parser("supervise", parents=[common],
                                    help="open the supervisor console")
    add_remote_arguments(supervise)


def wants_new_report(args: argparse.Namespace) -> bool:
    """aging with no period or campaign keeps the first release's output."""
    return args.report != "aging" or any(
        getattr(args, name, None) for name in ("start", "end", "campaign"))


def run_report(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.report_supervisor import ReportError, build, default_period, render

    end = getattr(args, "end", None) or getattr(args, "as_of", None)
    start, end = default_period(args.report, getattr(args, "start", None), end, date.today())
    if getattr(args, "server", None):
        report = _remote(args, settings, start, end)
    else:
        if not Path(settings.db).exists():
            print(f"recotui report: no store at {settings.db}", file=sys.stderr)
            return 1
        from sqlmodel import Session

        from recotui.store.store import Store

        store = Store.open(settings.db)
        try:
            with Session(store.engine) as session:
                report = build(session, args.report, start, end, args.campaign)
        except ReportError as exc:
            print(f"recotui report: {exc}", file=sys.stderr)
            return 2
        finally:
            store.close()
    sys.stdout.write(render(report, args.format))
    return 0


def _remote(args: argparse.Namespace, settings: Settings, start: date, end: date
            ) -> dict[str, Any]:
    from recotui.cli_server import fetch_report

    params = {"from": start.isoformat(), "to": end.isoformat()}
    if args.campaign:
        params["campaign"] = args.campaign
    return fetch_report(args.server, args.token or settings.token, args.report, params)


def run_supervise(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.app import RecoApp
    from recotui.domain.supervision import targets_in_minor

    try:
        targets_in_minor(settings.daily_targets)
    except ValueError as exc:
        print(f"recotui: {exc}", file=sys.stderr)
        return 2
    server = getattr(args, "server", None)
    token = getattr(args, "token", None) or settings.token
    if server and not token:
        print("recotui supervise: --server needs --token (or token in the config)",
              file=sys.stderr)
        return 2
    app = RecoApp(settings, mode="supervisor", remote=(server, token) if server else None)
    app.run()
    return app.return_code or 0
