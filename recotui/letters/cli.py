"""The letters' sub-commands: `ladder run`, `letter`, `dossier`. Output is for people."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from recotui.domain.money import Money, format_money

PROGRESS_FROM = 2000  # cases due; fewer finish before progress would help
LIST_UP_TO = 50  # actions printed one a line; past that, the run log has them


def _open(settings: Any, command: str) -> tuple[Any, Any] | None:  # noqa: ANN401
    from recotui.letters.render import LetterTemplateError  # noqa: F401 - fail early
    from recotui.letters.settings import LetterSettingsError, letter_settings
    from recotui.store.store import Store

    try:
        letters = letter_settings(settings)
    except LetterSettingsError as exc:
        print(f"recotui {command}: {exc}", file=sys.stderr)
        return None
    if not Path(settings.db).exists():
        print(f"recotui {command}: no store at {settings.db}", file=sys.stderr)
        return None
    return Store.open(settings.db), letters


def _out(args: argparse.Namespace) -> Path | None:
    return Path(args.out).expanduser() if getattr(args, "out", None) else None


def ladder_run(args: argparse.Namespace, settings: Any) -> int:  # noqa: ANN401
    from recotui.letters.render import LetterTemplateError
    from recotui.letters.run import run_ladder
    from recotui.store.ladder_store import user_id

    opened = _open(settings, "ladder run")
    if opened is None:
        return 1
    store, letters = opened
    as_of = args.as_of or date.today()

    def progress(done: int, total: int) -> None:
        print(f"\rletters: {done:,}/{total:,}    ", end="", file=sys.stderr, flush=True)

    try:
        report = run_ladder(store, letters, as_of, dry_run=args.dry_run, out_dir=_out(args),
                            progress=progress, actor_id=user_id(store, settings.user))
    except LetterTemplateError as exc:
        print(f"\nrecotui ladder run: template error: {exc}", file=sys.stderr)
        print("recotui ladder run: the batch with this letter was not recorded",
              file=sys.stderr)
        return 1
    finally:
        store.close()
    if len(report.due) >= PROGRESS_FROM and not report.dry_run:
        print(file=sys.stderr)
    _print_report(report, settings.language)
    return 1 if report.failures else 0


def _print_report(report: Any, language: str) -> None:  # noqa: ANN401
    from collections import Counter

    head = "ladder run (dry run)" if report.dry_run else "ladder run"
    print(f"{head} as of {report.as_of.isoformat()}: {report.open_cases:,} open cases, "
          f"{len(report.due):,} due for a step")
    if report.dry_run:
        for name, count in sorted(Counter(d.step.name for d in report.due).items()):
            print(f"  would do {name}: {count:,}")
        for d in report.due[:LIST_UP_TO]:
            change = f" ({d.stage_change[0]} -> {d.stage_change[1]})" if d.stage_change else ""
            print(f"    {d.case_id.hex}  {d.step.name} by {d.step.channel}{change}")
    else:
        by = Counter((item.step, item.channel) for item in report.done)
        for (step, channel), count in sorted(by.items()):
            print(f"  {step} by {channel}: {count:,}")
        changes = sum(1 for item in report.done if item.stage_change)
        print(f"  letters written: {sum(1 for i in report.done if i.file):,}; "
              f"stage changes: {changes:,}")
        for item in report.done[:LIST_UP_TO]:
            amount = format_money(Money(item.claim_minor, item.currency), language)
            change = (f"  {item.stage_change[0]} -> {item.stage_change[1]}"
                      if item.stage_change else "")
            note = f"  ({item.note})" if item.note else ""
            print(f"    {item.debtor_number}  {item.debtor_name[:30]}  {item.step} "
                  f"by {item.channel}  {amount if item.file else ''}{change}{note}")
        if len(report.done) > LIST_UP_TO:
            print(f"    ... and {len(report.done) - LIST_UP_TO:,} more in the run log")
        if report.skipped:
            print(f"  already recorded by another run: {report.skipped:,}")
    for hold, count in sorted(report.held.items()):
        print(f"  held ({hold}): {count:,}")
    if report.log:
        print(f"  run log: {report.log}")
    for failure in report.failures:
        print(f"recotui ladder run: {failure.debtor_number} {failure.step}: {failure.error}",
              file=sys.stderr)
    if report.failures:
        print(f"recotui ladder run: {len(report.failures):,} failed and were not recorded; "
              f"the next run tries them again", file=sys.stderr)
    print(f"  {report.seconds:.1f} s")


def _case(store: Any, ref: str, command: str) -> Any:  # noqa: ANN401
    from recotui.store.ladder_store import find_case

    case_id = find_case(store, ref)
    if case_id is None:
        print(f"recotui {command}: no case {ref!r} (give a case id, or the number of a debtor "
              f"with one case)", file=sys.stderr)
    return case_id


def one_off_letter(args: argparse.Namespace, settings: Any) -> int:  # noqa: ANN401
    from recotui.letters.oneoff import LetterRefused, send
    from recotui.letters.render import LetterTemplateError
    from recotui.store.ladder_store import user_id

    opened = _open(settings, "letter")
    if opened is None:
        return 1
    store, letters = opened
    try:
        case_id = _case(store, args.case, "letter")
        if case_id is None:
            return 1
        sent = send(store, letters, case_id, args.stage, args.as_of or date.today(),
                    out_dir=_out(args), tracking_number=args.tracking,
                    actor_id=user_id(store, settings.user))
    except (LetterRefused, LetterTemplateError) as exc:
        print(f"recotui letter: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"letter {sent.letter.letter_no} by {sent.channel}{' ' + sent.note if sent.note else ''}")
    print(f"  {sent.pdf}")
    print(f"  {sent.pdf.with_suffix('.txt')}")
    if not sent.recorded:
        print("  already recorded today: not recorded again")
    return 0


def litigation_file(args: argparse.Namespace, settings: Any) -> int:  # noqa: ANN401
    from recotui.letters.dossier import build_dossier
    from recotui.letters.oneoff import LetterRefused
    from recotui.letters.render import LetterTemplateError
    from recotui.store.ladder_store import user_id

    opened = _open(settings, "dossier")
    if opened is None:
        return 1
    store, letters = opened
    try:
        case_id = _case(store, args.case, "dossier")
        if case_id is None:
            return 1
        dossier = build_dossier(store, letters, case_id, args.as_of or date.today(),
                                out_dir=_out(args), language=settings.language,
                                actor_id=user_id(store, settings.user))
    except (LetterRefused, LetterTemplateError) as exc:
        print(f"recotui dossier: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"litigation file: {dossier.folder}")
    for path in dossier.files:
        print(f"  {path.relative_to(dossier.folder)}")
    print("  the case moved to contentieux" if dossier.moved
          else "  the case was at contentieux already")
    return 0
