import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recotui.domain.schedule import (
    Frequency,
    ScheduledInstalment,
    ScheduleError,
    build_schedule,
)


def _dates(plan: list[ScheduledInstalment]) -> list[date]:
    return [i.due_date for i in plan]


def test_monthly_split_puts_the_remainder_on_the_last_instalment() -> None:
    # 1 000,00 € in 3: 100000 // 3 = 33333, remainder 1 -> 33333, 33333, 33334.
    plan = build_schedule(100_000, 3, Frequency.MONTHLY, date(2025, 1, 15))
    assert plan == [
        ScheduledInstalment(1, date(2025, 1, 15), 33_333),
        ScheduledInstalment(2, date(2025, 2, 15), 33_333),
        ScheduledInstalment(3, date(2025, 3, 15), 33_334),
    ]


def test_down_payment_first_then_regular_instalments_one_period_later() -> None:
    # 1 200,00 € with 200,00 € down, 4 weekly: 100000 // 4 = 25000, no remainder.
    plan = build_schedule(120_000, 4, Frequency.WEEKLY, date(2025, 3, 3), down_payment_minor=20_000)
    assert plan[0] == ScheduledInstalment(1, date(2025, 3, 3), 20_000, is_down_payment=True)
    assert [(i.seq, i.due_date, i.amount_minor, i.is_down_payment) for i in plan[1:]] == [
        (2, date(2025, 3, 10), 25_000, False),
        (3, date(2025, 3, 17), 25_000, False),
        (4, date(2025, 3, 24), 25_000, False),
        (5, date(2025, 3, 31), 25_000, False),
    ]


def test_fortnightly_dates() -> None:
    plan = build_schedule(1_000, 3, "fortnightly", date(2025, 12, 22))
    assert _dates(plan) == [date(2025, 12, 22), date(2026, 1, 5), date(2026, 1, 19)]


def test_month_end_anchor_stays_on_month_ends() -> None:
    plan = build_schedule(600, 6, Frequency.MONTHLY, date(2025, 4, 30))
    assert _dates(plan) == [
        date(2025, 4, 30),
        date(2025, 5, 31),
        date(2025, 6, 30),
        date(2025, 7, 31),
        date(2025, 8, 31),
        date(2025, 9, 30),
    ]


def test_february_month_end_anchor_in_leap_year() -> None:
    plan = build_schedule(300, 3, Frequency.MONTHLY, date(2024, 2, 29))
    assert _dates(plan) == [date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]


def test_day_30_is_clamped_in_february_then_restored() -> None:
    plan = build_schedule(300, 3, Frequency.MONTHLY, date(2025, 1, 30))
    assert _dates(plan) == [date(2025, 1, 30), date(2025, 2, 28), date(2025, 3, 30)]
    leap = build_schedule(300, 3, Frequency.MONTHLY, date(2024, 1, 30))
    assert _dates(leap) == [date(2024, 1, 30), date(2024, 2, 29), date(2024, 3, 30)]


def test_monthly_with_down_payment_from_a_month_end() -> None:
    # Down payment on Jan 31, then Feb 28, Mar 31 (end-of-month rule, from the anchor).
    plan = build_schedule(10_000, 2, Frequency.MONTHLY, date(2025, 1, 31), down_payment_minor=1)
    assert _dates(plan) == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)]
    # 9999 // 2 = 4999, remainder 1 -> 4999, 5000.
    assert [i.amount_minor for i in plan] == [1, 4_999, 5_000]


def test_single_instalment_is_the_whole_total() -> None:
    assert build_schedule(12_345, 1, Frequency.MONTHLY, date(2025, 5, 5)) == [
        ScheduledInstalment(1, date(2025, 5, 5), 12_345)
    ]


@pytest.mark.parametrize(
    ("total", "count", "down", "words"),
    [
        (0, 3, 0, "more than zero"),
        (-100, 3, 0, "more than zero"),
        (1_000, 0, 0, "between 1 and 120"),
        (1_000, 121, 0, "between 1 and 120"),
        (1_000, 3, -1, "negative"),
        (1_000, 3, 1_000, "less than the plan total"),
        (2, 3, 0, "some would be zero"),
        (10, 3, 8, "some would be zero"),
    ],
)
def test_refused_plans_say_why(total: int, count: int, down: int, words: str) -> None:
    with pytest.raises(ScheduleError, match=words):
        build_schedule(total, count, Frequency.MONTHLY, date(2025, 1, 1), down_payment_minor=down)


def test_unknown_frequency_and_overflowing_dates_are_schedule_errors() -> None:
    with pytest.raises(ScheduleError, match="Unknown frequency"):
        build_schedule(100, 1, "daily", date(2025, 1, 1))
    with pytest.raises(ScheduleError, match="9999"):
        build_schedule(100, 2, Frequency.MONTHLY, date(9999, 12, 1))


@st.composite
def plans(draw: st.DrawFn) -> tuple[int, int, Frequency, date, int]:
    count = draw(st.integers(1, 120))
    down = draw(st.one_of(st.just(0), st.integers(1, 10**9)))
    regular = draw(st.integers(count, 10**10))
    frequency = draw(st.sampled_from(Frequency))
    first = draw(st.dates(date(1990, 1, 1), date(2100, 12, 31)))
    return down + regular, count, frequency, first, down


@given(plans())
def test_schedule_properties(plan_args: tuple[int, int, Frequency, date, int]) -> None:
    total, count, frequency, first, down = plan_args
    plan = build_schedule(total, count, frequency, first, down_payment_minor=down)

    assert sum(i.amount_minor for i in plan) == total
    assert all(i.amount_minor >= 0 for i in plan)
    dates = _dates(plan)
    assert all(a < b for a, b in zip(dates, dates[1:], strict=False))
    assert dates[0] == first
    assert [i.seq for i in plan] == list(range(1, len(plan) + 1))

    regular = [i for i in plan if not i.is_down_payment]
    assert len(regular) == count
    assert len(plan) == count + (1 if down else 0)
    if down:
        assert plan[0].is_down_payment and plan[0].amount_minor == down
    last, others = regular[-1].amount_minor, [i.amount_minor for i in regular[:-1]]
    assert all(0 <= last - other < count for other in others)
    assert len(set(others)) <= 1


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)), st.integers(1, 120))
def test_monthly_dates_come_from_the_anchor(first: date, count: int) -> None:
    # Checked against calendar arithmetic, not relativedelta, so the test can disagree.
    anchor_is_month_end = first.day == calendar.monthrange(first.year, first.month)[1]
    plan = build_schedule(count, count, Frequency.MONTHLY, first)
    for k, instalment in enumerate(plan):
        year, month0 = divmod(first.year * 12 + first.month - 1 + k, 12)
        month_length = calendar.monthrange(year, month0 + 1)[1]
        day = month_length if anchor_is_month_end else min(first.day, month_length)
        assert instalment.due_date == date(year, month0 + 1, day)
