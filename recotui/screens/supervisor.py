"""The supervisor console: burn-down per campaign, today's money and promises, aging, agents.

It reads its figures every few seconds in a worker (from the local store or the server) and
hands them to the panels, which write only the cells that changed. At 80x24 one panel shows
at a time (1-4, or Tab / Shift+Tab); from 140x40 all four share the screen. Enter on a row
lists the cases behind it; `e` writes the focused table to a CSV file.
"""

from __future__ import annotations

import time
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Static

from recotui.domain.console import Console
from recotui.i18n import _
from recotui.screens.base import RecoScreen
from recotui.widgets.console_panels import (
    AgentPanel,
    AgingPanel,
    CampaignPanel,
    Panel,
    TodayPanel,
)
from recotui.widgets.live_table import LiveTable

REFRESH_S = 5.0
WIDE = (140, 40)  # from this size on, every panel is shown
PANELS = ("campaigns", "today", "aging", "agents")


class SupervisorScreen(RecoScreen):
    DEFAULT_CSS = """
    #supervise-header { height: 1; background: $primary; color: $text; padding: 0 1; }
    #supervise-panels { height: 1fr; }
    .panel-row { height: 1fr; }
    .panel { height: 1fr; width: 1fr; border: round $primary-darken-2; }
    .wide #panel-agents { width: 2fr; }
    .panel:focus-within { border: round $accent; }
    .panel-title { text-style: bold; height: 1; }
    #today-summary { height: auto; padding: 0 0 1 0; }
    .panel LiveTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("1", "panel('campaigns')", "Campaigns", id="supervise.campaigns"),
        Binding("2", "panel('today')", "Today", id="supervise.today"),
        Binding("3", "panel('aging')", "Aging", id="supervise.aging"),
        Binding("4", "panel('agents')", "Agents", id="supervise.agents"),
        Binding("tab", "cycle(1)", "Next panel", show=False, id="supervise.next"),
        Binding("shift+tab", "cycle(-1)", "Previous panel", show=False,
                id="supervise.previous"),
        Binding("e", "export", "CSV", id="supervise.export"),
        Binding("m", "manage", "Manage", id="supervise.manage"),
        Binding("r,f5", "reload", "Refresh", show=False, id="supervise.refresh"),
        Binding("escape", "back", "Back", show=False, id="supervise.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown = "campaigns"
        self.console: Console | None = None
        self.last_ms = 0.0  # compute (or fetch) time of the last refresh
        self.last_bytes = 0

    def compose(self) -> ComposeResult:
        yield Static(_("Supervisor console"), id="supervise-header")
        with Vertical(id="supervise-panels"):
            with Horizontal(classes="panel-row"):
                yield CampaignPanel("campaigns")
                yield TodayPanel("today")
            with Horizontal(classes="panel-row"):
                yield AgingPanel("aging")
                yield AgentPanel("agents")
        yield Footer(show_command_palette=False)

    @property
    def source(self):  # noqa: ANN201 - LocalConsole | RemoteConsole
        return self.app.console_source

    @property
    def wide(self) -> bool:
        return self.size.width >= WIDE[0] and self.size.height >= WIDE[1]

    def on_mount(self) -> None:
        self._layout()
        self.action_reload()
        self.set_interval(REFRESH_S, self.action_reload, name="supervise-refresh")

    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        wide = self.wide
        self.query_one("#supervise-panels").set_class(wide, "wide")
        for panel in self.query(Panel):
            panel.display = wide or panel.key == self.shown
        for row in self.query(".panel-row"):
            row.display = wide or any(p.key == self.shown for p in row.query(Panel))
        table = self.query_one(f"#table-{self.shown}", LiveTable)
        if not table.has_focus:
            table.focus()

    # -- refresh ------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.refresh_figures()

    @work(thread=True, exclusive=True, group="supervise-refresh", exit_on_error=False)
    def refresh_figures(self) -> None:
        from recotui.console_client import ConsoleError

        started = time.perf_counter()
        try:
            console = self.source.read(self.app.now())
        except ConsoleError as exc:
            self.app.call_from_thread(self._offline, str(exc))
            return
        elapsed = (time.perf_counter() - started) * 1000
        self.app.call_from_thread(self._show, console, elapsed, self.source.last_bytes)

    def _offline(self, why: str) -> None:
        self.query_one("#supervise-header", Static).update(
            _("Supervisor console · offline: {why}").format(why=why[:60]))

    def _show(self, console: Console, elapsed_ms: float, received: int) -> None:
        self.console, self.last_ms, self.last_bytes = console, elapsed_ms, received
        language = self.app.settings.language
        for panel in self.query(Panel):
            panel.show(console, language)
        local = console.now.astimezone()
        parts = [_("Supervisor console"), local.strftime("%H:%M:%S")]
        if self.source.remote:
            parts.append(_("server · {kb} kB").format(kb=f"{received / 1024:.1f}"))
        self.query_one("#supervise-header", Static).update(" · ".join(parts))

    # -- keys ---------------------------------------------------------------------------

    def action_panel(self, key: str) -> None:
        self.shown = key
        self._layout()
        self.query_one(f"#table-{key}", LiveTable).focus()

    def action_cycle(self, step: int) -> None:
        focused = self.focused
        current = self.shown
        if isinstance(focused, LiveTable) and focused.id:
            current = focused.id.removeprefix("table-")
        self.action_panel(PANELS[(PANELS.index(current) + step) % len(PANELS)])

    def action_export(self) -> None:
        from recotui.report_supervisor import to_csv

        table = self.focused if isinstance(self.focused, LiveTable) else None
        if table is None:
            return
        header, rows = table.export()
        key = (table.id or "table").removeprefix("table-")
        stamp = self.app.now().astimezone().strftime("%Y%m%d-%H%M%S")
        path = Path(self.app.export_dir) / f"recotui-{key}-{stamp}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_csv(header, rows), encoding="utf-8")
        self.notify(_("Written: {path}").format(path=path), timeout=6)

    def action_manage(self) -> None:
        from recotui.screens.campaigns import CampaignsScreen

        if self.source.remote:
            self.notify(_("Campaigns are managed on the store: run without --server."),
                        severity="warning")
            return
        self.app.push_screen(CampaignsScreen())

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    @on(DataTable.RowSelected)
    def drill_down(self, event: DataTable.RowSelected) -> None:
        table = event.data_table
        if not isinstance(table, LiveTable) or table.current_key is None or self.console is None:
            return
        key, panel = table.current_key, (table.id or "").removeprefix("table-")
        if panel == "today":
            import uuid

            from recotui.screens.console_cases import open_if_here

            open_if_here(self, uuid.UUID(hex=key))
            return
        what, title = {
            "campaigns": ("campaign", _("Open cases of {name}")),
            "aging": ("bucket", _("Open cases with an invoice {name} days past due")),
            "agents": ("agent", _("Cases {name} worked today")),
        }[panel]
        if panel == "campaigns":
            key = "" if key == "-" else key
        label = table.cells[table.current_key][0]
        if panel == "aging":  # the cases of every currency with an invoice in the bucket
            key = key.split(":", 1)[1]
            label = _("not due") if key == "not_due" else key
        from recotui.screens.console_cases import CasesScreen

        self.app.push_screen(CasesScreen(title.format(name=label), what, key))
