"""Why a case ranks where it does: each priority factor and its contribution."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from recotui.store.queries import QueueRow

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


class ExplainScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="explain.close")]

    def __init__(self, row: QueueRow, rank: int) -> None:
        super().__init__()
        self.row, self.rank = row, rank

    def compose(self) -> ComposeResult:
        with Vertical(id="explain"):
            yield Static(f"[b]#{self.rank} {self.row.debtor_name}[/b] — score {self.row.priority}",
                         id="explain-title")
            yield Static("Loading…", id="explain-body")
            yield Static("Esc closes", classes="hint")

    def on_mount(self) -> None:
        from recotui.store.queries import priority_factors

        with self.app.store_session() as session:
            factors = priority_factors(session, self.row.case_id)
        lines = [f"{'factor':<30} {'weight':>6} {'points':>7}"]
        for name, weight, contribution in factors:
            lines.append(f"{FACTOR_LABELS.get(name, name):<30} {weight:>6} {contribution:>+7}")
        lines.append(f"{'total':<30} {'':>6} {sum(c for _, _, c in factors):>+7}")
        self.query_one("#explain-body", Static).update("\n".join(lines))
