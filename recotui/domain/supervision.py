"""Supervisor figures: agent status, rates, the promise-kept rate and DSO by countback.

Pure functions over numbers the store has summed; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

ACTIVE_WITHIN = timedelta(minutes=15)  # an action this recent: the agent is working
IDLE_WITHIN = timedelta(hours=1)  # longer without one: away (or stuck)
MIN_LOGGED_PER_DAY = timedelta(hours=1)  # floor of a day's logged time, for calls per hour
SPARK = "▁▂▃▄▅▆▇█"


def agent_status(last_action_at: datetime | None, now: datetime) -> str:
    """"active", "idle", "away", or "off" (no action in the period)."""
    if last_action_at is None:
        return "off"
    since = now - last_action_at
    if since <= ACTIVE_WITHIN:
        return "active"
    return "idle" if since <= IDLE_WITHIN else "away"


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


def logged_hours(day_spans: Sequence[tuple[datetime, datetime]]) -> float:
    """Hours logged over some days: each day's first to last action, at least one hour."""
    return sum(max(last - first, MIN_LOGGED_PER_DAY).total_seconds()
               for first, last in day_spans) / 3600


def sparkline(values: Sequence[int]) -> str:
    """One block per value, scaled to the largest; zero is the lowest block."""
    top = max(values, default=0)
    if top <= 0:
        return SPARK[0] * len(values)
    return "".join(SPARK[min(len(SPARK) - 1, round(v * (len(SPARK) - 1) / top))] for v in values)


@dataclass(frozen=True, slots=True)
class CountbackPeriod:
    """One calendar month (or the part of it up to the as-of date) and its invoiced sales."""

    start: date
    days: int
    sales: int  # minor units


def month_periods(as_of: date, months: int) -> list[tuple[date, date]]:
    """(first day, last day) of the month of `as_of` (cut at `as_of`) and the months before
    it, newest first."""
    periods, end = [], as_of
    for _ in range(months):
        start = end.replace(day=1)
        periods.append((start, end))
        end = start - timedelta(days=1)
    return periods


def dso_countback(receivables: int, periods: Sequence[CountbackPeriod]) -> float | None:
    """Days sales outstanding by the countback method.

    Walk back from the newest period: while the receivables left cover a period's sales, add
    its days and take its sales off; then add the share of the next period that the rest
    covers. None when the receivables outrun every period given (or there are no sales).
    """
    left, days = receivables, 0.0
    if left <= 0:
        return 0.0
    for period in periods:
        if period.sales <= 0:
            days += period.days
            continue
        if left <= period.sales:
            return days + period.days * left / period.sales
        left -= period.sales
        days += period.days
    return None


def targets_in_minor(targets: dict[str, str]) -> dict[str, int]:
    """The configured daily targets (currency → amount in major units, as text) in minor
    units. Raises ValueError on an amount that is not a number."""
    from decimal import Decimal, InvalidOperation

    from recotui.domain.money import Money

    out = {}
    for currency, text in targets.items():
        try:
            out[currency.upper()] = Money.from_decimal(Decimal(str(text)), currency.upper()).minor
        except (InvalidOperation, ValueError) as exc:
            raise ValueError(f"daily_targets: {currency} = {text!r} is not an amount") from exc
    return out
