"""`p`: a promise to pay — how much, by when (not in the past, within the horizon)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input, Static

from recotui.i18n import _
from recotui.screens.forms.base import ActionForm, FieldError, row
from recotui.widgets.date_input import DateInput, date_text, spoken_date
from recotui.widgets.money_input import MoneyInput, amount_text


class PromiseForm(ActionForm):
    TITLE_TEXT = "Promise to pay"

    @property
    def horizon(self) -> int:
        return int(self.settings.promise_horizon_days)

    def heading(self) -> str:
        view = self.view
        return _("{debtor} · balance {balance} · overdue {overdue}").format(
            debtor=view.debtor.name, balance=self.money(view.balance_minor),
            overdue=self.money(view.overdue_minor))

    def fields(self) -> ComposeResult:
        view, today = self.view, self.today()
        default = view.overdue_minor if 0 < view.overdue_minor <= view.balance_minor \
            else view.balance_minor
        yield row("Amount", MoneyInput(amount_text(default, view.currency, self.language)
                                       if default > 0 else "",
                                       currency=view.currency, id="amount"),
                  _("at most {balance}").format(balance=self.money(view.balance_minor)))
        due = today + timedelta(days=min(7, self.horizon))
        yield row("Date", DateInput(date_text(due, self.language), today=today, id="date"),
                  spoken_date(due, self.language), note_id="date-note")
        last = today + timedelta(days=self.horizon)
        yield Static(_("Any day from today to {last}. Dates: dd/mm/yyyy, +7 for a week.")
                     .format(last=date_text(last, self.language)), classes="hint")
        promise = view.promise
        if promise is not None and promise.status == "pending":
            yield Static(_("Replaces the pending promise of {amount} due {date}.").format(
                amount=self.money(promise.amount_minor),
                date=date_text(promise.due_date, self.language)), classes="hint")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "date":
            self.query_one("#date-note", Static).update(
                self.date_note(self.query_one("#date", DateInput)))

    def prepare(self):  # noqa: ANN201
        from recotui.store.actions import record_promise

        view, today = self.view, self.today()
        amount_field = self.query_one("#amount", MoneyInput)
        amount = self.read_money(amount_field)
        if amount.minor > view.balance_minor:
            raise FieldError(_("Amount: {amount} is more than the balance of {balance}").format(
                amount=self.money(amount.minor), balance=self.money(view.balance_minor)),
                amount_field)
        date_field = self.query_one("#date", DateInput)
        due = self.read_date(date_field)
        if due < today:
            raise FieldError(_("Date: {date} is in the past").format(
                date=date_text(due, self.language)), date_field)
        if due > today + timedelta(days=self.horizon):
            raise FieldError(_("Date: {date} is more than {days} days away").format(
                date=date_text(due, self.language), days=self.horizon), date_field)
        return partial(record_promise, self.store, view.id, self.actor, amount_minor=amount.minor,
                       due_date=due, today=today, horizon_days=self.horizon, now=self.now())
