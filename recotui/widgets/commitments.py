"""The debtor's current commitments: the open promise to pay, and the active plan with each
instalment's status (due, paid, partial, late)."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from recotui.i18n import _
from recotui.store.case_view import PlanLine, PromiseLine
from recotui.widgets.case_format import (
    FREQUENCIES,
    INSTALMENT_STATUS,
    PROMISE_STATUS,
    fmt_amount,
    fmt_date,
    fmt_money,
    label,
)
from recotui.widgets.line_list import LineList

STATUS_STYLES = {"paid": "green", "partial": "yellow", "late": "bold red", "due": "",
                 "pending": "yellow", "broken": "bold red", "kept": "green"}


def instalment_status(status: str, due_date: date, today: date) -> str:
    """The stored status, or late once an unpaid instalment is past its date."""
    if status in ("due", "partial") and due_date < today:
        return "late"
    return status


class Commitments(LineList):
    DEFAULT_CSS = """
    Commitments { width: 40%; min-width: 30; max-width: 52; }
    """

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.lines: list[Text] = []
        self.suffixes: dict[int, Text] = {}  # shown after a line when the width allows
        self.border_title = _("Promise & plan")

    def show(self, promise: PromiseLine | None, plan: PlanLine | None, *, today: date,
             language: str, currency: str) -> None:
        lines: list[Text] = []
        self.suffixes = {}
        money = lambda minor: fmt_money(minor, currency, language)  # noqa: E731
        if promise is not None:
            status = label(PROMISE_STATUS, promise.status)
            lines.append(Text.assemble(
                (_("Promise") + " ", "bold"), money(promise.amount_minor), " ",
                (status, STATUS_STYLES.get(promise.status, ""))))
            detail = _("by {date}").format(date=fmt_date(promise.due_date, language))
            if promise.paid_minor:
                detail += " · " + _("paid {amount}").format(amount=money(promise.paid_minor))
            lines.append(Text("  " + detail))
        if plan is not None:
            lines.append(Text.assemble(
                (_("Plan") + " ", "bold"),
                _("{count} × {frequency}").format(
                    count=len(plan.instalments),
                    frequency=label(FREQUENCIES, plan.frequency))))
            paid = sum(i.paid_minor for i in plan.instalments)
            amount_width = max((len(fmt_amount(i.amount_minor, currency, language))
                                for i in plan.instalments), default=0)
            for inst in plan.instalments:
                status = instalment_status(inst.status, inst.due_date, today)
                amount = fmt_amount(inst.amount_minor, currency, language)
                line = Text(f"{fmt_date(inst.due_date, language)} {amount:>{amount_width}} ")
                line.append(label(INSTALMENT_STATUS, status), STATUS_STYLES.get(status, ""))
                if status == "partial" or (status == "late" and inst.paid_minor):
                    self.suffixes[len(lines)] = Text(
                        " " + fmt_amount(inst.paid_minor, currency, language), "dim")
                lines.append(line)
            lines.append(Text("  " + _("paid {amount} of {total}").format(
                amount=money(paid), total=money(plan.total_minor)), "dim"))
        if not lines:
            lines.append(Text(_("No promise or plan."), "dim"))
        self.lines = lines
        self.set_rows(len(lines))

    def row_text(self, index: int, width: int) -> Text:
        text = self.lines[index].copy()
        suffix = self.suffixes.get(index)
        if suffix is not None and text.cell_len + suffix.cell_len <= width:
            text.append_text(suffix)
        return text
