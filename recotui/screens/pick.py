"""A small modal list to pick one of a few choices by keyboard."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from recotui.i18n import _
from recotui.screens.base import RecoModal


class PickScreen(RecoModal):
    """Dismisses with the chosen value, or None on Escape."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="pick.cancel")]

    def __init__(self, title: str, choices: list[tuple[str, Any]], current: int = 0) -> None:
        super().__init__()
        self.title_text, self.choices, self.current = title, choices, current

    def compose(self) -> ComposeResult:
        with Vertical(id="pick"):
            yield Static(f"[b]{self.title_text}[/b]")
            yield OptionList(*(Option(label) for label, _value in self.choices))
            yield Static(_("Enter chooses · Esc cancels"), classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.current
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][1])
