"""Reports over the local store, as plain data, rendered as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from recotui.domain.aging import AGING_BUCKETS
from recotui.domain.money import Money, format_amount, to_decimal_string


def aging_report(db: str | Path, as_of: date) -> dict[str, Any]:
    """The aging JSON of a local store."""
    from sqlmodel import Session

    from recotui.store.store import Store

    store = Store.open(db)
    try:
        with Session(store.engine) as session:
            return aging_of(session, as_of)
    finally:
        store.close()


def aging_of(session: Any, as_of: date) -> dict[str, Any]:
    """The aging JSON: amounts as decimal strings, buckets by days past due at `as_of`. The
    same for a local store and for the server's book."""
    from recotui.store.queries import aging_totals

    totals = aging_totals(session, as_of)
    return {
        "as_of": as_of.isoformat(),
        "totals": [
            {
                "currency": t.currency,
                "buckets": {b: to_decimal_string(t.buckets[b], t.currency) for b in AGING_BUCKETS},
                "total": to_decimal_string(t.total, t.currency),
            }
            for t in totals
        ],
    }


def render(report: dict[str, Any], fmt: str, language: str = "fr") -> str:
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    header = ["currency", *AGING_BUCKETS, "total"]
    rows = [[t["currency"], *t["buckets"].values(), t["total"]] for t in report["totals"]]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue()
    return _table(report["as_of"], header, rows, language)


def _table(as_of: str, header: list[str], rows: list[list[str]], language: str) -> str:
    from decimal import Decimal

    shown = [header] + [
        [row[0], *(format_amount(Money.from_decimal(Decimal(v), row[0]), language)
                   for v in row[1:])]
        for row in rows
    ]
    widths = [max(len(r[i]) for r in shown) for i in range(len(header))]
    lines = [f"Aging at {as_of}"]
    for index, row in enumerate(shown):
        cells = zip(row, widths, strict=True)
        lines.append("  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(cells)
        ))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    if not rows:
        lines.append("(no open invoices)")
    return "\n".join(lines) + "\n"
