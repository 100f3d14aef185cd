"""Ageing of open receivables: days past due and the usual collection buckets."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

AGING_BUCKETS: tuple[str, ...] = ("not_due", "1-30", "31-60", "61-90", "91-180", "181+")

# Upper bound (inclusive) of each past-due bucket, in days; "181+" has none.
_BUCKET_LIMITS: tuple[tuple[int, str], ...] = (
    (30, "1-30"),
    (60, "31-60"),
    (90, "61-90"),
    (180, "91-180"),
)


def days_past_due(due_date: date, as_of: date) -> int:
    """Whole days since the due date; 0 while the invoice is not yet due (on the due date too)."""
    return max(0, (as_of - due_date).days)


def aging_bucket(dpd: int) -> str:
    if dpd <= 0:
        return "not_due"
    for limit, name in _BUCKET_LIMITS:
        if dpd <= limit:
            return name
    return "181+"


def bucket_totals(rows: Iterable[tuple[date, int]], as_of: date) -> dict[str, int]:
    """Open minor units per bucket from (due_date, open_minor) rows; every bucket is present."""
    totals = dict.fromkeys(AGING_BUCKETS, 0)
    for due_date, open_minor in rows:
        totals[aging_bucket(days_past_due(due_date, as_of))] += open_minor
    return totals
