"""The agent's queue: highest priority first, paged from the store by keyset.

Each page is walked off the queue index; ranks are positions in the whole queue, so hiding
blocked cases leaves gaps rather than renumbering.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Static

from recotui.domain.money import Money, format_money
from recotui.i18n import _
from recotui.screens.base import RecoScreen
from recotui.store.queue_reads import QueueRow, QueueScope, QueueTotals
from recotui.widgets.queue_table import QueueLine, QueueTable
from recotui.widgets.sync_status import SyncIndicator

MAX_SCAN = 5000  # rows walked per page when blocked cases are hidden


@dataclass(frozen=True, slots=True)
class Page:
    lines: list[QueueLine]
    has_next: bool
    has_previous: bool
    cursor_at: int | None


class QueueScreen(RecoScreen):
    BINDINGS = [
        Binding("n,f12", "app.next_case", "Next", id="queue.next"),
        Binding("slash", "filter", "Filter", id="queue.filter"),
        Binding("s", "switch_scope", "Campaign", id="queue.campaign"),
        Binding("h", "toggle_blocked", "Blocked", id="queue.blocked"),
        Binding("question_mark,f1", "help", "Help", id="queue.help"),
        Binding("f5,r", "reload", "Refresh", show=False, id="queue.refresh"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="queue.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hide_blocked = False
        self.filter_text = ""
        self.scope_label = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="queue-top"):
            yield Static(_("Queue"), id="queue-header")
            yield SyncIndicator(id="queue-sync")
        yield Input(placeholder=_("Filter: name, debtor number, phone or invoice number"),
                    id="queue-filter")
        yield QueueTable(id="queue-table")
        yield Static("", id="queue-empty")
        yield Footer(show_command_palette=False)

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    @property
    def scope(self) -> QueueScope:
        return self.app.queue_scope

    @property
    def page_size(self) -> int:
        # Before the first layout the table has no height: the screen less the header,
        # the column labels and the footer is what it will get.
        if self.table.size.height > 1:
            return self.table.size.height - 1
        return max(self.size.height - 3, 5)

    def on_mount(self) -> None:
        self.query_one("#queue-filter").display = False
        self.table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        if self.table.lines:  # back from a case: show its new state, same place
            self.load_totals()
            self.load_page("same")

    def action_reload(self) -> None:
        self.load_totals()
        self.load_page("first")

    # -- paging -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="queue-page")
    def load_page(self, direction: str) -> None:
        with self.app.queue_reads() as conn:
            page = self._fetch(conn, direction)
        if page is not None:
            self.app.call_from_thread(self._show, page)

    def _fetch(self, conn, direction: str) -> Page | None:  # noqa: ANN001
        from recotui.store.queue_reads import queue_count, search_queue

        size, lines = self.page_size, self.table.lines
        now = self.app.now()
        if self.filter_text:
            rows = search_queue(conn, self.scope, self.filter_text)
            found = self._judge(conn, rows, range(1, len(rows) + 1), now)
            return Page(found, False, False, 0)
        if direction == "first" or not lines:
            found = self._walk(conn, None, 1, size + 1, down=True)
            return Page(found[:size], len(found) > size, False, 0)
        if direction == "same":
            keep = self.table.cursor_row
            found = self._walk(conn, lines[0].row.cursor, lines[0].rank, size + 1, down=True,
                               inclusive=True)
            return Page(found[:size], len(found) > size, found[:1] != [] and found[0].rank > 1,
                        min(keep, max(len(found[:size]) - 1, 0)))
        if direction == "next":
            found = self._walk(conn, lines[-1].row.cursor, lines[-1].rank + 1, size + 1,
                               down=True)
            if not found:
                return None
            return Page(found[:size], len(found) > size, True, 0)
        if direction == "previous":
            found = self._walk(conn, lines[0].row.cursor, lines[0].rank - 1, size + 1,
                               down=False)
            if not found:
                return None
            return Page(found[-size:], True, len(found) > size, -1)
        count = queue_count(conn, self.scope)  # last
        found = self._walk(conn, None, count, size + 1, down=False)
        return Page(found[-size:], False, len(found) > size, -1)

    def _walk(self, conn, cursor, rank: int, want: int, *, down: bool,  # noqa: ANN001
              inclusive: bool = False) -> list[QueueLine]:
        """Walk the queue from `cursor` (whose rank is `rank`), keeping up to `want` lines in
        queue order. Going up, the lines closest to the cursor are kept."""
        from recotui.store.queue_reads import queue_page

        now, kept, scanned = self.app.now(), [], 0
        chunk = want if not self.hide_blocked else max(want, 100)
        while len(kept) < want and scanned < MAX_SCAN:
            if down:
                rows = queue_page(conn, self.scope, after=cursor, limit=chunk,
                                  inclusive=inclusive)
                ranks = range(rank, rank + len(rows))
            else:
                rows = queue_page(conn, self.scope, before=cursor, limit=chunk,
                                  from_end=cursor is None)[::-1]
                ranks = range(rank, rank - len(rows), -1)
            if not rows:
                break
            inclusive, scanned = False, scanned + len(rows)
            cursor, rank = rows[-1].cursor, ranks[-1] + (1 if down else -1)
            judged = self._judge(conn, rows, ranks, now)
            kept += [line for line in judged if not (self.hide_blocked and line.blocked)]
            if not self.hide_blocked:
                break
        kept = kept[:want]
        return kept if down else kept[::-1]

    def _judge(self, conn, rows: list[QueueRow], ranks, now) -> list[QueueLine]:  # noqa: ANN001
        from recotui.store.queue_reads import contact_decisions
        from recotui.widgets.policy_text import policy_text

        decisions = contact_decisions(conn, rows, self.app.contact_policy, now)
        language = self.app.settings.language
        return [QueueLine(rank, row, "" if decisions[row.case_id].allowed else policy_text(
                    decisions[row.case_id], row.debtor_timezone, now, language))
                for rank, row in zip(ranks, rows, strict=True)]

    def _show(self, page: Page) -> None:
        self.table.show_page(page.lines, self.app.now(), self.app.settings.language,
                             has_next=page.has_next, has_previous=page.has_previous,
                             cursor_at=page.cursor_at)
        empty = self.query_one("#queue-empty", Static)
        empty.display = not page.lines
        if self.filter_text:
            empty.update(_("No open case matches “{text}”. Esc clears the filter.")
                         .format(text=self.filter_text))
        elif self.hide_blocked:
            empty.update(_("No case can be called now. Press h to show blocked cases."))
        else:
            empty.update(_("No open cases. Build a demo book with `recotui demo`, "
                           "or load a file with `recotui import FILE`."))

    def on_queue_table_page_wanted(self, message: QueueTable.PageWanted) -> None:
        if not self.filter_text:
            self.load_page(message.direction)

    @on(DataTable.RowSelected)
    def open_selected(self, event: DataTable.RowSelected) -> None:
        line = self.table.current
        if line is not None:
            self.app.open_case(line.row.case_id)

    # -- header -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="queue-totals")
    def load_totals(self) -> None:
        from recotui.store.queue_reads import queue_totals

        with self.app.queue_reads() as conn:
            totals = queue_totals(conn, self.scope)
        self.app.call_from_thread(self._show_totals, totals)

    def _show_totals(self, totals: QueueTotals) -> None:
        language = self.app.settings.language
        cases = f"{totals.cases:,}".replace(",", " ")
        parts = [_("Queue"), self.app.queue_scope_label, _("{n} cases").format(n=cases)]
        # The largest currency only: three currencies would run past 80 columns.
        by_size = sorted(totals.by_currency.items(), key=lambda item: -item[1][1])
        if by_size:
            currency, (_balance, overdue) = by_size[0]
            more = f" +{len(by_size) - 1}" if len(by_size) > 1 else ""
            parts.append(_("overdue {amount}").format(
                amount=format_money(Money(overdue, currency), language)) + more)
        if self.filter_text:
            parts.append(f"/{self.filter_text}")
        if self.hide_blocked:
            parts.append(_("blocked hidden"))
        self.query_one("#queue-header", Static).update(" · ".join(p for p in parts if p))

    # -- actions ------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#queue-filter", Input)
        box.display = True
        box.value = self.filter_text
        box.focus()

    @on(Input.Submitted, "#queue-filter")
    def apply_filter(self, event: Input.Submitted) -> None:
        self.filter_text = event.value.strip()
        event.input.display = bool(self.filter_text)
        self.table.focus()
        self.action_reload()

    def action_clear_filter(self) -> None:
        box = self.query_one("#queue-filter", Input)
        if not self.filter_text and not box.display:
            return
        self.filter_text, box.value, box.display = "", "", False
        self.table.focus()
        self.action_reload()

    def action_toggle_blocked(self) -> None:
        self.hide_blocked = not self.hide_blocked
        self.notify(_("Blocked cases hidden.") if self.hide_blocked
                    else _("Blocked cases shown."), timeout=2)
        self.action_reload()

    def action_switch_scope(self) -> None:
        self.app.choose_scope(self.action_reload)

    def action_help(self) -> None:
        from recotui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self, self.table.current))
