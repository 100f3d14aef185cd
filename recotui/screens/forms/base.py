"""What every action form shares: a centred box that fits 80x24, labelled one-line fields,
an error line under them, Enter or ctrl+s to save, Esc to cancel, and the store action run
in a worker. The form dismisses with True only once the action has returned (committed).

A form subclass provides `heading()`, `fields()` (the rows) and `prepare()`, which reads and
checks the fields and returns the store call to make, or raises FieldError. A refusal from the
store (ActionRefused) is shown on the error line; nothing typed is ever cleared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from recotui.domain.money import Money, MoneyError, format_money
from recotui.i18n import _
from recotui.screens.base import RecoModal
from recotui.store.case_view import CaseView
from recotui.widgets.date_input import DateInput, DateTextError, TimeInput, spoken_date
from recotui.widgets.money_input import MoneyInput

log = logging.getLogger(__name__)


class FieldError(Exception):
    """A field the form cannot accept: the message for the user, and the field to focus."""

    def __init__(self, message: str, widget: Widget | None = None) -> None:
        super().__init__(message)
        self.message, self.widget = message, widget


class CodeList(OptionList):
    """A list of codes to choose one: arrows or the option's number move, Enter saves."""

    def __init__(self, choices: Iterable[tuple[str, str]], *, value: str | None = None,
                 disabled: Iterable[str] = (), id: str | None = None) -> None:
        pairs = list(choices)  # (label, code)
        off = set(disabled)
        self.codes = [code for _label, code in pairs]
        super().__init__(*(
            Option(f"{n % 10} {label}" if n <= 10 else f"  {label}", disabled=code in off)
            for n, (label, code) in enumerate(pairs, start=1)), id=id)
        enabled = [code for code in self.codes if code not in off]
        initial = value if value in enabled else next(iter(enabled), None)
        self._initial = self.codes.index(initial) if initial is not None else None

    def on_mount(self) -> None:
        if self._initial is not None:
            self.highlighted = self._initial

    @property
    def value(self) -> str | None:
        index = self.highlighted
        return self.codes[index] if index is not None and self.codes else None

    def on_key(self, event) -> None:  # noqa: ANN001 - textual.events.Key
        if event.character and event.character.isdigit():
            index = (int(event.character) - 1) % 10
            if index < len(self.codes) and not self.get_option_at_index(index).disabled:
                self.highlighted = index
            event.stop()
            event.prevent_default()


class TickList(SelectionList):
    """A SelectionList where Space ticks and Enter saves the form, like everywhere else."""

    BINDINGS = [Binding("enter", "screen.submit", show=False)]


def refusal_text(exc: Exception) -> str:
    """An ActionRefused in the UI language."""
    template = getattr(exc, "template", None)
    if template is None:
        return _(str(exc))
    params = getattr(exc, "params", {}) or {}
    return _(template).format(**params) if params else _(template)


def row(label: str, widget: Widget, note: str = "", *, note_id: str | None = None,
        id: str | None = None) -> Horizontal:
    """A one-line field: its label, the widget, and a note after it (what the field means,
    or what was understood: "Tue 23 Jun 2026")."""
    parts: list[Widget] = [Label(_(label), classes="field-label"), widget]
    if note or note_id:
        parts.append(Static(note, id=note_id, classes="field-note", markup=False))
    return Horizontal(*parts, classes="row", id=id)


class ActionForm(RecoModal):  # a ModalScreen[bool]
    """Base of the case's action forms; `Form(view)`, dismissing True once committed."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.submit", priority=True),
        # Fields that use Enter themselves (a text field, a list, a drop-down) come first.
        Binding("enter", "submit", "Save", show=False),
    ]

    DEFAULT_CSS = """
    ActionForm {
        align: center middle;
    }
    ActionForm > #form {
        width: 78;
        height: auto;
        max-height: 22;
        border: round $accent;
        border-title-color: $text;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    ActionForm #form-heading {
        color: $text-muted;
        margin-bottom: 1;
    }
    ActionForm .row {
        height: 1;
        margin-bottom: 1;
    }
    ActionForm .row > .field-label {
        width: 14;
        color: $text-muted;
    }
    ActionForm .row:focus-within > .field-label {
        color: $accent;
        text-style: bold;
    }
    ActionForm .row > .field-note {
        width: 1fr;
        padding-left: 1;
        color: $text-muted;
    }
    ActionForm Input.-textual-compact {
        background-tint: $foreground 4%;
    }
    ActionForm Input.-textual-compact:focus {
        background-tint: $foreground 14%;
    }
    ActionForm .row > Select {
        width: 30;
    }
    ActionForm .row > Input.wide {
        width: 1fr;
    }
    ActionForm .row > Select.wide {
        width: 46;
    }
    ActionForm OptionList, ActionForm SelectionList {
        height: auto;
        max-height: 11;
        border: none;
        padding: 0;
        margin-bottom: 1;
        background-tint: $foreground 4%;
    }
    ActionForm OptionList:focus, ActionForm SelectionList:focus {
        border: none;
        background-tint: $foreground 8%;
    }
    ActionForm .section {
        color: $text-muted;
        height: 1;
    }
    ActionForm .block {
        height: auto;
        margin-bottom: 1;
    }
    ActionForm #form-error {
        color: $text-error;
        background: $error-muted;
        padding: 0 1;
        display: none;
    }
    ActionForm #form-error.-shown {
        display: block;
    }
    ActionForm .hint {
        color: $text-muted;
    }
    """

    TITLE_TEXT = "Form"  # English; translated when shown

    def __init__(self, view: CaseView) -> None:
        super().__init__()
        self.view = view
        self.busy = False
        self.error_text = ""  # what the error line says, for tests and screen readers
        self.error_widget: Widget | None = None

    # -- what a form provides -------------------------------------------------------------

    def heading(self) -> str:
        """A line under the title: the debtor, and what the agent needs to fill the form."""
        return self.view.debtor.name

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def hint(self) -> str:
        return _("Enter saves · Tab next field · Esc cancels")

    def prepare(self) -> Callable[[], Any]:
        """Read and check the fields; the store call to make, or raise FieldError."""
        raise NotImplementedError

    def on_committed(self, result: Any) -> None:
        """After the action committed, before the form closes."""

    # -- services from the app ------------------------------------------------------------

    @property
    def store(self) -> Any:
        return self.app.store  # type: ignore[attr-defined]

    @property
    def settings(self) -> Any:
        return self.app.settings  # type: ignore[attr-defined]

    @property
    def actor(self) -> Any:
        return getattr(self.app, "user_id", None)

    def now(self) -> datetime:
        return self.app.now()  # type: ignore[attr-defined]

    def today(self) -> date:
        """The agent's calendar day."""
        return self.now().astimezone().date()

    @property
    def language(self) -> str:
        return getattr(self.settings, "language", "en")

    def money(self, minor: int) -> str:
        return format_money(Money(minor, self.view.currency), self.language)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form") as box:
            box.border_title = _(self.TITLE_TEXT)
            yield Static(self.heading(), id="form-heading", markup=False)
            yield from self.fields()
            yield Static("", id="form-error", markup=False)
            hint = self.hint()
            if hint:
                yield Static(hint, id="form-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.focus_first()

    def focus_first(self) -> None:
        for widget in self.query_one("#form").query("*"):
            if widget.focusable and widget.display:
                widget.focus()
                return

    # -- reading fields -------------------------------------------------------------------

    def read_money(self, widget: MoneyInput) -> Money:
        try:
            return widget.amount()
        except MoneyError:
            raise FieldError(widget.error() or "", widget) from None

    def read_date(self, widget: DateInput) -> date:
        try:
            return widget.date_value()
        except DateTextError:
            raise FieldError(widget.error() or "", widget) from None

    def read_time(self, widget: TimeInput) -> time:
        try:
            return widget.time_value()
        except DateTextError:
            raise FieldError(widget.error() or "", widget) from None

    def date_note(self, widget: DateInput) -> str:
        """What a date field was understood as, to show beside it."""
        try:
            return spoken_date(widget.date_value(), self.language)
        except DateTextError:
            return ""

    # -- errors ---------------------------------------------------------------------------

    def show_error(self, message: str, widget: Widget | None = None) -> None:
        self.error_text, self.error_widget = message, widget
        line = self.query_one("#form-error", Static)
        line.update(message)
        line.set_class(bool(message), "-shown")
        if widget is not None:
            if isinstance(widget, Input):
                widget.add_class("-invalid")
            widget.focus()

    def clear_error(self) -> None:
        if self.error_text:
            self.show_error("")

    # -- submit and cancel ----------------------------------------------------------------

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(False)

    def action_submit(self) -> None:
        if self.busy:
            return
        try:
            call = self.prepare()
        except FieldError as exc:
            self.show_error(exc.message, exc.widget)
            return
        self.busy = True
        self.run_action(call)

    def on_input_changed(self, event: Input.Changed) -> None:
        # The field in error is right again: the error line goes.
        if event.input is self.error_widget and not event.input.has_class("-invalid"):
            self.clear_error()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # Enter on a code saves; an option chosen inside a Select never gets here.
        event.stop()
        self.action_submit()

    @work(thread=True, exclusive=True, group="form-action")
    def run_action(self, call: Callable[[], Any]) -> None:
        from recotui.store.actions import ActionRefused

        try:
            result = call()
        except ActionRefused as exc:
            self.app.call_from_thread(self._refused, refusal_text(exc))
        except Exception as exc:  # the store failed (locked, disk full): say so, keep the form
            log.exception("form action failed")
            self.app.call_from_thread(
                self._refused, _("Not saved: {error}").format(error=f"{type(exc).__name__}: {exc}"))
        else:
            self.app.call_from_thread(self._committed, result)

    def _refused(self, message: str) -> None:
        self.busy = False
        self.show_error(message)

    def _committed(self, result: Any) -> None:
        self.busy = False
        self.on_committed(result)
        request_sync = getattr(self.app, "request_sync", None)
        if request_sync is not None:
            request_sync()  # to the server now, not at the next tick
        self.dismiss(True)


def code_options(table: dict[str, str]) -> Iterable[tuple[str, str]]:
    """(label, code) pairs in the table's order, labels translated."""
    return ((_(label), code) for code, label in table.items())
