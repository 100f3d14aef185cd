"""`o`: a note on the case — why the debtor has not paid, and what was said."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input

from recotui.i18n import _
from recotui.screens.forms.base import ActionForm, CodeList, FieldError, code_options, row


class NoteForm(ActionForm):
    TITLE_TEXT = "Note"

    def fields(self) -> ComposeResult:
        yield CodeList(code_options(self.settings.reasons), id="reason")
        yield row("Note", Input(id="text", compact=True, classes="wide",
                                placeholder=_("what the debtor said")))

    def hint(self) -> str:
        return _("1–0 or ↑↓ choose the reason · Tab the note · Enter saves · Esc cancels")

    def prepare(self):  # noqa: ANN201
        from recotui.store.actions import add_note

        reason = self.query_one("#reason", CodeList).value or ""
        text = self.query_one("#text", Input)
        if reason == "other" and not text.value.strip():
            raise FieldError(_("Note: write what was said, or choose a reason other than "
                               "“Other”."), text)
        return partial(add_note, self.store, self.view.id, self.actor, reason=reason,
                       text=text.value, allowed=self.settings.reasons, now=self.now())
