"""Late-payment interest (intérêts de retard) and the fixed €40 recovery indemnity."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation, localcontext
from types import MappingProxyType

from recotui.domain.book import DebtorKind
from recotui.domain.money import round_half_even

HalfYear = tuple[int, int]  # (year, 1) for January-June, (year, 2) for July-December

_HALF_YEAR_KEY = re.compile(r"(\d{4})-H([12])")

# Enough digits that principal × rate × days is exact and the one division is correctly
# rounded, whatever the caller's decimal context.
_CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)


def half_year_of(day: date) -> HalfYear:
    return (day.year, 1 if day.month <= 6 else 2)


def _next_half_year_start(day: date) -> date:
    return date(day.year, 7, 1) if day.month <= 6 else date(day.year + 1, 1, 1)


@dataclass(frozen=True, slots=True)
class RateTable:
    """Annual percentage rates by half-year, as the law fixes them once per half-year."""

    rates: Mapping[HalfYear, Decimal]

    def __post_init__(self) -> None:
        if not self.rates:
            raise ValueError("A rate table needs at least one half-year.")
        cleaned: dict[HalfYear, Decimal] = {}
        for (year, half), rate in self.rates.items():
            if half not in (1, 2):
                raise ValueError(f"Half-year of {year} must be 1 or 2, not {half!r}.")
            cleaned[(int(year), half)] = _rate_value(f"{year}-H{half}", rate)
        object.__setattr__(self, "rates", MappingProxyType(dict(sorted(cleaned.items()))))

    def __hash__(self) -> int:
        return hash(tuple(self.rates.items()))

    def rate_for(self, day: date) -> tuple[Decimal, bool]:
        """The rate of the day's half-year and whether it was assumed.

        A missing half-year takes the latest earlier known rate, flagged as assumed so the
        user knows to update the table; a day before the whole table takes its first rate,
        flagged too. We still show a figure rather than refuse.
        """
        wanted = half_year_of(day)
        if wanted in self.rates:
            return self.rates[wanted], False
        earlier = [key for key in self.rates if key < wanted]
        key = max(earlier) if earlier else min(self.rates)
        return self.rates[key], True

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str | int | float | Decimal]) -> RateTable:
        """From configuration text: {"2025-H1": "3.15", ...}; TOML floats are read via str."""
        rates: dict[HalfYear, Decimal] = {}
        for key, value in mapping.items():
            match = _HALF_YEAR_KEY.fullmatch(str(key).strip().upper())
            if match is None:
                raise ValueError(f'Rate table key "{key}" is not a half-year like 2025-H1.')
            rates[(int(match[1]), int(match[2]))] = _rate_value(key, value)
        return cls(rates)

    def to_mapping(self) -> dict[str, str]:
        """Configuration text, the inverse of from_mapping; strings keep Decimal exact."""
        return {f"{year}-H{half}": str(rate) for (year, half), rate in self.rates.items()}

    def merged(
        self, overrides: RateTable | Mapping[str, str | int | float | Decimal]
    ) -> RateTable:
        """This table with the user's half-years added or replaced."""
        extra = overrides if isinstance(overrides, RateTable) else RateTable.from_mapping(overrides)
        return RateTable({**self.rates, **extra.rates})


def _rate_value(key: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(f'Rate for {key} "{value}" is not a number.')
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f'Rate for {key} "{value}" is not a number.') from None
    if not rate.is_finite():
        raise ValueError(f'Rate for {key} "{value}" is not a number.')
    return rate


# ECB main refinancing operations rate in force on 1 January / 1 July, which Code de commerce
# L441-10 applies to the whole half-year. Figures after 2026-H1 must be added by users in
# their configuration (RateTable.merged); until then the last one is used, flagged assumed.
ECB_MAIN_REFINANCING_RATES = RateTable.from_mapping(
    {
        "2022-H1": "0.00",
        "2022-H2": "0.00",
        "2023-H1": "2.50",
        "2023-H2": "4.00",
        "2024-H1": "4.50",
        "2024-H2": "4.25",
        "2025-H1": "3.15",
        "2025-H2": "2.15",
        "2026-H1": "2.15",
    }
)

# Taux de l'intérêt légal, "autres cas" (the creditor is a professional), used for consumer
# debtors. Check each figure against the arrêté published every half-year; users can add or
# correct half-years in their configuration.
LEGAL_INTEREST_RATES = RateTable.from_mapping(
    {
        "2023-H1": "2.06",
        "2023-H2": "4.22",
        "2024-H1": "5.07",
        "2024-H2": "4.92",
        "2025-H1": "3.71",
        "2025-H2": "2.76",
    }
)

B2B_MARGIN_POINTS = Decimal("10")  # L441-10: ECB rate + 10 points between businesses
RECOVERY_INDEMNITY_MINOR = 4000  # D441-5: €40 per unpaid invoice, professional debtors only
DAY_COUNT_BASIS = 365


@dataclass(frozen=True, slots=True)
class InterestPeriod:
    start: date  # first day of interest, inclusive
    end: date  # last day, inclusive
    days: int
    principal_minor: int
    rate_percent: Decimal  # annual, margin included
    interest: Decimal  # in currency units (euros), unrounded
    assumed_rate: bool


@dataclass(frozen=True, slots=True)
class InterestResult:
    amount_minor: int
    periods: tuple[InterestPeriod, ...]

    @property
    def assumed(self) -> bool:
        return any(period.assumed_rate for period in self.periods)


def late_interest(
    principal_minor: int,
    due_date: date,
    as_of: date,
    *,
    debtor_kind: DebtorKind,
    payments: Sequence[tuple[date, int]] = (),
    ecb_rates: RateTable = ECB_MAIN_REFINANCING_RATES,
    legal_rates: RateTable = LEGAL_INTEREST_RATES,
) -> InterestResult:
    """Simple interest, actual days / 365, from the day after due_date through as_of.

    A payment reduces the principal from the day after it is made. Periods split at each
    half-year (the rate changes) and each payment; the amount is rounded once, at the end.
    """
    if principal_minor <= 0 or as_of <= due_date:
        return InterestResult(0, ())
    one_day = timedelta(days=1)
    start = due_date + one_day
    # Principal reductions by the first day they count.
    reductions: dict[date, int] = {}
    for paid_on, amount_minor in payments:
        if amount_minor < 0:
            raise ValueError("A payment amount must not be negative.")
        effective = max(paid_on + one_day, start)
        reductions[effective] = reductions.get(effective, 0) + amount_minor

    principal = max(0, principal_minor - reductions.pop(start, 0))
    periods: list[InterestPeriod] = []
    total = Decimal(0)  # in minor units × percent × days, exact
    day = start
    with localcontext(_CONTEXT):
        while day <= as_of and principal > 0:
            later_reductions = [d for d in reductions if d > day]
            following = min([_next_half_year_start(day), as_of + one_day, *later_reductions])
            rate, assumed = _rate_for(day, debtor_kind, ecb_rates, legal_rates)
            days = (following - day).days
            weighted = principal * rate * days
            total += weighted
            periods.append(
                InterestPeriod(
                    start=day,
                    end=following - one_day,
                    days=days,
                    principal_minor=principal,
                    rate_percent=rate,
                    interest=weighted / (100 * 100 * DAY_COUNT_BASIS),
                    assumed_rate=assumed,
                )
            )
            day = following
            principal = max(0, principal - reductions.pop(day, 0))
        amount = round_half_even(total / (100 * 100 * DAY_COUNT_BASIS), "EUR")
    return InterestResult(amount.minor, tuple(periods))


def _rate_for(
    day: date, debtor_kind: DebtorKind, ecb_rates: RateTable, legal_rates: RateTable
) -> tuple[Decimal, bool]:
    if DebtorKind(debtor_kind) == DebtorKind.COMPANY:
        ecb_rate, assumed = ecb_rates.rate_for(day)
        return ecb_rate + B2B_MARGIN_POINTS, assumed
    return legal_rates.rate_for(day)


def recovery_indemnity_minor(debtor_kind: DebtorKind, unpaid_invoice_count: int) -> int:
    """€40 per unpaid invoice for a professional debtor (D441-5); none for a consumer."""
    if unpaid_invoice_count < 0:
        raise ValueError("The number of unpaid invoices must not be negative.")
    if DebtorKind(debtor_kind) == DebtorKind.COMPANY:
        return RECOVERY_INDEMNITY_MINOR * unpaid_invoice_count
    return 0
