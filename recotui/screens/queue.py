"""The agent's queue: highest priority first, paged from the store by keyset."""

from __future__ import annotations

from datetime import UTC, datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from recotui.domain.money import Money, format_money
from recotui.store.queries import QueueRow, QueueScope, QueueTotals
from recotui.widgets.queue_table import QueueTable


class QueueScreen(Screen):
    BINDINGS = [
        Binding("question_mark", "explain", "Why here?", id="queue.explain"),
        Binding("f5,r", "reload", "Refresh", id="queue.refresh"),
        Binding("ctrl+q", "app.quit", "Quit", id="app.quit"),
    ]

    def __init__(self, scope: QueueScope | None = None) -> None:
        super().__init__()
        self.scope = scope or QueueScope()
        self.first_rank = 1

    def compose(self) -> ComposeResult:
        yield Static("Queue", id="queue-header")
        yield QueueTable(id="queue-table")
        yield Static("", id="queue-empty")
        yield Footer()

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    @property
    def page_size(self) -> int:
        # Before the first layout the table has no height: the screen less the header,
        # the column labels and the footer is what it will get.
        if self.table.size.height > 1:
            return self.table.size.height - 1
        return max(self.size.height - 3, 5)

    def on_mount(self) -> None:
        self.table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.load_totals()
        self.load_page("first")

    @work(thread=True, exclusive=True, group="queue-page")
    def load_page(self, direction: str) -> None:
        from recotui.store.queries import queue_count, queue_page

        table, size = self.table, self.page_size
        with self.app.store_session() as session:
            if direction == "first" or not table.rows_shown:
                rows = queue_page(session, self.scope, limit=size + 1)
                first_rank, has_previous, has_next = 1, False, len(rows) > size
                rows = rows[:size]
            elif direction == "next":
                rows = queue_page(session, self.scope, after=table.rows_shown[-1].cursor,
                                  limit=size + 1)
                if not rows:
                    return
                first_rank, has_previous = self.first_rank + len(table.rows_shown), True
                has_next, rows = len(rows) > size, rows[:size]
            elif direction == "previous":
                rows = queue_page(session, self.scope, before=table.rows_shown[0].cursor,
                                  limit=size + 1)
                has_previous, rows = len(rows) > size, rows[-size:]
                first_rank, has_next = self.first_rank - len(rows), True
            else:  # last
                count = queue_count(session, self.scope)
                rows = queue_page(session, self.scope, from_end=True, limit=size)
                first_rank, has_next = count - len(rows) + 1, False
                has_previous = first_rank > 1
        self.app.call_from_thread(self._show, rows, first_rank, has_next, has_previous,
                                  direction in {"previous", "last"})

    def _show(self, rows: list[QueueRow], first_rank: int, has_next: bool, has_previous: bool,
              cursor_at_end: bool) -> None:
        self.first_rank = first_rank
        self.table.show_page(rows, first_rank, datetime.now(UTC), self.app.settings.language,
                             has_next=has_next, has_previous=has_previous,
                             cursor_at_end=cursor_at_end)
        empty = self.query_one("#queue-empty", Static)
        empty.display = not rows
        empty.update("No open cases. Build a demo book with `recotui demo`, "
                     "or load a file with `recotui import FILE`.")

    @work(thread=True, exclusive=True, group="queue-totals")
    def load_totals(self) -> None:
        from recotui.store.queries import queue_totals

        with self.app.store_session() as session:
            totals = queue_totals(session, self.scope)
        self.app.call_from_thread(self._show_totals, totals)

    def _show_totals(self, totals: QueueTotals) -> None:
        language = self.app.settings.language
        parts = [f"Queue · {totals.cases:,} cases".replace(",", " ")]
        for currency, (_balance, overdue) in sorted(totals.by_currency.items()):
            parts.append(f"overdue {format_money(Money(overdue, currency), language)}")
        self.query_one("#queue-header", Static).update(" · ".join(parts))

    def on_queue_table_page_wanted(self, message: QueueTable.PageWanted) -> None:
        self.load_page(message.direction)

    def action_explain(self) -> None:
        row = self.table.current
        if row is not None:
            from recotui.screens.explain import ExplainScreen

            self.app.push_screen(ExplainScreen(row, self.first_rank + self.table.cursor_row))
