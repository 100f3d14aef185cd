"""Property: any book, written out as CSV in any accepted style, reads back the same."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recotui.domain.book import DebtorRecord, InvoiceRecord
from recotui.domain.money import to_decimal_string
from recotui.importers.csv_book import read_csv_book

# Separators, quotes, accents and inner line breaks: all must survive the csv quoting.
ALPHABET = "abcXYZ019 ;,\t\"'-éèçœ€\n"
texts = st.text(ALPHABET, min_size=1, max_size=12).map(str.strip).filter(bool)
CURRENCIES = ("EUR", "JPY", "USD", "BHD")  # 2, 0, 2 and 3 decimals


@st.composite
def books(draw) -> tuple[list[DebtorRecord], list[InvoiceRecord]]:
    numbers = draw(st.lists(texts, min_size=1, max_size=4, unique=True))
    debtors = [DebtorRecord(number, draw(texts)) for number in numbers]
    invoice_numbers = draw(st.lists(texts, min_size=1, max_size=12, unique=True))
    invoices = []
    for number in invoice_numbers:
        issue = draw(st.dates(date(1990, 1, 1), date(2090, 12, 31)))
        amount = draw(st.integers(1, 10**11))
        invoices.append(InvoiceRecord(
            debtor_number=draw(st.sampled_from(numbers)), number=number, issue_date=issue,
            due_date=issue + timedelta(days=draw(st.integers(0, 400))), amount_minor=amount,
            open_minor=draw(st.integers(0, amount)), currency=draw(st.sampled_from(CURRENCIES)),
        ))
    return debtors, invoices


def format_amount(minor: int, currency: str, style: str) -> str:
    plain = to_decimal_string(minor, currency)  # "1234567.50"
    whole, _, fraction = plain.partition(".")
    if style in ("grouped comma", "grouped point"):
        groups = f"{int(whole):,}"  # "1,234,567"
        if not fraction:  # "1,000" alone is refused as ambiguous
            return groups.replace(",", " ")
        if style == "grouped comma":
            return groups.replace(",", "\u00a0") + "," + fraction
        return groups + "." + fraction
    return plain.replace(".", ",") if style == "comma" else plain


def format_date(value: date, style: str) -> str:
    return value.isoformat() if style == "iso" else value.strftime("%d/%m/%Y")


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    book=books(),
    separator=st.sampled_from([";", ",", "\t"]),
    date_style=st.sampled_from(["iso", "fr"]),
    amount_style=st.sampled_from(["point", "comma", "grouped comma", "grouped point"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    line_end=st.sampled_from(["\n", "\r\n"]),
    omit_full_open=st.booleans(),
)
def test_written_books_read_back_the_same(
    tmp_path: Path, book, separator, date_style, amount_style, encoding, line_end,
    omit_full_open,
) -> None:
    debtors, invoices = book
    by_number = {debtor.number: debtor for debtor in debtors}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator=line_end)
    writer.writerow(["invoice_number", "debtor_number", "debtor_name", "issue_date", "due_date",
                     "amount", "open_amount", "currency"])
    for invoice in invoices:
        amount = format_amount(invoice.amount_minor, invoice.currency, amount_style)
        open_amount = format_amount(invoice.open_minor, invoice.currency, amount_style)
        if omit_full_open and invoice.open_minor == invoice.amount_minor:
            open_amount = ""
        writer.writerow([
            invoice.number, invoice.debtor_number, by_number[invoice.debtor_number].name,
            format_date(invoice.issue_date, date_style), format_date(invoice.due_date, date_style),
            amount, open_amount, invoice.currency,
        ])
    path = tmp_path / "book.csv"
    path.write_bytes(out.getvalue().encode(encoding))

    parsed = read_csv_book(path)

    def strip(invoice: InvoiceRecord) -> tuple:
        return (invoice.debtor_number, invoice.number, invoice.issue_date, invoice.due_date,
                invoice.amount_minor, invoice.open_minor, invoice.currency)

    assert [strip(i) for i in parsed.invoices] == [strip(i) for i in invoices]
    used = {invoice.debtor_number for invoice in invoices}
    assert {(d.number, d.name) for d in parsed.debtors} == {
        (d.number, d.name) for d in debtors if d.number in used}
    assert not parsed.skipped
