"""The cases behind a console figure; Enter opens one, `e` writes the list to CSV."""

from __future__ import annotations

import uuid

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from recotui.domain.aging import days_past_due
from recotui.domain.console import CaseLine
from recotui.domain.money import Money, format_amount
from recotui.i18n import _, pgettext
from recotui.screens.base import RecoScreen
from recotui.widgets.live_table import Column, LiveTable
from recotui.widgets.queue_table import STAGE_SHORT

COLUMNS = (Column("Debtor", 22), Column("Number", 10), Column("Overdue", 12, True),
           Column("DPD", 4, True), Column("Stage", 5), Column("Agent", 10))


class CasesScreen(RecoScreen):
    DEFAULT_CSS = """
    #cases-header { height: 1; background: $primary; color: $text; padding: 0 1; }
    #table-cases { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="cases.back"),
        Binding("e", "export", "CSV", id="cases.export"),
        Binding("space", "toggle", "Select", id="cases.select"),
        Binding("a", "reassign", "Reassign", id="cases.reassign"),
    ]

    def __init__(self, title: str, what: str, key: str) -> None:
        super().__init__()
        self.title_text, self.what, self.key = title, what, key
        self.lines: list[CaseLine] = []
        self.selected: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, id="cases-header")
        yield LiveTable([Column(pgettext("column", c.label), c.width, c.right)
                         for c in COLUMNS], id="table-cases")
        yield Footer(show_command_palette=False)

    @property
    def table(self) -> LiveTable:
        return self.query_one(LiveTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="console-cases")
    def load(self) -> None:
        lines = self.app.console_source.cases(self.what, self.key, self.app.now())
        self.app.call_from_thread(self._show, lines)

    def _show(self, lines: list[CaseLine]) -> None:
        self.lines = lines
        today, language = self.app.now().date(), self.app.settings.language
        rows = []
        for line in lines:
            dpd = days_past_due(line.oldest_due_date, today) if line.oldest_due_date else 0
            mark = "● " if line.case_id in self.selected else ""
            rows.append((line.case_id, (
                mark + line.debtor[:22 - len(mark)], line.number[:10],
                format_amount(Money(line.overdue, line.currency), language),
                str(dpd) if dpd else "", STAGE_SHORT.get(line.stage, line.stage),
                line.agent[:10])))
        self.table.show_rows(rows)
        count = _("{n} cases").format(n=len(lines))
        if self.selected:
            count += " · " + _("{n} selected").format(n=len(self.selected))
        self.query_one("#cases-header", Static).update(f"{self.title_text} · {count}")

    @on(DataTable.RowSelected)
    def open_case(self, event: DataTable.RowSelected) -> None:
        key = self.table.current_key
        if key is not None:
            open_if_here(self, uuid.UUID(hex=key))

    def action_toggle(self) -> None:
        key = self.table.current_key
        if key is None:
            return
        self.selected.symmetric_difference_update({key})
        self._show(self.lines)
        self.table.action_cursor_down()

    def action_reassign(self) -> None:
        from recotui.screens.campaigns import reassign_cases

        chosen = sorted(self.selected) or ([self.table.current_key]
                                           if self.table.current_key else [])
        if chosen:
            reassign_cases(self, [uuid.UUID(hex=k) for k in chosen], self._reassigned)

    def _reassigned(self, count: int) -> None:
        self.selected.clear()
        self.load()

    def action_export(self) -> None:
        from pathlib import Path

        from recotui.report_supervisor import to_csv

        header, rows = self.table.export()
        stamp = self.app.now().astimezone().strftime("%Y%m%d-%H%M%S")
        path = Path(self.app.export_dir) / f"recotui-cases-{self.what}-{stamp}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_csv(header, rows), encoding="utf-8")
        self.notify(_("Written: {path}").format(path=path), timeout=6)


def open_if_here(screen: RecoScreen, case_id: uuid.UUID) -> None:
    """Open the case, or say it is not in this store yet (a console reading a server)."""
    with screen.app.store_session() as session:  # first: see App.store
        from recotui.store.supervisor_reads import case_exists

        here = case_exists(session, case_id)
    if here:
        screen.app.open_case(case_id)
    else:
        screen.notify(_("This case is not in the local store yet: sync it first "
                        "(recotui sync)."), severity="warning")
