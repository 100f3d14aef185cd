"""The supervisor console's panels. Each takes the Console values from its screen and shows
them in a LiveTable, so a refresh writes only what changed; none of them queries."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from recotui.domain.aging import AGING_BUCKETS
from recotui.domain.console import AgentRow, Console
from recotui.domain.money import Money, format_amount, format_money
from recotui.domain.supervision import sparkline
from recotui.i18n import _, pgettext
from recotui.widgets.live_table import Column, LiveTable

BAR = "█"
STATUS_STYLE = {"active": "green", "idle": "yellow", "away": "red", "off": "dim"}


def bar(part: int, whole: int, width: int) -> str:
    if whole <= 0 or part <= 0:
        return ""
    return BAR * max(1, round(width * part / whole))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def since(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "—"
    minutes = max(0, int((now - moment).total_seconds() // 60))
    if minutes < 60:
        return _("{n} min").format(n=minutes)
    if minutes < 48 * 60:
        return _("{h} h {m:02d}").format(h=minutes // 60, m=minutes % 60)
    return _("{n} d").format(n=minutes // 1440)


def first_amount(amounts: dict[str, int], language: str) -> str:
    """The largest currency's amount, "+n" when there are more."""
    if not amounts:
        return "0"
    currency = max(amounts, key=lambda c: amounts[c])
    more = f" +{len(amounts) - 1}" if len(amounts) > 1 else ""
    return format_amount(Money(amounts[currency], currency), language) + more


class Panel(Vertical):
    """A titled table; `key` names it for the screen's keys and the CSV file."""

    COLUMNS: tuple[Column, ...] = ()
    TITLE = ""

    def __init__(self, key: str, **kwargs) -> None:  # noqa: ANN003
        super().__init__(id=f"panel-{key}", classes="panel", **kwargs)
        self.key = key

    def compose(self) -> ComposeResult:
        yield Static(_(self.TITLE), classes="panel-title")
        yield from self.compose_extra()
        yield LiveTable([Column(pgettext("console", c.label), c.width, c.right)
                         for c in self.COLUMNS],
                        id=f"table-{self.key}")

    def compose_extra(self) -> ComposeResult:
        return iter(())

    @property
    def table(self) -> LiveTable:
        return self.query_one(LiveTable)


class CampaignPanel(Panel):
    TITLE = "Queue burn-down per campaign"
    COLUMNS = (Column("Campaign", 18), Column("Open", 7, True),
               Column("Worked", 7, True), Column("Blocked", 7, True), Column("Left", 7, True),
               Column("Progress", 10))

    def show(self, console: Console, language: str) -> int:
        rows = []
        for c in console.campaigns:
            name = c.name or _("(no campaign)")
            if not c.active:
                name += " ⏸"
            rows.append((c.key or "-", (
                name[:18], f"{c.open:,}".replace(",", " "), str(c.worked),
                f"{c.blocked:,}".replace(",", " "), f"{c.remaining:,}".replace(",", " "),
                Text(bar(c.worked, c.worked + c.remaining, 10), style="green"))))
        return self.table.show_rows(rows)


class TodayPanel(Panel):
    TITLE = "Today"
    COLUMNS = (Column("Broken promise", 20), Column("Agent", 9), Column("Amount", 11, True),
               Column("Due", 5))

    def compose_extra(self) -> ComposeResult:
        yield Static("", id="today-summary")

    def show(self, console: Console, language: str) -> int:
        lines = []
        for m in console.money:
            target = ""
            if m.target:
                share = m.collected / m.target
                target = _(" of {target} ({share})").format(
                    target=format_money(Money(m.target, m.currency), language),
                    share=percent(share))
            lines.append(_("Promised {promised} · collected {collected}{target}").format(
                promised=format_money(Money(m.promised, m.currency), language),
                collected=format_money(Money(m.collected, m.currency), language),
                target=target))
        if not lines:
            lines.append(_("Nothing promised or collected yet today."))
        lines.append(_("Promises kept: {rate} ({kept} of {settled}, last {days} days)").format(
            rate=percent(console.kept_rate), kept=console.kept,
            settled=console.kept + console.broken_count, days=console.kept_window_days))
        self.query_one("#today-summary", Static).update("\n".join(lines))
        rows = [(b.case_id, (b.debtor[:20], b.agent[:9],
                             format_amount(Money(b.amount, b.currency), language),
                             b.due_date.strftime("%d/%m")))
                for b in console.broken]
        return self.table.show_rows(rows)


class AgingPanel(Panel):
    TITLE = "Aging of the book"
    COLUMNS = (Column("Bucket", 13), Column("Open amount", 14, True),
               Column("%", 4, True), Column("", 12))

    def show(self, console: Console, language: str) -> int:
        rows = []
        for currency_row in sorted(console.aging, key=lambda a: -a.total):
            top = max(currency_row.buckets.values(), default=0)
            for bucket in AGING_BUCKETS:
                amount = currency_row.buckets.get(bucket, 0)
                label = _("not due") if bucket == "not_due" else bucket
                if len(console.aging) > 1:
                    label = f"{currency_row.currency} {label}"
                share = amount / currency_row.total if currency_row.total else None
                rows.append((f"{currency_row.currency}:{bucket}", (
                    label, format_amount(Money(amount, currency_row.currency), language),
                    percent(share),
                    Text(bar(amount, top, 12), style="red" if bucket == "181+" else "cyan"))))
        return self.table.show_rows(rows)


class AgentPanel(Panel):
    TITLE = "Agents today"
    COLUMNS = (Column("Agent", 15), Column("Status", 6), Column("Since", 6, True),
               Column("Cases", 5, True), Column("Calls/h", 7, True), Column("RPC", 4, True),
               Column("Prom.", 5, True), Column("Promised", 10, True),
               Column("Collected", 10, True), Column("AHT", 5, True), Column("7 days", 7))

    def show(self, console: Console, language: str) -> int:
        return self.table.show_rows([(a.key, self.cells(a, console.now, language))
                                     for a in console.agents])

    @staticmethod
    def cells(a: AgentRow, now: datetime, language: str) -> tuple:
        per_hour = a.calls_per_hour
        handle = a.handle_s
        status = Text(pgettext("agent", a.status), style=STATUS_STYLE.get(a.status, ""))
        return (a.name[:15], status,
                since(a.last_action_at, now), str(a.cases_worked),
                "—" if per_hour is None else f"{per_hour:.1f}", percent(a.rpc_rate),
                str(a.promises), first_amount(a.promised, language),
                first_amount(a.collected, language),
                "—" if handle is None else f"{int(handle // 60)}:{int(handle % 60):02d}",
                sparkline(a.spark))
