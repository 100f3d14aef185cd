"""The one command line: `recotui` opens the TUI; sub-commands do the rest.

Heavy modules are imported inside the sub-command that needs them, to keep start-up fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from recotui import __version__
from recotui.config import ConfigError, Settings, load_settings


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f'"{text}" is not a date (YYYY-MM-DD)') from exc


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f'"{text}" is not a whole number') from exc
    if value <= 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    # Accepted before or after the sub-command; SUPPRESS keeps a sub-command's empty default
    # from overwriting a value given before it.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--db", metavar="PATH", help="SQLite store (default: data dir)")
    common.add_argument("--lang", choices=["fr", "en"], dest="language",
                        help="UI language (default: config, then LANG)")
    common.add_argument("--user", help="agent username (default: config)")
    parser = argparse.ArgumentParser(
        prog="recotui", parents=[common],
        description="Terminal workstation for collections work. Without a command, opens the "
                    "agent queue.",
    )
    parser.add_argument("--version", action="version", version=f"recotui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", parents=[common], help="build a demo book and open it")
    demo.add_argument("--size", type=_positive, default=3000, help="debtors (default 3000)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument("--as-of", type=_date, help="the book's today (default: today)")
    demo.add_argument("--no-open", action="store_true", help="build only, do not open the TUI")

    imp = commands.add_parser("import", parents=[common], help="import a CSV book or a FEC")
    imp.add_argument("file", nargs="?", help="the file to import")
    imp.add_argument("--format", choices=["csv", "fec"], help="default: detected")
    imp.add_argument("--template", choices=["csv"], help="print a template file and exit")

    report = commands.add_parser("report", parents=[common], help="reports")
    kinds = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    aging = kinds.add_parser("aging", parents=[common], help="open amounts by days past due")
    aging.add_argument("--as-of", type=_date, default=None, help="default: today")
    aging.add_argument("--format", choices=["table", "csv", "json"], default="table")
    from recotui import cli_server  # small: argparse only, the server loads when run

    cli_server.add_remote_arguments(aging)
    cli_server.add_commands(commands, common, _positive)
    from recotui import cli_supervise

    cli_supervise.add_commands(commands, kinds, aging, common, _date)

    ladder = commands.add_parser("ladder", parents=[common], help="the dunning ladder")
    ladder_cmds = ladder.add_subparsers(dest="ladder", metavar="ACTION", required=True)
    run = ladder_cmds.add_parser("run", parents=[common],
                                 help="write the due letters, send the e-mails, record them")
    run.add_argument("--as-of", type=_date, default=None, help="default: today")
    run.add_argument("--out", metavar="DIR", help="letters folder (default: config)")
    run.add_argument("--dry-run", action="store_true", help="say what is due, write nothing")

    letter = commands.add_parser("letter", parents=[common], help="a one-off letter for a case")
    letter.add_argument("case", metavar="CASE", help="case id, or the debtor's number")
    letter.add_argument("--stage", help="ladder step, e.g. relance_2 (default: the case's)")
    letter.add_argument("--out", metavar="DIR", help="letters folder (default: config)")
    letter.add_argument("--tracking", default="", help="registered post tracking number")
    letter.add_argument("--as-of", type=_date, default=None, help="letter date (default: today)")

    dossier = commands.add_parser("dossier", parents=[common],
                                  help="the litigation file; moves the case to contentieux")
    dossier.add_argument("case", metavar="CASE", help="case id, or the debtor's number")
    dossier.add_argument("--out", metavar="DIR", help="letters folder (default: config)")
    dossier.add_argument("--as-of", type=_date, default=None, help="default: today")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings({name: getattr(args, name, None)
                                  for name in ("db", "language", "user")})
    except ConfigError as exc:
        print(f"recotui: {exc}", file=sys.stderr)
        return 2
    handler = {"demo": _demo, "import": _import, "report": _report,
               "server": _server, "sync": _sync, "ladder": _ladder,
               "letter": _letter, "dossier": _dossier,
               "supervise": _supervise}.get(args.command, _tui)
    try:
        return handler(args, settings)
    except KeyboardInterrupt:
        return 130


def _tui(args: argparse.Namespace, settings: Settings) -> int:
    from textual.theme import BUILTIN_THEMES

    from recotui.app import run_app

    if settings.theme not in BUILTIN_THEMES:
        print(f"recotui: theme must be one of {', '.join(sorted(BUILTIN_THEMES))}, "
              f"not {settings.theme!r}", file=sys.stderr)
        return 2
    try:
        from recotui.domain.contact_policy import ContactPolicy

        ContactPolicy.from_mapping(settings.contact_policy)
    except ValueError as exc:
        print(f"recotui: contact_policy: {exc}", file=sys.stderr)
        return 2
    return run_app(settings)


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.store.demo import DemoRefused, build_demo

    db = Path(args.db).expanduser() if getattr(args, "db", None) else settings.demo_db
    def progress(phase: str, done: int, total: int) -> None:
        print(f"\r{phase}: {done:,}/{total:,}    ", end="", file=sys.stderr, flush=True)

    try:
        summary = build_demo(db, size=args.size, seed=args.seed, as_of=args.as_of,
                             progress=progress if args.size >= 20_000 else None)
    except DemoRefused as exc:
        print(f"recotui: {exc}", file=sys.stderr)
        return 1
    if args.size >= 20_000:
        print(file=sys.stderr)
    print(f"demo book: {db} ({summary.counts['debtor']:,} debtors, "
          f"{summary.counts['invoice']:,} invoices, {summary.seconds:.1f} s)")
    if args.no_open:
        return 0
    settings.db = db
    return _tui(args, settings)


def _import(args: argparse.Namespace, settings: Settings) -> int:
    if args.template:
        from recotui.importers.csv_book import CSV_TEMPLATE

        sys.stdout.write(CSV_TEMPLATE)
        return 0
    if not args.file:
        print("recotui import: give a FILE, or --template csv", file=sys.stderr)
        return 2
    from recotui.domain.book import BookImportError
    from recotui.importers import read_book
    from recotui.store.importing import apply_book, file_sha256
    from recotui.store.store import Store

    try:
        book = read_book(args.file, args.format, default_term_days=settings.default_term_days,
                         default_currency=settings.default_currency)
    except BookImportError as exc:
        print(f"recotui import: {exc}", file=sys.stderr)
        print("recotui import: nothing was imported", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"recotui import: {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    store = Store.open(settings.db)
    try:
        summary = apply_book(store, book, sha256=file_sha256(args.file))
    finally:
        store.close()
    _print_import_summary(summary, settings.language)
    return 0


def _print_import_summary(summary, language: str) -> None:  # noqa: ANN001
    from recotui.domain.money import Money, format_money

    again = " (imported before: only changes were applied)" if summary.already_imported else ""
    print(f"imported {summary.source} ({summary.format}, {summary.lines_read:,} lines){again}")
    print(f"  debtors:  {summary.debtors_total:,} ({summary.debtors_new:,} new)")
    print(f"  invoices: {summary.invoices_total:,} ({summary.invoices_new:,} new, "
          f"{summary.invoices_updated:,} updated)")
    for currency, minor in sorted(summary.open_total.items()):
        print(f"  open total: {format_money(Money(minor, currency), language)}")
    if summary.payments_recorded:
        print(f"  payments recorded: {summary.payments_recorded:,}; "
              f"promises kept: {summary.promises_kept:,}")
    skipped = sum(summary.skipped.values())
    print(f"  skipped lines: {skipped:,}")
    for reason, count in summary.skipped.most_common():
        print(f"    {reason}: {count:,}")


def _server(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.cli_server import run_server

    return run_server(args, settings)


def _sync(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.cli_server import run_sync

    return run_sync(args, settings)


def _supervise(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.cli_supervise import run_supervise

    return run_supervise(args, settings)


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.cli_server import remote_report
    from recotui.cli_supervise import run_report, wants_new_report
    from recotui.reports import aging_report, render

    if wants_new_report(args):
        return run_report(args, settings)
    remote = remote_report(args, settings)
    if remote is not None:
        sys.stdout.write(render(remote, args.format, settings.language))
        return 0
    if not Path(settings.db).exists():
        print(f"recotui report: no store at {settings.db}", file=sys.stderr)
        return 1
    as_of = args.as_of or date.today()
    sys.stdout.write(render(aging_report(settings.db, as_of), args.format, settings.language))
    return 0


def _ladder(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.letters.cli import ladder_run

    return ladder_run(args, settings)


def _letter(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.letters.cli import one_off_letter

    return one_off_letter(args, settings)


def _dossier(args: argparse.Namespace, settings: Settings) -> int:
    from recotui.letters.cli import litigation_file

    return litigation_file(args, settings)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
