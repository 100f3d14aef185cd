"""`d`: a dispute (litige) — the invoices in question, a category and what is wrong. Disputed
invoices leave dunning and priority until resolved; when the case has disputed invoices the
same form resolves them, which puts them back in collection."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, Input, Select, Static
from textual.widgets.selection_list import Selection

from recotui.domain.vocab import DISPUTE_CATEGORIES, DISPUTE_RESOLUTIONS
from recotui.i18n import _
from recotui.screens.forms.base import ActionForm, FieldError, TickList, code_options, row
from recotui.widgets.date_input import date_text


class DisputeForm(ActionForm):
    TITLE_TEXT = "Dispute"

    DEFAULT_CSS = """
    DisputeForm ContentSwitcher, DisputeForm ContentSwitcher > Vertical { height: auto; }
    DisputeForm TickList { max-height: 6; }
    DisputeForm .row { margin-bottom: 0; }
    DisputeForm #mode-row { margin-bottom: 1; }
    DisputeForm .nothing { color: $text-muted; margin-bottom: 1; }
    """

    def __init__(self, view) -> None:  # noqa: ANN001 - CaseView
        super().__init__(view)
        self.undisputed = [inv for inv in view.open_invoices if not inv.disputed]
        self.disputed = [inv for inv in view.open_invoices if inv.disputed]

    @property
    def mode(self) -> str:
        if not self.disputed:
            return "open"
        return str(self.query_one("#mode", Select).value)

    def heading(self) -> str:
        text = self.view.debtor.name
        if self.disputed:
            text += " · " + _("{n} invoice(s) in dispute ({amount})").format(
                n=len(self.disputed), amount=self.money(sum(i.open_minor for i in self.disputed)))
        return text

    def _line(self, inv) -> str:  # noqa: ANN001 - InvoiceLine
        return (f"{inv.number:<12} "
                      f"{_('due {date}').format(date=date_text(inv.due_date, self.language))}"
                f"  {self.money(inv.open_minor):>14}")

    def fields(self) -> ComposeResult:
        initial = "open" if self.undisputed or not self.disputed else "resolve"
        if self.disputed:
            yield row("Action", Select([(_("Open a dispute"), "open"),
                                        (_("Resolve a dispute"), "resolve")],
                                       value=initial, allow_blank=False, compact=True,
                                       id="mode"), id="mode-row")
        with ContentSwitcher(initial=initial, id="modes"):
            with Vertical(id="open"):
                if self.undisputed:
                    yield Static(_("Invoices in dispute (Space ticks)"), classes="section")
                    only_one = len(self.undisputed) == 1
                    yield TickList(*(Selection(self._line(inv), inv.id.hex, only_one)
                                     for inv in self.undisputed), id="open-invoices")
                    yield row("Category", Select(code_options(DISPUTE_CATEGORIES),
                                                 prompt=_("Choose…"), compact=True,
                                                 id="category"))
                    yield row("What is wrong", Input(id="text", compact=True, classes="wide",
                                                     placeholder=_("as the debtor puts it")))
                else:
                    yield Static(_("No open invoice is left to dispute."), classes="nothing")
            with Vertical(id="resolve"):
                yield Static(_("Invoices back to collection (Space ticks)"), classes="section")
                yield TickList(*(Selection(self._line(inv), inv.id.hex, True)
                                 for inv in self.disputed), id="resolve-invoices")
                yield row("Resolution", Select(code_options(DISPUTE_RESOLUTIONS),
                                               value="invoice_confirmed", allow_blank=False,
                                               compact=True, classes="wide", id="resolution"))
                yield row("Comment", Input(id="resolve-text", compact=True, classes="wide",
                                           placeholder=_("optional")))

    def hint(self) -> str:
        return _("Space ticks · Enter saves · Tab next field · Esc cancels")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "mode":
            self.query_one("#modes", ContentSwitcher).current = str(event.value)
            self.clear_error()

    def prepare(self):  # noqa: ANN201
        from recotui.store.actions import open_dispute, resolve_dispute

        if self.mode == "resolve":
            ticks = self.query_one("#resolve-invoices", TickList)
            chosen = [inv.id for inv in self.disputed if inv.id.hex in set(ticks.selected)]
            if not chosen:
                raise FieldError(_("Tick at least one invoice to put back in collection."),
                                 ticks)
            return partial(resolve_dispute, self.store, self.view.id, self.actor,
                           invoice_ids=chosen,
                           resolution=str(self.query_one("#resolution", Select).value),
                           text=self.query_one("#resolve-text", Input).value, now=self.now())
        if not self.undisputed:
            raise FieldError(_("No open invoice is left to dispute."))
        ticks = self.query_one("#open-invoices", TickList)
        chosen = [inv.id for inv in self.undisputed if inv.id.hex in set(ticks.selected)]
        if not chosen:
            raise FieldError(_("Tick at least one invoice in dispute."), ticks)
        category = self.query_one("#category", Select)
        if category.value is Select.NULL:
            raise FieldError(_("Category: choose one"), category)
        text = self.query_one("#text", Input)
        if not text.value.strip():
            raise FieldError(_("What is wrong: required, for the sales team"), text)
        return partial(open_dispute, self.store, self.view.id, self.actor, invoice_ids=chosen,
                       category=str(category.value), text=text.value, now=self.now())
