"""Allocating a payment across invoices."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import date


def allocate_oldest_first(
    amount_minor: int, invoices: Sequence[tuple[Hashable, date, int]]
) -> list[tuple[Hashable, int]]:
    """Spread `amount_minor` over (key, due_date, open_minor), oldest due first.

    Returns (key, allocated) for every invoice that receives something. What exceeds the
    total open amount is left unallocated; the caller decides whether that is allowed.
    """
    allocations: list[tuple[Hashable, int]] = []
    remaining = amount_minor
    for key, _due, open_minor in sorted(invoices, key=lambda item: (item[1], str(item[0]))):
        if remaining <= 0:
            break
        share = min(remaining, open_minor)
        if share > 0:
            allocations.append((key, share))
            remaining -= share
    return allocations
