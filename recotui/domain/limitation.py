"""Limitation periods (prescription): the last day a claim can still be pursued."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from recotui.domain.book import DebtorKind

LIMITATION_YEARS: dict[DebtorKind, int] = {
    DebtorKind.COMPANY: 5,  # L110-4 C. com., between merchants
    DebtorKind.CONSUMER: 2,  # L218-2 C. conso., a professional's claim against a consumer
}
LIMITATION_WARNING_DAYS = 90


def limitation_date(debtor_kind: DebtorKind, due_date: date) -> date:
    """Last day to act: time-barred once it has passed (C. civ. 2229). Feb 29 gives Feb 28."""
    return due_date + relativedelta(years=LIMITATION_YEARS[DebtorKind(debtor_kind)])


@dataclass(frozen=True, slots=True)
class LimitationStatus:
    date: date
    days_left: int  # 0 on the limitation date itself, negative once past it
    warning: bool
    expired: bool


def limitation_status(
    debtor_kind: DebtorKind,
    due_date: date,
    as_of: date,
    warn_days: int = LIMITATION_WARNING_DAYS,
) -> LimitationStatus:
    limit = limitation_date(debtor_kind, due_date)
    days_left = (limit - as_of).days
    return LimitationStatus(
        date=limit,
        days_left=days_left,
        warning=days_left <= warn_days,
        expired=days_left < 0,
    )
