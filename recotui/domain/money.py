"""Money as integer minor units plus an ISO 4217 code; Decimal only at the text boundary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_currency, format_decimal, get_currency_precision


class MoneyError(ValueError):
    """Text that is not an acceptable amount; the message says why, for the user."""


@lru_cache(maxsize=64)
def precision(currency: str) -> int:
    """Number of minor-unit digits of a currency (EUR 2, JPY 0)."""
    return get_currency_precision(currency.upper())


@dataclass(frozen=True, slots=True, order=True)
class Money:
    minor: int
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError("Money.minor must be an int of minor units")

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.minor).scaleb(-precision(self.currency))

    @classmethod
    def zero(cls, currency: str = "EUR") -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, value: Decimal, currency: str = "EUR") -> Money:
        """Exact conversion; more decimals than the currency allows is an error."""
        digits = precision(currency)
        scaled = value.scaleb(digits)
        if scaled != scaled.to_integral_value():
            raise MoneyError(f"has more than {digits} decimals")
        return cls(int(scaled), currency)


def to_decimal_string(minor: int, currency: str = "EUR") -> str:
    """Plain decimal text, as used in JSON and CSV exports: 1234.50."""
    digits = precision(currency)
    sign = "-" if minor < 0 else ""
    units, cents = divmod(abs(minor), 10**digits)
    return f"{sign}{units}.{cents:0{digits}d}" if digits else f"{sign}{units}"


def format_money(money: Money, locale: str = "fr") -> str:
    """Locale formatting: "1 234,56 €" in fr, "€1,234.56" in en."""
    return format_currency(money.decimal, money.currency, locale=_babel_locale(locale))


def format_amount(money: Money, locale: str = "fr") -> str:
    """Locale formatting without the currency sign, for table columns."""
    digits = precision(money.currency)
    return format_decimal(
        money.decimal, format=f"#,##0.{'0' * digits}" if digits else "#,##0",
        locale=_babel_locale(locale),
    )


def _babel_locale(locale: str) -> str:
    return {"fr": "fr_FR", "en": "en_GB"}.get(locale, locale)


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
# Currency marks as babel writes them: "€", "$US", "£GB", "CHF"; stray letters stay and fail.
_SYMBOL = re.compile(r"[A-Z]{0,2}[€$£¥][A-Z]{0,2}")
_CODE = re.compile(r"\b[A-Z]{3}\b")


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def _strip_currency(text: str) -> str:
    text = _SYMBOL.sub("", text)
    return _CODE.sub(lambda m: "" if m.group() in _currency_codes() else m.group(), text)


def parse_decimal_text(text: str, *, max_decimals: int | None = None) -> Decimal:
    """Reads "1 234,56", "1234.56", "1,234.56", "1.234,56", "-12", "+0012,50".

    A lone separator followed by exactly three digits ("1,500") is a thousands group for a
    currency without decimals, ambiguous for one with fewer than three, and decimal otherwise.
    """
    raw = text.strip()
    if not raw:
        raise MoneyError("is empty")
    cleaned = _SPACES.sub("", _strip_currency(raw))
    sign = ""
    if cleaned[:1] in "+-":
        sign, cleaned = ("-" if cleaned[0] == "-" else ""), cleaned[1:]
    elif cleaned.endswith("-"):  # accounting exports sometimes trail the sign
        sign, cleaned = "-", cleaned[:-1]
    if not cleaned or not re.fullmatch(r"[0-9.,]+", cleaned):
        raise MoneyError("is not a number")
    last_dot, last_comma = cleaned.rfind("."), cleaned.rfind(",")
    decimal_sep = "." if last_dot > last_comma else ","
    if last_dot == -1 and last_comma == -1:
        decimal_sep = ""
    elif cleaned.count(decimal_sep) > 1:
        # "1.234.567" or "1,234,567": only grouping separators.
        decimal_sep = ""
    if decimal_sep and _lone_group(cleaned, decimal_sep) and max_decimals is not None:
        if max_decimals == 0:
            decimal_sep = ""
        elif max_decimals < 3:
            raise MoneyError("is ambiguous: a thousands separator or decimals? "
                             "Write 1000 or 1 000,00")
    if decimal_sep:
        whole, frac = cleaned.rsplit(decimal_sep, 1)
        group_sep = "," if decimal_sep == "." else "."
        if group_sep in frac:
            raise MoneyError("is not a number")
        if whole and not _valid_grouping(whole, group_sep):
            raise MoneyError("is not a number")
        whole = whole.replace(group_sep, "")
        number = f"{whole or '0'}.{frac}"
    else:
        sep = "," if "," in cleaned else "."
        if not _valid_grouping(cleaned, sep):
            raise MoneyError("is not a number")
        number = cleaned.replace(sep, "")
    try:
        return Decimal(sign + number)
    except InvalidOperation as exc:  # pragma: no cover - the regex guards this
        raise MoneyError("is not a number") from exc


def _lone_group(cleaned: str, sep: str) -> bool:
    whole, _, frac = cleaned.partition(sep)
    other = "," if sep == "." else "."
    return len(frac) == 3 and 1 <= len(whole) <= 3 and other not in cleaned


def _valid_grouping(whole: str, sep: str) -> bool:
    if sep not in whole:
        return whole.isdigit()
    head, *groups = whole.split(sep)
    return head.isdigit() and len(head) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups)


def parse_money(text: str, currency: str = "EUR", *, allow_negative: bool = False,
                allow_zero: bool = True) -> Money:
    """Parse user or file text into Money; raises MoneyError with a reason."""
    digits = precision(currency)
    value = parse_decimal_text(text, max_decimals=digits)
    if -value.as_tuple().exponent > digits:  # "1,500" is three decimals even if the last is 0
        raise MoneyError(f"has more than {digits} decimals" if digits else "must be whole")
    if value < 0 and not allow_negative:
        raise MoneyError("must not be negative")
    if value == 0 and not allow_zero:
        raise MoneyError("must be more than zero")
    return Money.from_decimal(value, currency)


def round_half_even(value: Decimal, currency: str = "EUR") -> Money:
    """Computed amounts (interest) round half-even to the currency's minor unit."""
    digits = precision(currency)
    quantum = Decimal(1).scaleb(-digits)
    return Money.from_decimal(value.quantize(quantum, rounding=ROUND_HALF_EVEN), currency)
