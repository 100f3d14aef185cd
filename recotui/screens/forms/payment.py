"""`m`: a payment received — amount, date (not in the future), method, reference; it goes to
the oldest invoices first unless the agent ticks the invoices it pays."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from recotui.domain.allocation import allocate_oldest_first
from recotui.domain.money import MoneyError
from recotui.domain.vocab import PAYMENT_METHODS
from recotui.i18n import _
from recotui.screens.forms.base import ActionForm, FieldError, TickList, code_options, row
from recotui.widgets.date_input import DateInput, date_text, spoken_date
from recotui.widgets.money_input import MoneyInput, amount_text


class PaymentForm(ActionForm):
    TITLE_TEXT = "Payment received"

    DEFAULT_CSS = """
    PaymentForm .row { margin-bottom: 0; }
    PaymentForm #invoices { max-height: 6; margin-bottom: 0; }
    PaymentForm .section { margin-top: 1; }
    PaymentForm #allocation { color: $text-muted; height: auto; margin-bottom: 1; }
    """

    def heading(self) -> str:
        return _("{debtor} · open {balance}").format(
            debtor=self.view.debtor.name, balance=self.money(self.view.balance_minor))

    def fields(self) -> ComposeResult:
        view, today = self.view, self.today()
        default = ""
        if view.promise is not None:
            due = view.promise.amount_minor - view.promise.paid_minor
            if 0 < due <= view.balance_minor:
                default = amount_text(due, view.currency, self.language)
        yield row("Amount", MoneyInput(default, currency=view.currency, id="amount"),
                  _("the promised amount") if default else "")
        yield row("Received on", DateInput(date_text(today, self.language), today=today,
                                           field="Received on", id="date"),
                  spoken_date(today, self.language), note_id="date-note")
        yield row("Method", Select(code_options(PAYMENT_METHODS), value="transfer",
                                   allow_blank=False, compact=True, id="method"))
        yield row("Reference", Input(id="reference", compact=True, classes="wide",
                                     placeholder=_("optional: cheque or transfer reference")))
        yield Static(_("Invoices paid (Space ticks; none ticked: oldest first)"),
                     classes="section")
        yield TickList(*(
            Selection(f"{inv.number:<12} "
                      f"{_('due {date}').format(date=date_text(inv.due_date, self.language))}"
                      f"  {self.money(inv.open_minor):>14}"
                      + ("  " + _("in dispute") if inv.disputed else ""), inv.id.hex)
            for inv in view.open_invoices), id="invoices")
        yield Static("", id="allocation")

    def hint(self) -> str:
        return _("Enter saves · Tab next field · Space ticks an invoice · Esc cancels")

    def on_mount(self) -> None:
        super().on_mount()
        self.update_allocation()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "date":
            self.query_one("#date-note", Static).update(
                self.date_note(self.query_one("#date", DateInput)))
        elif event.input.id == "amount":
            self.update_allocation()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        self.update_allocation()

    def chosen(self) -> list:  # noqa: ANN201 - InvoiceLine
        ticked = set(self.query_one("#invoices", TickList).selected)
        return [inv for inv in self.view.open_invoices if inv.id.hex in ticked]

    def update_allocation(self) -> None:
        """Where the amount goes, as the store will allocate it."""
        line = self.query_one("#allocation", Static)
        try:
            amount = self.query_one("#amount", MoneyInput).amount().minor
        except MoneyError:
            line.display = False
            return
        invoices = self.chosen() or list(self.view.open_invoices)
        numbers = {inv.id: inv.number for inv in invoices}
        shares = allocate_oldest_first(
            amount, [(inv.id, inv.due_date, inv.open_minor) for inv in invoices])
        text = "→ " + " · ".join(f"{numbers[i]} {self.money(share)}" for i, share in shares)
        line.update(text if shares else "")
        line.display = bool(shares)

    def prepare(self):  # noqa: ANN201
        from recotui.store.actions import record_payment

        today = self.today()
        amount_field = self.query_one("#amount", MoneyInput)
        amount = self.read_money(amount_field)
        chosen = self.chosen()
        open_total = sum(inv.open_minor for inv in (chosen or self.view.open_invoices))
        if amount.minor > open_total:
            what = _("the ticked invoices") if chosen else _("the case")
            raise FieldError(_("Amount: {amount} is more than the {open} open on {what}").format(
                amount=self.money(amount.minor), open=self.money(open_total), what=what),
                amount_field)
        date_field = self.query_one("#date", DateInput)
        received = self.read_date(date_field)
        if received > today:
            raise FieldError(_("Received on: {date} is in the future").format(
                date=date_text(received, self.language)), date_field)
        return partial(
            record_payment, self.store, self.view.id, self.actor, amount_minor=amount.minor,
            received_on=received, method=str(self.query_one("#method", Select).value),
            invoice_ids=[inv.id for inv in chosen],
            reference=self.query_one("#reference", Input).value.strip(), today=today,
            now=self.now())
