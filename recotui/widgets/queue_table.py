"""The queue as a table of one page; the screen hands pages in, the widget never queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from recotui.domain.aging import days_past_due
from recotui.domain.money import Money, format_amount
from recotui.i18n import _, pgettext
from recotui.store.queue_reads import QueueRow

STAGE_SHORT = {
    "preventive": "Prév.", "relance_1": "Rel.1", "relance_2": "Rel.2",
    "mise_en_demeure": "MeD", "contentieux": "Cont.",
}
# Fits 80 columns with one cell of padding each side.
COLUMNS = (("#", 5), ("Debtor", 21), ("Overdue", 12), ("DPD", 4), ("Stage", 5),
           ("Next", 5), ("Last", 5), ("Flags", 5))
FLAG_LEGEND = ("P promise due today · B broken promise · D dispute · C callback due · "
               "X blocked by the contact policy")


@dataclass(frozen=True, slots=True)
class QueueLine:
    """A row as shown: its rank in the whole queue and the contact policy's verdict."""

    rank: int
    row: QueueRow
    blocked: str = ""  # why it may not be called now; "" when it may


def queue_flags(row: QueueRow, now: datetime, blocked: bool = False) -> str:
    """P promise due today, B broken promise, D dispute, C callback due, X blocked."""
    flags = ""
    if row.promise_status == "pending" and row.promise_due_date == now.date():
        flags += "P"
    if row.promise_status == "broken":
        flags += "B"
    if row.disputed_minor > 0:
        flags += "D"
    if row.callback_at is not None and row.callback_at <= now:
        flags += "C"
    if blocked:
        flags += "X"
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
    return _("{n}d").format(n=days) if days else _("today")


class QueueTable(DataTable):
    """One page of the queue. Moving past either end asks the screen for the next page."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="queue.open"),
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
        self.lines: list[QueueLine] = []
        self.has_next = self.has_previous = False

    def on_mount(self) -> None:
        for label, width in COLUMNS:
            justify = "right" if label in {"#", "Overdue", "DPD", "Last"} else "left"
            self.add_column(Text(pgettext("column", label), justify=justify), width=width,
                            key=label)

    @property
    def rows_shown(self) -> list[QueueRow]:
        return [line.row for line in self.lines]

    def show_page(self, lines: Sequence[QueueLine], now: datetime, language: str, *,
                  has_next: bool, has_previous: bool, cursor_at: int | None = 0) -> None:
        """Replace the page; the cursor goes to row `cursor_at` (negative counts from the end)."""
        self.lines = list(lines)
        self.has_next, self.has_previous = has_next, has_previous
        self.clear()
        today: date = now.date()
        for line in lines:
            row = line.row
            dpd = days_past_due(row.oldest_due_date, today) if row.oldest_due_date else 0
            style = "dim" if line.blocked else ""
            self.add_row(
                Text(f"{line.rank:,}".replace(",", " "), justify="right", style=style),
                Text(row.debtor_name[:21], style=style),
                Text(format_amount(Money(row.overdue_minor, row.currency), language),
                     justify="right", style=style),
                Text(str(dpd) if dpd else "", justify="right", style=style),
                Text(STAGE_SHORT.get(row.stage, row.stage), style=style),
                _when(row.next_action_at, now),
                Text(_ago(row.last_contact_at, now), justify="right", style=style),
                Text(queue_flags(row, now, bool(line.blocked)), style="bold"),
                key=row.case_id.hex,
            )
        if lines and cursor_at is not None:
            self.move_cursor(row=cursor_at % len(lines))

    @property
    def current(self) -> QueueLine | None:
        if not self.lines or self.cursor_row < 0:
            return None
        return self.lines[min(self.cursor_row, len(self.lines) - 1)]

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
