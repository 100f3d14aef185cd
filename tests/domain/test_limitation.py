from datetime import date

import pytest

from recotui.domain.book import DebtorKind
from recotui.domain.limitation import (
    LIMITATION_WARNING_DAYS,
    LimitationStatus,
    limitation_date,
    limitation_status,
)


@pytest.mark.parametrize(
    ("kind", "due", "expected"),
    [
        (DebtorKind.COMPANY, date(2025, 3, 15), date(2030, 3, 15)),
        (DebtorKind.CONSUMER, date(2025, 3, 15), date(2027, 3, 15)),
        (DebtorKind.COMPANY, date(2024, 2, 29), date(2029, 2, 28)),
        (DebtorKind.CONSUMER, date(2024, 2, 29), date(2026, 2, 28)),
        (DebtorKind.CONSUMER, date(2022, 2, 28), date(2024, 2, 28)),  # not moved to Feb 29
        ("consumer", date(2025, 12, 31), date(2027, 12, 31)),
    ],
)
def test_limitation_date(kind: DebtorKind, due: date, expected: date) -> None:
    assert limitation_date(kind, due) == expected


def test_status_far_from_the_date() -> None:
    # 2027-03-15 - 2025-06-01: 2025-06-01 -> 2026-06-01 is 365 days, -> 2027-03-15 is 287 more
    status = limitation_status(DebtorKind.CONSUMER, date(2025, 3, 15), date(2025, 6, 1))
    assert status == LimitationStatus(date(2027, 3, 15), 652, warning=False, expired=False)


@pytest.mark.parametrize(
    ("as_of", "days_left", "warning", "expired"),
    [
        (date(2026, 12, 14), 91, False, False),
        (date(2026, 12, 15), 90, True, False),  # 16 days to Dec 31, + 31 + 28 + 15 = 90
        (date(2027, 3, 15), 0, True, False),  # the last day is still in time
        (date(2027, 3, 16), -1, True, True),
    ],
)
def test_status_warning_and_expiry_edges(
    as_of: date, days_left: int, warning: bool, expired: bool
) -> None:
    status = limitation_status(DebtorKind.CONSUMER, date(2025, 3, 15), as_of)
    assert (status.days_left, status.warning, status.expired) == (days_left, warning, expired)


def test_custom_warning_window() -> None:
    status = limitation_status(DebtorKind.COMPANY, date(2025, 3, 15), date(2030, 1, 1), 30)
    # 2030-01-01 -> 2030-03-15: 31 + 28 + 14 = 73 days
    assert (status.days_left, status.warning) == (73, False)
    assert LIMITATION_WARNING_DAYS == 90
