from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recotui.domain.book import DebtorKind
from recotui.domain.interest import (
    B2B_MARGIN_POINTS,
    ECB_MAIN_REFINANCING_RATES,
    LEGAL_INTEREST_RATES,
    RECOVERY_INDEMNITY_MINOR,
    InterestResult,
    RateTable,
    half_year_of,
    late_interest,
    recovery_indemnity_minor,
)

COMPANY = DebtorKind.COMPANY
CONSUMER = DebtorKind.CONSUMER


# Hand arithmetic below works in "minor units × percent × days"; dividing by
# 100 (percent) × 365 gives minor units, by a further 100 euros.


def test_brief_example_rounds_once_at_the_end() -> None:
    # 10 000,00 € due 2025-05-31, company, to 2025-08-31:
    #   Jun 1-30:  1 000 000 × 13.15 × 30 = 394 500 000
    #   Jul 1-Aug 31: 1 000 000 × 12.15 × 62 = 753 300 000
    #   total 1 147 800 000 / 36 500 = 31 446.575... minor -> 31 447 (314,47 €).
    # Rounding each period first would give 10 808 + 20 638 = 31 446: it must not.
    result = late_interest(1_000_000, date(2025, 5, 31), date(2025, 8, 31), debtor_kind=COMPANY)
    assert result.amount_minor == 31_447
    assert [(p.start, p.end, p.days, p.rate_percent) for p in result.periods] == [
        (date(2025, 6, 1), date(2025, 6, 30), 30, Decimal("13.15")),
        (date(2025, 7, 1), date(2025, 8, 31), 62, Decimal("12.15")),
    ]
    assert result.periods[0].interest.quantize(Decimal("0.000001")) == Decimal("108.082192")
    assert result.periods[1].interest.quantize(Decimal("0.000001")) == Decimal("206.383562")
    assert not result.assumed


def test_partial_payment_reduces_principal_from_the_next_day() -> None:
    # 10 000,00 € due 2025-05-31, 4 000,00 € paid 2025-07-10, company, to 2025-07-31:
    #   Jun 1-30:  1 000 000 × 13.15 × 30 = 394 500 000
    #   Jul 1-10:  1 000 000 × 12.15 × 10 = 121 500 000  (the payment day still bears interest)
    #   Jul 11-31:   600 000 × 12.15 × 21 = 153 090 000
    #   total 669 090 000 / 36 500 = 18 331.23... -> 18 331 (183,31 €)
    result = late_interest(
        1_000_000,
        date(2025, 5, 31),
        date(2025, 7, 31),
        debtor_kind=COMPANY,
        payments=[(date(2025, 7, 10), 400_000)],
    )
    assert result.amount_minor == 18_331
    assert [(p.start, p.end, p.principal_minor) for p in result.periods] == [
        (date(2025, 6, 1), date(2025, 6, 30), 1_000_000),
        (date(2025, 7, 1), date(2025, 7, 10), 1_000_000),
        (date(2025, 7, 11), date(2025, 7, 31), 600_000),
    ]


def test_full_payment_stops_interest_and_later_payments_are_ignored() -> None:
    # Paid in full on 2025-06-10: Jun 1-10 only, 1 000 000 × 13.15 × 10 = 131 500 000
    #   / 36 500 = 3 602.74 -> 3 603. The payment after as_of must not count.
    result = late_interest(
        1_000_000,
        date(2025, 5, 31),
        date(2025, 12, 31),
        debtor_kind=COMPANY,
        payments=[(date(2025, 6, 10), 1_000_000), (date(2026, 1, 5), 1)],
    )
    assert result.amount_minor == 3_603
    assert len(result.periods) == 1 and result.periods[0].end == date(2025, 6, 10)


def test_payment_before_due_date_reduces_from_the_start() -> None:
    # 1 000,00 € with 250,00 € paid early; 75 000 × 13.15 × 30 = 29 587 500 / 36 500
    #   = 810.62 -> 811
    result = late_interest(
        100_000,
        date(2025, 5, 31),
        date(2025, 6, 30),
        debtor_kind=COMPANY,
        payments=[(date(2025, 5, 2), 25_000)],
    )
    assert result.amount_minor == 811
    assert result.periods[0].principal_minor == 75_000


def test_consumer_uses_the_legal_rate_without_margin() -> None:
    # 5 000,00 € due 2024-12-31, consumer, to 2025-03-31: Jan 31 + Feb 28 + Mar 31 = 90 days
    #   500 000 × 3.71 × 90 = 166 950 000 / 36 500 = 4 573.97 -> 4 574 (45,74 €)
    result = late_interest(500_000, date(2024, 12, 31), date(2025, 3, 31), debtor_kind=CONSUMER)
    assert result.amount_minor == 4_574
    assert [(p.days, p.rate_percent) for p in result.periods] == [(90, Decimal("3.71"))]


def test_consumer_across_a_half_year() -> None:
    # 2 000,00 € due 2025-06-15 to 2025-07-15:
    #   Jun 16-30: 200 000 × 3.71 × 15 = 11 130 000
    #   Jul 1-15:  200 000 × 2.76 × 15 =  8 280 000
    #   19 410 000 / 36 500 = 531.78 -> 532
    result = late_interest(200_000, date(2025, 6, 15), date(2025, 7, 15), debtor_kind="consumer")
    assert result.amount_minor == 532
    assert [p.rate_percent for p in result.periods] == [Decimal("3.71"), Decimal("2.76")]


def test_missing_half_year_uses_the_last_known_rate_flagged() -> None:
    # 1 000,00 € due 2026-06-15, company, to 2026-07-31. 2026-H2 is not in the table, so
    # 2026-H1's 2.15 is assumed:
    #   Jun 16-30: 100 000 × 12.15 × 15 = 18 225 000 (known)
    #   Jul 1-31:  100 000 × 12.15 × 31 = 37 665 000 (assumed)
    #   55 890 000 / 36 500 = 1 531.23 -> 1 531
    result = late_interest(100_000, date(2026, 6, 15), date(2026, 7, 31), debtor_kind=COMPANY)
    assert result.amount_minor == 1_531
    assert [p.assumed_rate for p in result.periods] == [False, True]
    assert result.assumed


def test_user_rate_overrides_remove_the_assumption() -> None:
    # Same as above with 2026-H2 set to 1.90: Jul 100 000 × 11.90 × 31 = 36 890 000;
    #   (18 225 000 + 36 890 000) / 36 500 = 1 510.0 -> 1 510
    ecb = ECB_MAIN_REFINANCING_RATES.merged({"2026-H2": "1.90"})
    result = late_interest(
        100_000, date(2026, 6, 15), date(2026, 7, 31), debtor_kind=COMPANY, ecb_rates=ecb
    )
    assert result.amount_minor == 1_510
    assert not result.assumed


def test_consumer_missing_half_year_is_flagged() -> None:
    rate, assumed = LEGAL_INTEREST_RATES.rate_for(date(2026, 2, 1))
    assert (rate, assumed) == (Decimal("2.76"), True)


def test_interest_rounds_half_even() -> None:
    # A 10 % table, one day: 1 825 × 10 × 1 / 36 500 = 0.5 minor -> 0 (half-even);
    #   5 475 × 10 / 36 500 = 1.5 -> 2.
    ten = RateTable.from_mapping({"2025-H1": "10"})

    def one_day(principal: int) -> InterestResult:
        return late_interest(
            principal, date(2025, 1, 1), date(2025, 1, 2), debtor_kind=CONSUMER, legal_rates=ten
        )

    assert one_day(1_825).amount_minor == 0
    assert one_day(5_475).amount_minor == 2


def test_leap_year_counts_actual_days_over_365() -> None:
    # 2024-02-01 .. 2024-02-29 is 29 days; 365 000 × 14.50 × 29 = 153 482 500 / 36 500
    #   = 4 205.0 exactly.
    result = late_interest(365_000, date(2024, 1, 31), date(2024, 2, 29), debtor_kind=COMPANY)
    assert result.periods[0].days == 29
    assert result.amount_minor == 4_205


@pytest.mark.parametrize(
    ("principal", "due", "as_of"),
    [
        (100_000, date(2025, 5, 31), date(2025, 5, 31)),  # due today
        (100_000, date(2025, 5, 31), date(2025, 5, 1)),  # not yet due
        (0, date(2025, 1, 31), date(2025, 5, 31)),
        (-500, date(2025, 1, 31), date(2025, 5, 31)),
    ],
)
def test_no_interest(principal: int, due: date, as_of: date) -> None:
    assert late_interest(principal, due, as_of, debtor_kind=COMPANY) == InterestResult(0, ())


def test_one_day_late_is_one_day_of_interest() -> None:
    # 365 000 × 13.15 × 1 / 36 500 = 131.5 -> 132 (half-even: 131 is odd, rounds up)
    result = late_interest(365_000, date(2025, 5, 31), date(2025, 6, 1), debtor_kind=COMPANY)
    assert result.amount_minor == 132
    assert result.periods[0].days == 1


def test_negative_payment_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        late_interest(
            100, date(2025, 1, 1), date(2025, 2, 1), debtor_kind=COMPANY,
            payments=[(date(2025, 1, 5), -1)],
        )


def test_default_tables_hold_the_briefed_figures() -> None:
    assert ECB_MAIN_REFINANCING_RATES.rate_for(date(2024, 7, 1)) == (Decimal("4.25"), False)
    assert ECB_MAIN_REFINANCING_RATES.rate_for(date(2025, 6, 30)) == (Decimal("3.15"), False)
    assert ECB_MAIN_REFINANCING_RATES.rate_for(date(2026, 1, 1)) == (Decimal("2.15"), False)
    assert LEGAL_INTEREST_RATES.rate_for(date(2023, 12, 31)) == (Decimal("4.22"), False)
    assert B2B_MARGIN_POINTS == Decimal("10")


def test_day_before_the_table_takes_its_first_rate_flagged() -> None:
    assert ECB_MAIN_REFINANCING_RATES.rate_for(date(2021, 12, 31)) == (Decimal("0.00"), True)


def test_rate_table_round_trips_through_config_text() -> None:
    table = RateTable.from_mapping({"2025-h2": 2.15, " 2025-H1 ": "3.15", "2024-H2": 4})
    assert table.to_mapping() == {"2024-H2": "4", "2025-H1": "3.15", "2025-H2": "2.15"}
    assert RateTable.from_mapping(table.to_mapping()) == table
    assert hash(RateTable.from_mapping(table.to_mapping())) == hash(table)


def test_merged_overrides_win_and_original_is_unchanged() -> None:
    merged = ECB_MAIN_REFINANCING_RATES.merged({"2025-H2": "2.00", "2026-H2": "1.90"})
    assert merged.rate_for(date(2025, 9, 1)) == (Decimal("2.00"), False)
    assert merged.rate_for(date(2026, 9, 1)) == (Decimal("1.90"), False)
    assert ECB_MAIN_REFINANCING_RATES.rate_for(date(2025, 9, 1)) == (Decimal("2.15"), False)
    both = ECB_MAIN_REFINANCING_RATES.merged(RateTable.from_mapping({"2022-H1": "1"}))
    assert both.rate_for(date(2022, 3, 1)) == (Decimal("1"), False)


@pytest.mark.parametrize(
    "mapping",
    [{}, {"2025": "1"}, {"2025-H3": "1"}, {"2025-H1": "abc"}, {"2025-H1": "NaN"},
     {"2025-H1": True}, {"2025-H1": None}],
)
def test_bad_rate_tables_are_refused(mapping: dict) -> None:
    with pytest.raises(ValueError):
        RateTable.from_mapping(mapping)


def test_recovery_indemnity() -> None:
    assert RECOVERY_INDEMNITY_MINOR == 4_000
    assert recovery_indemnity_minor(COMPANY, 3) == 12_000
    assert recovery_indemnity_minor(COMPANY, 0) == 0
    assert recovery_indemnity_minor(CONSUMER, 3) == 0
    with pytest.raises(ValueError):
        recovery_indemnity_minor(COMPANY, -1)


@given(
    st.integers(1, 10**10),
    st.dates(date(2021, 1, 1), date(2027, 12, 31)),
    st.integers(0, 2_000),
    st.sampled_from(DebtorKind),
)
def test_periods_cover_every_late_day_once(
    principal: int, due: date, late_days: int, kind: DebtorKind
) -> None:
    as_of = due + timedelta(days=late_days)
    result = late_interest(principal, due, as_of, debtor_kind=kind)
    assert sum(p.days for p in result.periods) == late_days
    for before, after in zip(result.periods, result.periods[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
        assert half_year_of(before.start) == half_year_of(before.end)
    # Rounded once: within half a minor unit of the exact sum of the periods.
    exact_minor = sum((p.interest for p in result.periods), Decimal(0)) * 100
    assert abs(result.amount_minor - exact_minor) <= Decimal("0.5")
