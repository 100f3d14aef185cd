from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recotui.domain.aging import AGING_BUCKETS, aging_bucket, bucket_totals, days_past_due


@pytest.mark.parametrize(
    ("due", "as_of", "expected"),
    [
        (date(2025, 3, 31), date(2025, 3, 1), 0),  # not yet due
        (date(2025, 3, 31), date(2025, 3, 31), 0),  # due today is not late
        (date(2025, 3, 31), date(2025, 4, 1), 1),
        (date(2024, 2, 28), date(2024, 3, 1), 2),  # 2024 is a leap year: Feb 29 counts
        (date(2024, 12, 31), date(2025, 12, 31), 365),
    ],
)
def test_days_past_due(due: date, as_of: date, expected: int) -> None:
    assert days_past_due(due, as_of) == expected


@pytest.mark.parametrize(
    ("dpd", "bucket"),
    [
        (-5, "not_due"),
        (0, "not_due"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "91-180"),
        (180, "91-180"),
        (181, "181+"),
        (5000, "181+"),
    ],
)
def test_aging_bucket_edges(dpd: int, bucket: str) -> None:
    assert aging_bucket(dpd) == bucket


def test_bucket_totals_sums_per_bucket_and_keeps_empty_buckets() -> None:
    as_of = date(2025, 6, 30)
    rows = [
        (date(2025, 7, 15), 10_000),  # not due
        (date(2025, 6, 30), 2_500),  # due today: not due
        (date(2025, 6, 1), 1_000),  # 29 days
        (date(2025, 5, 31), 500),  # 30 days
        (date(2025, 5, 1), 700),  # 60 days
        (date(2024, 1, 1), 99),  # 546 days
    ]
    assert bucket_totals(rows, as_of) == {
        "not_due": 12_500,
        "1-30": 1_500,
        "31-60": 700,
        "61-90": 0,
        "91-180": 0,
        "181+": 99,
    }
    assert list(bucket_totals([], as_of)) == list(AGING_BUCKETS)


@given(
    st.lists(
        st.tuples(st.integers(-400, 400), st.integers(-10**9, 10**9)),
        max_size=30,
    )
)
def test_bucket_totals_keep_the_grand_total(offsets: list[tuple[int, int]]) -> None:
    as_of = date(2025, 6, 30)
    rows = [(as_of + timedelta(days=offset), amount) for offset, amount in offsets]
    totals = bucket_totals(rows, as_of)
    assert sum(totals.values()) == sum(amount for _, amount in rows)
    assert tuple(totals) == AGING_BUCKETS
