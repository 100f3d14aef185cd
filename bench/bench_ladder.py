"""Ladder run over a book of N overdue cases, writing one PDF per case.

    .venv/bin/python bench/bench_ladder.py --cases 100000 --runs 3

Builds the book once (apply_book, like an import), then each run works on a fresh copy:
every case is due for its first reminder (relance 1 by post). Prints progress and, per run,
the seconds, then the median. Before the runs, a baseline on the same machine at the same
time: raw fpdf2 throughput for one fixed one-page letter (FPDF.text per line, one process).
The machine may be shared: the load average is printed with each figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from recotui.domain.book import DebtorKind, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.letters.run import run_ladder
from recotui.letters.settings import Creditor, LetterSettings
from recotui.store.importing import apply_book
from recotui.store.store import Store

AS_OF = date(2026, 3, 2)


def book(n: int) -> ParsedBook:
    debtors, invoices = [], []
    for i in range(n):
        number = f"B{i:07d}"
        kind = DebtorKind.CONSUMER if i % 3 == 0 else DebtorKind.COMPANY
        debtors.append(DebtorRecord(number, f"Client {i} SARL", kind, address=f"{i} rue Haute",
                                    postcode="75001", city="Paris"))
        for k in range(1 + i % 3):  # 1 to 3 invoices, one letter per case
            due = AS_OF - timedelta(days=10 + (i * 7 + k * 31) % 300)
            amount = 5_000 + (i * 7919 + k) % 900_000
            invoices.append(InvoiceRecord(number, f"F{i:07d}-{k}", due - timedelta(days=30), due,
                                          amount, amount))
    return ParsedBook(source="bench.csv", format="csv", lines_read=len(invoices),
                      debtors=debtors, invoices=invoices)


BASELINE_LETTER = "\n".join(
    ["Bench SAS", "1 rue du Banc", "75001 Paris", "", "Client 1 SARL", "1 rue Haute",
     "75001 Paris", "", "Paris, le 2 mars 2026", "", "Objet : relance", ""]
    + [f"F{i:07d}-0   01/01/2026   31/01/2026   {i * 7919 % 900000 / 100:>12.2f} EUR"
       for i in range(20)]
    + ["", "Madame, Monsieur,", ""] + ["Sauf erreur de notre part, " * 2 + "merci."] * 12)


def fpdf_baseline(count: int = 2000) -> float:
    """Raw fpdf2 PDFs a second, one process: a fixed one-page letter, a text() per line."""
    from fpdf import FPDF

    lines = BASELINE_LETTER.split("\n")
    started = time.perf_counter()
    for _ in range(count):
        pdf = FPDF(format="A4", unit="mm")
        pdf.core_fonts_encoding = "windows-1252"
        pdf.set_auto_page_break(False)
        pdf.add_page()
        pdf.set_font("courier", size=10)
        for row, line in enumerate(lines):
            if line:
                pdf.text(18, 18 + (row + 1) * 4.6, line)
        bytes(pdf.output())
    return count / (time.perf_counter() - started)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="default: the CPUs")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-ladder-"))
    try:
        base = scratch / "base.sqlite3"
        started = time.perf_counter()
        store = Store.open(base)
        apply_book(store, book(args.cases))
        store.close()
        print(f"book: {args.cases:,} cases in {time.perf_counter() - started:.1f} s")
        rate = fpdf_baseline()
        print(f"baseline: raw fpdf2 {rate:,.0f} PDFs/s in one process ({load()})")
        settings = LetterSettings(creditor=Creditor("Bench SAS", "1 rue du Banc\n75001 Paris",
                                                    iban="FR76 3000 6000 0112 3456 7890 189"))
        times = []
        for run in range(args.runs):
            db = scratch / f"run{run}.sqlite3"
            shutil.copy(base, db)
            store = Store.open(db)

            def progress(done: int, total: int, run: int = run) -> None:
                print(f"\r  run {run + 1}: {done:,}/{total:,}", end="", file=sys.stderr,
                      flush=True)

            report = run_ladder(store, settings, AS_OF, out_dir=scratch / f"out{run}",
                                progress=progress, workers=args.workers,
                                now=datetime(2026, 3, 2, 6, tzinfo=UTC))
            store.close()
            pdfs = sum(1 for _ in (scratch / f"out{run}").rglob("*.pdf"))
            print(f"\n  run {run + 1}: {report.seconds:.1f} s, {len(report.done):,} recorded, "
                  f"{pdfs:,} PDFs ({load()})", file=sys.stderr)
            times.append(report.seconds)
            shutil.rmtree(scratch / f"out{run}")
            db.unlink()
        print(f"ladder run, {args.cases:,} cases: median {statistics.median(times):.1f} s "
              f"over {len(times)} run(s): {', '.join(f'{t:.1f}' for t in times)} ({load()})")
        rate = fpdf_baseline()
        print(f"baseline after: raw fpdf2 {rate:,.0f} PDFs/s in one process ({load()})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
