"""`z`: close the case — paid, settled, written off, or sent to the bailiff."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Static

from recotui.domain.vocab import CLOSE_REASONS
from recotui.i18n import _
from recotui.screens.forms.base import ActionForm, CodeList, FieldError, code_options


class CloseForm(ActionForm):
    TITLE_TEXT = "Close the case"

    def heading(self) -> str:
        return _("{debtor} · balance {balance}").format(
            debtor=self.view.debtor.name, balance=self.money(self.view.balance_minor))

    def fields(self) -> ComposeResult:
        default = "paid" if self.view.balance_minor <= 0 else "settled"
        yield CodeList(code_options(CLOSE_REASONS), value=default, id="reason")
        yield Static(_("A closed case leaves the queue; nothing more can be recorded on it."),
                     classes="hint")

    def hint(self) -> str:
        return _("1–4 or ↑↓ choose · Enter closes the case · Esc cancels")

    def prepare(self):  # noqa: ANN201
        from recotui.store.actions import close_case

        reasons = self.query_one("#reason", CodeList)
        reason = reasons.value or ""
        if reason == "paid" and self.view.balance_minor > 0:
            raise FieldError(_("Paid: {balance} is still open; choose another reason.").format(
                balance=self.money(self.view.balance_minor)), reasons)
        return partial(close_case, self.store, self.view.id, self.actor, reason=reason,
                       now=self.now())
