"""`i`: an instalment plan (échéancier) — how many, how often, from when, with an optional
down payment; the schedule shows as you type."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from recotui.domain.schedule import MAX_INSTALMENTS, ScheduleError, build_schedule
from recotui.domain.vocab import FREQUENCIES
from recotui.i18n import _
from recotui.screens.forms.base import ActionForm, FieldError, code_options, row
from recotui.widgets.date_input import DateInput, date_text, spoken_date
from recotui.widgets.money_input import MoneyInput

PREVIEW_LINES = 6


class PlanForm(ActionForm):
    TITLE_TEXT = "Instalment plan"

    DEFAULT_CSS = """
    PlanForm .row { margin-bottom: 0; }
    PlanForm #preview { height: auto; margin: 1 0; padding: 0 1;
                        background-tint: $foreground 4%; }
    PlanForm #preview.-error { color: $text-error; }
    PlanForm .row > #count { width: 6; }
    """

    def heading(self) -> str:
        view = self.view
        text = _("{debtor} · plan total {balance}").format(
            debtor=view.debtor.name, balance=self.money(view.balance_minor))
        if view.plan is not None:
            text += " · " + _("replaces the active plan")
        return text

    def fields(self) -> ComposeResult:
        today = self.today()
        first = today + timedelta(days=7)
        yield row("Instalments", Input("3", id="count", compact=True, select_on_focus=True),
                  _("1 to {max}").format(max=MAX_INSTALMENTS))
        yield row("Frequency", Select(code_options(FREQUENCIES), value="monthly",
                                      allow_blank=False, compact=True, id="frequency"))
        yield row("First date", DateInput(date_text(first, self.language), today=today,
                                          field="First date", id="first"),
                  spoken_date(first, self.language), note_id="first-note")
        yield row("Down payment", MoneyInput("", currency=self.view.currency, allow_zero=True,
                                             required=False, field="Down payment", id="down"),
                  _("optional, due on the first date"))
        yield Static("", id="preview")

    def on_mount(self) -> None:
        super().on_mount()
        self.update_preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "first":
            self.query_one("#first-note", Static).update(
                self.date_note(self.query_one("#first", DateInput)))
        self.update_preview()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.update_preview()

    # -- the schedule ---------------------------------------------------------------------

    def read_count(self) -> int:
        field = self.query_one("#count", Input)
        text = field.value.strip()
        if not text.isdigit():
            field.add_class("-invalid")
            message = (_("Instalments: required") if not text else
                       _("Instalments: {text} is not a whole number").format(text=text))
            raise FieldError(message, field)
        field.remove_class("-invalid")
        return int(text)

    def schedule(self):  # noqa: ANN201
        """The plan as the fields describe it; FieldError names the field at fault."""
        count = self.read_count()
        frequency = self.query_one("#frequency", Select).value
        first_field = self.query_one("#first", DateInput)
        first = self.read_date(first_field)
        down_field = self.query_one("#down", MoneyInput)
        down = self.read_money(down_field)
        try:
            plan = build_schedule(self.view.balance_minor, count, str(frequency), first,
                                  down.minor)
        except ScheduleError as exc:
            culprit = down_field if "down payment" in str(exc).lower() else \
                self.query_one("#count", Input)
            raise FieldError(_(str(exc)), culprit) from None
        return count, str(frequency), first, down.minor, plan

    def update_preview(self) -> None:
        preview = self.query_one("#preview", Static)
        try:
            *_fields, plan = self.schedule()
        except FieldError as exc:
            preview.update(exc.message)
            preview.add_class("-error")
            return
        preview.remove_class("-error")
        lines = [self._line(item) for item in plan]
        if len(lines) > PREVIEW_LINES:
            hidden = len(lines) - (PREVIEW_LINES - 1)
            lines = lines[:PREVIEW_LINES - 2] + [
                "   " + _("… {n} more").format(n=hidden)] + lines[-1:]
        preview.update("\n".join(lines))

    def _line(self, item) -> str:  # noqa: ANN001 - ScheduledInstalment
        text = f"{item.seq:>3}  {spoken_date(item.due_date, self.language):<18}" \
               f"{self.money(item.amount_minor):>14}"
        return text + ("  " + _("down payment") if item.is_down_payment else "")

    def prepare(self):  # noqa: ANN201
        from recotui.store.actions import create_plan

        today = self.today()
        count, frequency, first, down, _plan = self.schedule()
        if first < today:
            raise FieldError(_("First date: {date} is in the past").format(
                date=date_text(first, self.language)), self.query_one("#first", DateInput))
        return partial(create_plan, self.store, self.view.id, self.actor, count=count,
                       frequency=frequency, first_date=first, down_payment_minor=down,
                       today=today, now=self.now())
