"""Date and time fields. Dates are typed dd/mm/yyyy (or dd/mm, this year), yyyy-mm-dd, or
as a shift from today: +7 (days), +2w or +2s (weeks), +1m (months). Times are HH:MM, 14h30
or 14h. What was typed stays as typed; `error()` says what is wrong with it."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from babel.dates import format_date as babel_format_date
from dateutil.relativedelta import relativedelta
from textual.widgets import Input

from recotui.i18n import language
from recotui.widgets.money_input import field_error


class DateTextError(ValueError):
    """Text that is not a date or a time; the message is the reason, for the user."""


_SHIFT = re.compile(r"\+\s*(\d{1,4})\s*([djwsm]?)")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?")
_TIME = re.compile(r"(\d{1,2})(?:\s*[:hH.]\s*(\d{2})?)?")
_TODAY = {"today", "auj", "aujourd'hui", "0", "+0"}


def parse_date_text(text: str, today: date) -> date:
    raw = text.strip().lower()
    if not raw:
        raise DateTextError("is empty")
    if raw in _TODAY:
        return today
    if match := _SHIFT.fullmatch(raw):
        count, unit = int(match.group(1)), match.group(2) or "d"
        try:
            if unit == "m":
                return today + relativedelta(months=count)
            return today + timedelta(days=count * (7 if unit in "ws" else 1))
        except (OverflowError, ValueError):
            raise DateTextError("is too far away") from None
    if match := _ISO.fullmatch(raw):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.fullmatch(raw):
        day, month = int(match.group(1)), int(match.group(2))
        year_text = match.group(3)
        if year_text is None:
            year = today.year
        else:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    else:
        raise DateTextError("is not a date (dd/mm/yyyy, yyyy-mm-dd or +days)")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateTextError("is not a date") from None


def parse_time_text(text: str) -> time:
    raw = text.strip()
    if not raw:
        raise DateTextError("is empty")
    match = _TIME.fullmatch(raw)
    if match is None:
        raise DateTextError("is not a time (HH:MM)")
    try:
        return time(int(match.group(1)), int(match.group(2) or 0))
    except ValueError:
        raise DateTextError("is not a time") from None


def date_text(day: date, lang: str | None = None) -> str:
    """As a date field shows it and an agent types it: 23/06/2026 in fr, 2026-06-23 in en."""
    return day.strftime("%d/%m/%Y" if (lang or language()) == "fr" else "%Y-%m-%d")


def spoken_date(day: date, lang: str | None = None) -> str:
    """With the day of the week, to check a shortcut: "mar. 23 juin 2026", "Tue 23 Jun 2026"."""
    locale = "fr_FR" if (lang or language()) == "fr" else "en_GB"
    return babel_format_date(day, "EEE d MMM y", locale=locale)


class _CheckedInput(Input):
    field = ""

    def error(self) -> str | None:
        try:
            self._parse()
        except DateTextError as exc:
            return field_error(self.field, self.value, str(exc))
        return None

    def _parse(self) -> object:
        raise NotImplementedError

    def check(self) -> str | None:
        """The error, if any, and the field marked accordingly."""
        message = self.error()
        self.set_class(message is not None, "-invalid")
        return message

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.has_class("-invalid") and self.error() is None:
            self.remove_class("-invalid")


class DateInput(_CheckedInput):
    """A date; `today` anchors the +N shortcuts and is handed in by the screen."""

    DEFAULT_CSS = """
    DateInput { width: 14; }
    """

    def __init__(self, value: str = "", *, today: date, field: str = "Date",
                 id: str | None = None, classes: str | None = None,
                 compact: bool = True) -> None:
        super().__init__(value, placeholder=date_text(today), id=id, classes=classes,
                         compact=compact, select_on_focus=True)
        self.today, self.field = today, field

    def date_value(self) -> date:
        """The date typed; raises DateTextError."""
        return parse_date_text(self.value, self.today)

    def _parse(self) -> object:
        return self.date_value()


class TimeInput(_CheckedInput):
    DEFAULT_CSS = """
    TimeInput { width: 8; }
    """

    def __init__(self, value: str = "", *, field: str = "Time", id: str | None = None,
                 classes: str | None = None, compact: bool = True) -> None:
        super().__init__(value, placeholder="HH:MM", id=id, classes=classes, compact=compact,
                         select_on_focus=True)
        self.field = field

    def time_value(self) -> time:
        """The time typed; raises DateTextError."""
        return parse_time_text(self.value)

    def _parse(self) -> object:
        return self.time_value()
