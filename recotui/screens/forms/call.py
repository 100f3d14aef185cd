"""`c`: the outcome of a call — what happened, on which number, and a short note."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input, Select

from recotui.i18n import _
from recotui.screens.forms.base import ActionForm, CodeList, code_options, row
from recotui.store.case_view import CaseView


def open_dial_phone(view: CaseView) -> str | None:
    """The number of the latest dial when no call outcome came after it."""
    for entry in view.history:  # newest first
        if entry.kind == "call":
            return None
        if entry.kind == "dial":
            return str(entry.payload.get("phone") or "") or None
    return None


def phone_options(view: CaseView) -> list[tuple[str, str]]:
    options = []
    for phone in view.debtor.phones:
        label = f"{phone.value}  {_(phone.label)}"
        if phone.do_not_call:
            label += " · " + _("do not call")
        options.append((label, phone.value))
    return options


class CallOutcomeForm(ActionForm):
    TITLE_TEXT = "Call outcome"

    def heading(self) -> str:
        dialled = open_dial_phone(self.view)
        if dialled:
            return _("{debtor} · call in progress on {number}").format(
                debtor=self.view.debtor.name, number=dialled)
        return self.view.debtor.name

    def fields(self) -> ComposeResult:
        yield CodeList(code_options(self.settings.dispositions), id="outcome")
        options = phone_options(self.view)
        dialled = open_dial_phone(self.view)
        numbers = [value for _label, value in options]
        callable_numbers = [p.value for p in self.view.debtor.phones if not p.do_not_call]
        default = dialled if dialled in numbers else next(iter(callable_numbers or numbers), None)
        if dialled and dialled not in numbers:  # dialled a number since removed from the card
            options.insert(0, (dialled, dialled))
            default = dialled
        yield row("Phone", Select(options, value=default if default else Select.NULL,
                                  allow_blank=not options, prompt=_("No phone on file"),
                                  compact=True, id="phone", classes="wide"))
        yield row("Note", Input(id="note", compact=True, classes="wide",
                                placeholder=_("optional")))

    def hint(self) -> str:
        return _("1–0 or ↑↓ choose · Enter saves · Tab next field · Esc cancels")

    def prepare(self):  # noqa: ANN201
        from recotui.store.actions import log_call

        disposition = self.query_one("#outcome", CodeList).value
        phone = self.query_one("#phone", Select).value
        return partial(
            log_call, self.store, self.view.id, self.actor, disposition=disposition or "",
            phone="" if phone is Select.NULL else str(phone),
            note=self.query_one("#note", Input).value, allowed=self.settings.dispositions,
            now=self.now())
