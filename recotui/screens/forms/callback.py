"""`b`: a callback — a time and a day in the debtor's own time zone, stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.widgets import Input, Static

from recotui.domain.contact_policy import debtor_zone
from recotui.i18n import _
from recotui.screens.forms.base import ActionForm, FieldError, row
from recotui.widgets.date_input import (
    DateInput,
    DateTextError,
    TimeInput,
    date_text,
    spoken_date,
)


class CallbackForm(ActionForm):
    TITLE_TEXT = "Callback"

    DEFAULT_CSS = """
    CallbackForm #when { margin-bottom: 1; }
    """

    @property
    def zone(self) -> ZoneInfo:
        try:
            return debtor_zone(self.view.debtor.timezone)
        except ValueError:
            return ZoneInfo("UTC")

    def local_now(self) -> datetime:
        return self.now().astimezone(self.zone)

    def heading(self) -> str:
        local = self.local_now()
        return _("{debtor} · their time {time} {day} ({zone})").format(
            debtor=self.view.debtor.name, time=f"{local:%H:%M}",
            day=spoken_date(local.date(), self.language), zone=self.zone.key)

    def fields(self) -> ComposeResult:
        local_today = self.local_now().date()
        yield row("Time", TimeInput(id="time"), _("their time ({zone})").format(
            zone=self.zone.key), note_id="time-note")
        yield row("Date", DateInput(date_text(local_today, self.language), today=local_today,
                                    id="date"),
                  spoken_date(local_today, self.language), note_id="date-note")
        when = Static("", id="when", classes="hint", markup=False)
        when.display = False
        yield when

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "date":
            self.query_one("#date-note", Static).update(
                self.date_note(self.query_one("#date", DateInput)))
        when = self.query_one("#when", Static)
        text = self.describe()
        when.update(text)
        when.display = bool(text)

    def moment(self) -> datetime:
        """The callback as aware UTC; FieldError names the field at fault."""
        time_field = self.query_one("#time", TimeInput)
        at_time = self.read_time(time_field)
        date_field = self.query_one("#date", DateInput)
        day = self.read_date(date_field)
        zone = self.zone
        local = datetime.combine(day, at_time, tzinfo=zone)
        at = local.astimezone(UTC)
        if at.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
            raise FieldError(_("Time: {time} does not exist on {date} in {zone} (clock change)")
                             .format(time=f"{at_time:%H:%M}", date=date_text(day, self.language),
                                     zone=zone.key), time_field)
        return at

    def describe(self) -> str:
        """The callback in the agent's own time, and whether it falls in calling hours."""
        try:
            at = self.moment()
        except (FieldError, DateTextError):
            return ""
        local = at.astimezone(self.zone)
        mine = at.astimezone()
        text = _("= {time} {day} your time").format(
            time=f"{mine:%H:%M}", day=spoken_date(mine.date(), self.language))
        hours = getattr(self.app, "contact_policy", None)
        allowed = hours.allowed_hours.get(local.isoweekday()) if hours is not None else None
        if hours is not None and (allowed is None or not allowed[0] <= local.time() < allowed[1]):
            text += " · " + _("outside calling hours")
        return text

    def prepare(self):  # noqa: ANN201
        from recotui.store.actions import schedule_callback

        at = self.moment()
        if at <= self.now():
            local = at.astimezone(self.zone)
            raise FieldError(_("Time: {date} {time} in {zone} is in the past").format(
                date=date_text(local.date(), self.language), time=f"{local:%H:%M}",
                zone=self.zone.key), self.query_one("#time", TimeInput))
        return partial(schedule_callback, self.store, self.view.id, self.actor, at=at,
                       now=self.now())
