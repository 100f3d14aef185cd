from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recotui import i18n
from recotui.widgets.date_input import (
    DateTextError,
    date_text,
    parse_date_text,
    parse_time_text,
    spoken_date,
)
from recotui.widgets.money_input import amount_text, field_error

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize("text, expected", [
    ("17/03/2026", date(2026, 3, 17)),
    ("7/3/2026", date(2026, 3, 7)),
    ("17.03.26", date(2026, 3, 17)),
    ("17/03", date(2026, 3, 17)),
    ("2026-03-17", date(2026, 3, 17)),
    ("+7", date(2026, 3, 17)),
    ("+ 2w", date(2026, 3, 24)),
    ("+2s", date(2026, 3, 24)),
    ("+1m", date(2026, 4, 10)),
    ("today", TODAY),
    (" auj ", TODAY),
])
def test_dates_as_agents_type_them(text, expected):
    assert parse_date_text(text, TODAY) == expected


@pytest.mark.parametrize("text, reason", [
    ("31/02/2026", "is not a date"),
    ("2026-02-30", "is not a date"),
    ("", "is empty"),
    ("next tuesday", "is not a date (dd/mm/yyyy, yyyy-mm-dd or +days)"),
    ("-3", "is not a date (dd/mm/yyyy, yyyy-mm-dd or +days)"),
    ("+99999", "is not a date (dd/mm/yyyy, yyyy-mm-dd or +days)"),
])
def test_what_is_not_a_date(text, reason):
    with pytest.raises(DateTextError) as caught:
        parse_date_text(text, TODAY)
    assert str(caught.value) == reason


@pytest.mark.parametrize("text, expected", [
    ("14:30", time(14, 30)), ("9:05", time(9, 5)), ("14h30", time(14, 30)),
    ("14h", time(14)), ("14", time(14)), ("08.15", time(8, 15)),
])
def test_times(text, expected):
    assert parse_time_text(text) == expected


@pytest.mark.parametrize("text", ["25:00", "12:60", "noon", "", "1430pm"])
def test_what_is_not_a_time(text):
    with pytest.raises(DateTextError):
        parse_time_text(text)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)),
       st.sampled_from(["fr", "en"]))
def test_a_date_shown_reads_back(day, lang):
    assert parse_date_text(date_text(day, lang), TODAY) == day


def test_spoken_dates_name_the_weekday():
    assert spoken_date(date(2026, 3, 17), "en") == "Tue 17 Mar 2026"
    assert spoken_date(date(2026, 3, 17), "fr") == "mar. 17 mars 2026"


def test_amounts_prefilled_as_typed():
    assert amount_text(123_456, "EUR", "fr") == "1234,56"
    assert amount_text(123_456, "EUR", "en") == "1234.56"
    assert amount_text(1500, "JPY", "fr") == "1500"


def test_field_errors_name_the_field_and_the_text():
    try:
        i18n.set_language("en")
        assert field_error("Amount", "12,345", "has more than 2 decimals") == \
            "Amount: 12,345 has more than 2 decimals"
        assert field_error("Amount", "  ", "is empty") == "Amount: required"
        i18n.set_language("fr")
        assert field_error("Amount", "1234,567", "has more than 2 decimals") == \
            "Montant : 1234,567 a plus de 2 décimales"
    finally:
        i18n.set_language("en")
