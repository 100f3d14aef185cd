from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recotui.domain.money import (
    Money,
    MoneyError,
    format_money,
    parse_money,
    to_decimal_string,
)


@pytest.mark.parametrize("text, minor", [
    ("1 234,56", 123_456), ("1234.56", 123_456), ("1,234.56", 123_456), ("1.234,56", 123_456),
    ("12", 1200), ("+0012,50", 1250), ("1\u202f234,56\xa0€", 123_456), ("€1,234.56", 123_456),
    ("0,5", 50), ("1.234.567", 123_456_700),
])
def test_parses_common_shapes(text, minor):
    assert parse_money(text).minor == minor


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), ("abc", "not a number"), ("12a", "not a number"), ("1,2,3", "not a number"),
    ("-5", "negative"), ("1,234", "ambiguous"), ("1,500", "ambiguous"),
    ("12.345", "ambiguous"), ("1234,567", "more than 2 decimals"), ("0,001", "ambiguous"),
])
def test_refuses_with_a_reason(text, reason):
    with pytest.raises(MoneyError, match=reason):
        parse_money(text)


def test_a_lone_group_is_thousands_in_a_currency_without_decimals():
    assert parse_money("1,500", "JPY").minor == 1500
    with pytest.raises(MoneyError, match="whole"):
        parse_money("1,5", "JPY")


def test_zero_and_sign_options():
    assert parse_money("-5", allow_negative=True).minor == -500
    with pytest.raises(MoneyError, match="more than zero"):
        parse_money("0", allow_zero=False)


def test_formats_by_locale():
    assert format_money(Money(123_456), "fr") == "1\u202f234,56\xa0€"
    assert format_money(Money(123_456), "en") == "€1,234.56"
    assert format_money(Money(1500, "JPY"), "fr") == "1\u202f500\xa0JPY"


def test_decimal_strings():
    assert to_decimal_string(123_456) == "1234.56"
    assert to_decimal_string(-5) == "-0.05"
    assert to_decimal_string(1500, "JPY") == "1500"


def test_money_never_mixes_currencies():
    with pytest.raises(ValueError):
        Money(1, "EUR") + Money(1, "USD")
    assert Money(250) - Money(50) == Money(200)
    assert Money.from_decimal(Decimal("12.30")).minor == 1230


@given(st.integers(-10**12, 10**12), st.sampled_from(["EUR", "USD", "JPY", "GBP"]),
       st.sampled_from(["fr", "en"]))
def test_format_then_parse_gives_back_the_value(minor, currency, locale):
    money = Money(minor, currency)
    assert parse_money(format_money(money, locale), currency, allow_negative=True) == money
