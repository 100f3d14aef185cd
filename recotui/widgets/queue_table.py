"""The queue as a table of one page; the screen hands pages in, the widget never queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from recotui.domain.aging import days_past_due
from recotui.domain.money import Money, format_amount
from recotui.store.queries import QueueRow

STAGE_SHORT = {
    "preventive": "Prév.", "relance_1": "Rel.1", "relance_2": "Rel.2",
    "mise_en_demeure": "MeD", "contentieux": "Cont.",
}
# Fits 80 columns with one cell of padding each side.
COLUMNS = (("#", 5), ("Debtor", 21), ("Overdue", 12), ("DPD", 4), ("Stage", 5),
           ("Next", 5), ("Last", 5), ("Flags", 5))


def queue_flags(row: QueueRow, now: datetime) -> str:
    """P promise due today, B broken promise, D dispute, C callback due."""
    flags = ""
    if row.promise_status == "pending" and row.promise_due_date == now.date():
        flags += "P"
    if row.promise_status == "broken":
        flags += "B"
    if row.disputed_minor > 0:
        flags += "D"
    if row.callback_at is not None and row.callback_at <= now:
        flags += "C"
    return flags


def _when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    local = moment.astimezone()
    return local.strftime("%H:%M" if local.date() == now.astimezone().date() else "%d/%m")


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "—"
    days = (now - moment).days
    return f"{days}d" if days else "today"


class QueueTable(DataTable):
    """One page of the queue. Moving past either end asks the screen for the next page."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first_page", "Top", show=False, id="queue.top"),
        Binding("G", "last_page", "Bottom", show=False, id="queue.bottom"),
    ]

    class PageWanted(Message):
        """direction: "next", "previous", "first" or "last"."""

        def __init__(self, direction: str) -> None:
            super().__init__()
            self.direction = direction

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(cursor_type="row", zebra_stripes=True, cell_padding=1, **kwargs)
        self.rows_shown: list[QueueRow] = []
        self.has_next = self.has_previous = False

    def on_mount(self) -> None:
        for label, width in COLUMNS:
            justify = "right" if label in {"#", "Overdue", "DPD", "Last"} else "left"
            self.add_column(Text(label, justify=justify), width=width, key=label)

    def show_page(self, rows: Sequence[QueueRow], first_rank: int, now: datetime,
                  language: str, *, has_next: bool, has_previous: bool,
                  cursor_at_end: bool = False) -> None:
        self.rows_shown = list(rows)
        self.has_next, self.has_previous = has_next, has_previous
        self.clear()
        today: date = now.date()
        for index, row in enumerate(rows):
            dpd = days_past_due(row.oldest_due_date, today) if row.oldest_due_date else 0
            self.add_row(
                Text(f"{first_rank + index:,}".replace(",", " "), justify="right"),
                row.debtor_name[:21],
                Text(format_amount(Money(row.overdue_minor, row.currency), language),
                     justify="right"),
                Text(str(dpd) if dpd else "", justify="right"),
                STAGE_SHORT.get(row.stage, row.stage),
                _when(row.next_action_at, now),
                Text(_ago(row.last_contact_at, now), justify="right"),
                Text(queue_flags(row, now), style="bold"),
                key=row.case_id.hex,
            )
        if rows:
            self.move_cursor(row=len(rows) - 1 if cursor_at_end else 0)

    @property
    def current(self) -> QueueRow | None:
        if not self.rows_shown or self.cursor_row < 0:
            return None
        return self.rows_shown[min(self.cursor_row, len(self.rows_shown) - 1)]

    def action_cursor_down(self) -> None:
        if self.cursor_row >= self.row_count - 1 and self.has_next:
            self.post_message(self.PageWanted("next"))
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0 and self.has_previous:
            self.post_message(self.PageWanted("previous"))
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.has_next:
            self.post_message(self.PageWanted("next"))
        else:
            self.move_cursor(row=self.row_count - 1)

    def action_page_up(self) -> None:
        if self.has_previous:
            self.post_message(self.PageWanted("previous"))
        else:
            self.move_cursor(row=0)

    def action_first_page(self) -> None:
        self.post_message(self.PageWanted("first"))

    def action_last_page(self) -> None:
        self.post_message(self.PageWanted("last"))
