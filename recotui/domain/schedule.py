"""Payment plans (échéanciers): instalment dates and amounts."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dateutil.relativedelta import relativedelta

MAX_INSTALMENTS = 120


class Frequency(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True)
class ScheduledInstalment:
    seq: int  # from 1, the down payment included
    due_date: date
    amount_minor: int
    is_down_payment: bool = False


class ScheduleError(ValueError):
    """A plan that cannot be built; the message is shown to the user as is."""


def build_schedule(
    total_minor: int,
    count: int,
    frequency: Frequency | str,
    first_date: date,
    down_payment_minor: int = 0,
) -> list[ScheduledInstalment]:
    """Split total_minor into an optional down payment and `count` regular instalments.

    With a down payment, it falls on first_date and the regular instalments start one period
    later; without one, the first regular instalment falls on first_date. Regular amounts are
    equal, rounded down, and the last one carries the remainder.
    """
    frequency = _frequency(frequency)
    _check(total_minor, count, down_payment_minor)
    first_period = 1 if down_payment_minor else 0
    try:
        dates = [
            _period_date(first_date, frequency, first_period + k) for k in range(count)
        ]
    except (OverflowError, ValueError) as exc:
        raise ScheduleError("The plan would run past the year 9999.") from exc

    regular_total = total_minor - down_payment_minor
    base, remainder = divmod(regular_total, count)
    amounts = [base] * count
    amounts[-1] += remainder

    plan: list[ScheduledInstalment] = []
    if down_payment_minor:
        plan.append(ScheduledInstalment(1, first_date, down_payment_minor, is_down_payment=True))
    for due_date, amount in zip(dates, amounts, strict=True):
        plan.append(ScheduledInstalment(len(plan) + 1, due_date, amount))
    return plan


def _frequency(value: Frequency | str) -> Frequency:
    try:
        return Frequency(value)
    except ValueError:
        choices = ", ".join(f.value for f in Frequency)
        raise ScheduleError(f"Unknown frequency {value!r}; choose one of {choices}.") from None


def _check(total_minor: int, count: int, down_payment_minor: int) -> None:
    if total_minor <= 0:
        raise ScheduleError("The plan total must be more than zero.")
    if not 1 <= count <= MAX_INSTALMENTS:
        raise ScheduleError(f"A plan has between 1 and {MAX_INSTALMENTS} instalments.")
    if down_payment_minor < 0:
        raise ScheduleError("The down payment must not be negative.")
    if down_payment_minor >= total_minor:
        raise ScheduleError("The down payment must be less than the plan total.")
    # A regular instalment of zero is no instalment at all: refuse rather than schedule it.
    if total_minor - down_payment_minor < count:
        raise ScheduleError("Too many instalments for the amount: some would be zero.")


def _period_date(anchor: date, frequency: Frequency, periods: int) -> date:
    """The date `periods` periods after the anchor, always computed from the anchor."""
    if frequency is Frequency.WEEKLY:
        return anchor + relativedelta(weeks=periods)
    if frequency is Frequency.FORTNIGHTLY:
        return anchor + relativedelta(weeks=2 * periods)
    if _is_month_end(anchor):
        # End-of-month rule: Apr 30 -> May 31 -> Jun 30 (day=31 clamps to the month's end).
        return anchor + relativedelta(months=periods, day=31)
    return anchor + relativedelta(months=periods)  # Jan 30 -> Feb 28/29 -> Mar 30


def _is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]
