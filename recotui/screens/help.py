"""`?` on any screen: every key it answers to and, on a queue row, why the case ranks there."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from recotui.i18n import _
from recotui.screens.base import RecoModal
from recotui.widgets.queue_table import FLAG_LEGEND, QueueLine

FACTOR_LABELS = {
    "overdue_amount": "Overdue amount",
    "days_past_due": "Oldest days past due",
    "promise_due_today": "Promise due today",
    "promise_broken": "Broken promise",
    "callback_due": "Callback due",
    "since_last_contact": "Time since last contact",
    "stage": "Stage on the ladder",
    "dispute": "Disputed share (holds back)",
}


# Cursor movement is summed up in one line rather than listed per widget.
MOVES = {"cursor_up", "cursor_down", "cursor_left", "cursor_right", "page_up", "page_down",
         "first_page", "last_page", "scroll_home", "scroll_end", "scroll_up", "scroll_down",
         "scroll_left", "scroll_right", "page_left", "page_right", "select_cursor",
         "app.command_palette", "first", "last", "scroll_top", "scroll_bottom"}


def key_lines(screen: Screen) -> list[str]:
    """One line per action the screen answers to, with every key bound to it (after the
    user's keymap), in the order the screen declares them."""
    app = screen.app
    keys: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    if any(a.binding.action in MOVES for a in screen.active_bindings.values()):
        keys["move"] = ["j/k ↑/↓ g/G PgUp/PgDn"]
        labels["move"] = _("Move")
    if any(a.binding.action == "select_cursor" for a in screen.active_bindings.values()):
        keys["open"] = ["Enter"]
        labels["open"] = _("Open")
    for _key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in MOVES:
            continue
        keys.setdefault(binding.action, []).append(app.get_key_display(binding))
        labels.setdefault(binding.action, binding.description)
    return [f"{' / '.join(dict.fromkeys(keys[a])):<22} {labels[a]}" for a in keys]


class HelpScreen(RecoModal):
    BINDINGS = [Binding("escape,question_mark,q,f1", "dismiss", "Close", id="help.close")]

    def __init__(self, screen: Screen, line: QueueLine | None = None) -> None:
        super().__init__()
        self.for_screen, self.line = screen, line

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            if self.line is not None:
                row = self.line.row
                yield Static(_("[b]#{rank} {name}[/b] — score {score}").format(
                    rank=self.line.rank, name=row.debtor_name, score=row.priority),
                    id="explain-title")
                yield Static(_("Loading…"), id="explain-body")
                yield Static(self.line.blocked or _("Call allowed now."), id="explain-policy")
                yield Static(_(FLAG_LEGEND), classes="hint")
            yield Static(_("[b]Keys[/b]"))
            yield Static("\n".join(key_lines(self.for_screen)), id="help-keys")
            yield Static(_("ctrl+p: every action by name · Esc closes"), classes="hint")

    def on_mount(self) -> None:
        if self.line is None:
            return
        from recotui.store.queue_reads import priority_factors

        with self.app.queue_reads() as conn:
            factors = priority_factors(conn, self.line.row.case_id)
        lines = [f"{_('factor'):<30} {_('weight'):>6} {_('points'):>7}"]
        for name, weight, contribution in factors:
            label = _(FACTOR_LABELS.get(name, name))
            lines.append(f"{label:<30} {weight:>6} {contribution:>+7}")
        lines.append(f"{_('total'):<30} {'':>6} {sum(c for _n, _w, c in factors):>+7}")
        self.query_one("#explain-body", Static).update("\n".join(lines))
