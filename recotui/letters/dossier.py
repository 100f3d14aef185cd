"""The litigation file (dossier contentieux) for an injonction de payer or a bailiff.

A folder with: summary.pdf and .txt, statement.csv (the statement of account), letters.csv
and a copy of every letter PDF still on disk, timeline.csv, promises.csv. The case then
moves to contentieux.
"""

from __future__ import annotations

import csv
import json
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from recotui.domain.book import DebtorKind
from recotui.domain.limitation import limitation_status
from recotui.domain.money import to_decimal_string
from recotui.domain.vocab import ActivityKind, Stage
from recotui.letters.compose import env_for
from recotui.letters.model import build_context, day, letter_no
from recotui.letters.oneoff import LetterRefused, step_for
from recotui.letters.pdf import write_pdf
from recotui.letters.render import plain, render
from recotui.letters.settings import LetterSettings
from recotui.store.ladder_store import DossierCase, dossier_case, record_stage
from recotui.store.store import Store


@dataclass(frozen=True, slots=True)
class Dossier:
    folder: Path
    files: tuple[Path, ...]
    moved: bool  # the case went to contentieux now (False: it was there already)
    claim_minor: int


def build_dossier(store: Store, settings: LetterSettings, case_id: uuid.UUID, as_of: date, *,
                  out_dir: Path | None = None, language: str = "fr",
                  now: datetime | None = None, actor_id: uuid.UUID | None = None) -> Dossier:
    data = dossier_case(store, case_id)
    if data is None:
        raise LetterRefused("This case does not exist.")
    if not data.letter.invoices:
        raise LetterRefused("This case has nothing open: there is nothing to claim.")
    case = data.letter
    folder = (out_dir or settings.out_dir) / "dossiers" / letter_no(
        "dossier", case.debtor.number, case.currency, as_of)
    folder.mkdir(parents=True, exist_ok=True)
    context = _summary_context(data, settings, as_of, language)
    text = render(env_for(settings), f"dossier.{language}.txt", context)
    files = [
        write_pdf(folder / "summary.pdf", text, title=f"Dossier {case.debtor.number}",
                  author=settings.creditor.name,
                  created=datetime.combine(as_of, datetime.min.time(), tzinfo=UTC)),
        _write(folder / "summary.txt", plain(text)),
        _statement(folder / "statement.csv", data),
        _letters(folder, data),
        _timeline(folder / "timeline.csv", data),
        _promises(folder / "promises.csv", data, as_of),
    ]
    copies = folder / "letters"
    for fact in data.facts:
        source = Path(str(fact.payload.get("file") or ""))
        if fact.kind == ActivityKind.LETTER and source.name and source.is_file():
            copies.mkdir(exist_ok=True)
            files.append(Path(shutil.copy2(source, copies / source.name)))
    moved = record_stage(store, case_id, Stage.CONTENTIEUX, now=now or datetime.now(UTC),
                         actor_id=actor_id)
    return Dossier(folder, tuple(files), moved, context["figures"].claim_minor)


def _summary_context(data: DossierCase, settings: LetterSettings, as_of: date,
                     language: str) -> dict[str, Any]:
    step = step_for(settings, Stage.MISE_EN_DEMEURE)  # the claim as the formal notice states it
    context = build_context(data.letter, step, as_of, settings.creditor, settings.ecb_rates)
    kind = DebtorKind(data.letter.debtor.kind)
    overdue = [i for i in data.letter.invoices if i.due_date < as_of]
    limits = [limitation_status(kind, i.due_date, as_of) for i in overdue]
    first = min(limits, key=lambda s: s.date) if limits else None
    letters = [f for f in data.facts if f.kind == ActivityKind.LETTER]
    context.update(
        lang=language,
        case_id=data.letter.case_id.hex,
        limitation={"date": day(first.date, language), "days_left": first.days_left,
                    "warning": first.warning, "expired": first.expired} if first else None,
        letters=[{"date": _fact_day(f, language), "step": str(f.payload.get("stage", "")),
                  "channel": str(f.payload.get("channel", "")),
                  "no": str(f.payload.get("letter_no", "")),
                  "tracking": str(f.payload.get("tracking_number", "") or "")}
                 for f in letters],
        promises=[{"made": day(p.created_at.date(), language), "due": day(p.due_date, language),
                   "amount": _money(p.amount_minor, data, language), "status": p.status}
                  for p in data.promises],
        broken=sum(1 for p in data.promises if p.status == "broken"),
        calls=sum(1 for f in data.facts if f.kind == ActivityKind.CALL),
        facts=len(data.facts),
        paid=_money(sum(p.amount_minor for p in data.payments), data, language),
    )
    return context


def _money(minor: int, data: DossierCase, language: str) -> str:
    from recotui.letters.model import money

    return money(minor, data.letter.currency, language)


def _fact_day(fact: Any, language: str) -> str:  # noqa: ANN401
    try:
        return day(date.fromisoformat(str(fact.payload.get("date"))), language)
    except ValueError:
        return day(fact.client_time.date(), language)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _statement(path: Path, data: DossierCase) -> Path:
    """Invoices as debits on their issue date, payments as credits, a running balance.
    What was paid before the book knew of it shows as one credit per invoice."""
    cur = data.letter.currency
    entries: list[tuple[date, int, str, str, str, int, int]] = []
    known = sum(p.amount_minor for p in data.payments)
    for inv in data.all_invoices:
        entries.append((inv.issue_date, 0, "invoice", inv.number, inv.due_date.isoformat(),
                        inv.amount_minor, 0))
    for p in data.payments:
        entries.append((p.received_on, 1, "payment", p.reference or p.method, "", 0,
                        p.amount_minor))
    earlier = sum(i.amount_minor - i.open_minor for i in data.all_invoices) - known
    if earlier > 0:  # settled in accounting before the import: a credit, undated
        last = max(i.issue_date for i in data.all_invoices)
        entries.append((last, 2, "payment", "before import", "", 0, earlier))
    balance, rows = 0, []
    for on, _, kind, ref, due, debit, credit in sorted(entries):
        balance += debit - credit
        rows.append([on.isoformat(), kind, ref, due, to_decimal_string(debit, cur),
                     to_decimal_string(credit, cur), to_decimal_string(balance, cur), cur])
    return _csv(path, ["date", "type", "reference", "due_date", "debit", "credit", "balance",
                       "currency"], rows)


def _letters(folder: Path, data: DossierCase) -> Path:
    rows = [[f.client_time.isoformat(), f.payload.get("date", ""), f.payload.get("stage", ""),
             f.payload.get("channel", ""), f.payload.get("letter_no", ""),
             f.payload.get("tracking_number", ""), Path(str(f.payload.get("file") or "")).name]
            for f in data.facts if f.kind == ActivityKind.LETTER]
    return _csv(folder / "letters.csv", ["recorded_at", "letter_date", "stage", "channel",
                                         "letter_no", "tracking_number", "file"], rows)


def _timeline(path: Path, data: DossierCase) -> Path:
    rows = [[f.client_time.isoformat(), f.kind, f.author,
             json.dumps(f.payload, ensure_ascii=False, sort_keys=True)] for f in data.facts]
    return _csv(path, ["time", "kind", "author", "details"], rows)


def _promises(path: Path, data: DossierCase, as_of: date) -> Path:
    cur = data.letter.currency
    rows = [[p.created_at.isoformat(), p.due_date.isoformat(),
             to_decimal_string(p.amount_minor, cur), to_decimal_string(p.paid_minor, cur), cur,
             p.status, "yes" if p.status == "broken" else "no"] for p in data.promises]
    return _csv(path, ["made_at", "due_date", "amount", "paid", "currency", "status", "broken"],
                rows)
