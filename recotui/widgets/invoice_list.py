"""The case's invoices: number, due date, days past due, open amount, late interest, dispute.

Open invoices first, oldest due first, then settled ones dimmed. The footer totals the open
amounts and interest, and says what can be claimed: the overdue, undisputed amount plus its
interest and the fixed recovery indemnity. The screen computes the figures; this draws them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text

from recotui.domain.aging import days_past_due
from recotui.i18n import _
from recotui.store.case_view import InvoiceLine
from recotui.widgets.case_format import fmt_amount, fmt_date, fmt_money
from recotui.widgets.line_list import LineList


@dataclass(frozen=True, slots=True)
class InvoiceFigures:
    """What the screen worked out from the domain for the invoices it hands in."""

    interest: Mapping[uuid.UUID, int]  # late interest so far, minor units, per invoice
    interest_assumed: bool  # a rate was missing from the table and the last one was used
    interest_total_minor: int  # of the overdue, undisputed invoices
    indemnity_minor: int  # fixed recovery indemnity, all overdue undisputed invoices
    claim_minor: int  # overdue undisputed + their interest + indemnity


class InvoiceList(LineList):
    DEFAULT_CSS = """
    InvoiceList { width: 1fr; }
    """

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.invoices: Sequence[InvoiceLine] = ()
        self.figures = InvoiceFigures({}, False, 0, 0, 0)
        self.today = date.today()
        self.language = "en"
        self.currency = "EUR"
        self.border_title = _("Invoices")

    def show(self, invoices: Sequence[InvoiceLine], figures: InvoiceFigures, *, today: date,
             language: str, currency: str) -> None:
        self.invoices, self.figures = invoices, figures
        self.today, self.language, self.currency = today, language, currency
        open_count = sum(1 for inv in invoices if inv.open_minor > 0)
        self.border_title = _("Invoices · {count} open").format(count=open_count)
        self._legend()
        self.set_rows(len(invoices), header=1, footer=2 if invoices else 0)

    def _legend(self) -> None:
        """Narrow, a disputed invoice is marked "!": say what it means."""
        narrow = self._widths(self.scrollable_content_region.width)[-1] == 1
        disputed = any(i.disputed for i in self.invoices)
        self.border_subtitle = _("! disputed") if narrow and disputed else ""

    def on_resize(self) -> None:  # LineList.on_resize runs too: Textual calls each class's
        self._legend()

    # -- columns -------------------------------------------------------------------------------

    def _amount(self, minor: int) -> str:
        return fmt_amount(minor, self.currency, self.language)

    def _widths(self, width: int) -> tuple[int, int, int, int, int, int, int]:
        """number, issued, due, dpd, open, interest, flag; the number takes what is left.
        Narrow, the issue date goes and the flag is a mark rather than a word."""
        invoices = self.invoices
        dpd = max([len(_("DPD"))] + [len(str(days_past_due(i.due_date, self.today)))
                                     for i in invoices])
        open_ = max([len(_("Unpaid")), len(self._amount(self._open_total()))]
                    + [len(self._amount(i.open_minor)) for i in invoices])
        interest = max([len(_("Int.")), len(self._amount(self.figures.interest_total_minor))]
                       + [len(self._amount(v)) for v in self.figures.interest.values()])
        issued, flag = 0, 1
        number = max(width - (10 + dpd + open_ + interest + flag + 5), 6)
        if width >= 70:
            issued, flag = 10, max(len(_("disputed")), len(_("paid")))
            number = max(width - (20 + dpd + open_ + interest + flag + 6), 6)
        return number, issued, 10, dpd, open_, interest, flag

    def _open_total(self) -> int:
        return sum(i.open_minor for i in self.invoices)

    @staticmethod
    def _cells(widths: tuple[int, ...], cells: tuple[str, ...]) -> str:
        """Left: number, issued, due; right: dpd, open, interest; left: flag."""
        number, issued, due, dpd, open_, interest, flag = widths
        # Invoice numbers differ at their end: cut the start.
        head = cells[0] if len(cells[0]) <= number else "…" + cells[0][len(cells[0]) - number + 1:]
        out = [f"{head:<{number}}"]
        if issued:
            out.append(f"{cells[1]:<{issued}}")
        out += [f"{cells[2]:<{due}}", f"{cells[3]:>{dpd}}", f"{cells[4]:>{open_}}",
                f"{cells[5]:>{interest}}", f"{cells[6][:flag]:<{flag}}"]
        return " ".join(out)

    def header_text(self, line: int, width: int) -> Text:
        return Text(self._cells(self._widths(width), (
            _("Invoice"), _("Issued"), _("Due"), _("DPD"), _("Unpaid"), _("Int."), "")))

    def row_text(self, index: int, width: int) -> Text:
        inv = self.invoices[index]
        dpd = days_past_due(inv.due_date, self.today) if inv.open_minor else 0
        interest = self.figures.interest.get(inv.id, 0)
        widths = self._widths(width)
        if inv.disputed:
            flag = _("disputed") if widths[-1] > 1 else "!"
        elif not inv.open_minor:
            flag = _("paid") if widths[-1] > 1 else "✓"
        else:
            flag = ""
        text = Text(self._cells(widths, (
            inv.number, fmt_date(inv.issue_date, self.language),
            fmt_date(inv.due_date, self.language), str(dpd) if dpd else "",
            self._amount(inv.open_minor), self._amount(interest) if interest else "", flag)))
        if inv.disputed:
            text.stylize("magenta")
        elif not inv.open_minor:
            text.stylize(self.style_of("dim"))
        elif dpd > 60:
            text.stylize("bold")
        return text

    def footer_text(self, line: int, width: int) -> Text:
        f = self.figures
        if line == 0:
            interest = self._amount(f.interest_total_minor) + ("*" if f.interest_assumed else "")
            return Text(self._cells(self._widths(width), (
                _("Total"), "", "", "", self._amount(self._open_total()), interest, "")))
        claim = _("Claim {amount}").format(
            amount=fmt_money(f.claim_minor, self.currency, self.language))
        if f.indemnity_minor:
            claim += " " + _("incl. indemnity {amount}").format(
                amount=fmt_money(f.indemnity_minor, self.currency, self.language))
        if f.interest_assumed:
            claim += " · " + _("*rate assumed")
        return Text(claim, style="bold")
