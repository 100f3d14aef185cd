"""The CSV book: one row per invoice, debtor columns repeated on each of the debtor's rows."""

from __future__ import annotations

import csv
import io
import zoneinfo
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, TypeVar

from recotui.domain.book import (
    BookImportError,
    ContactPoint,
    DebtorKind,
    DebtorRecord,
    InvoiceRecord,
    ParsedBook,
)
from recotui.domain.money import MoneyError
from recotui.importers.textfile import (
    field_error,
    first_line,
    is_currency_code,
    parse_amount,
    parse_date,
    read_text_file,
)


class Column(NamedTuple):
    name: str
    required: bool
    meaning: str


CSV_COLUMNS: list[Column] = [
    Column("debtor_number", True, "customer account number; rows with the same number are "
           "one debtor, whose first row gives the debtor details"),
    Column("debtor_name", True, "company or person name (may be left empty on later rows)"),
    Column("debtor_kind", False, "company or consumer (entreprise or particulier); "
           "default company"),
    Column("legal_id", False, "SIREN (9 digits) or SIRET (14 digits), spaces allowed"),
    Column("invoice_number", True, "unique in the file"),
    Column("issue_date", True, "YYYY-MM-DD or dd/mm/yyyy"),
    Column("due_date", True, "YYYY-MM-DD or dd/mm/yyyy, not before the issue date"),
    Column("amount", True, "invoice total, more than 0; decimal comma or point, thousands "
           "separators allowed (1 234,50), but not 1.000 alone, which is ambiguous"),
    Column("open_amount", False, "still unpaid, from 0 to amount; default amount"),
    Column("currency", False, "ISO 4217 code; default EUR"),
    Column("phones", False, "label=number|label=number, or a bare number labelled main"),
    Column("emails", False, "label=address|label=address, or a bare address labelled main"),
    Column("address", False, "street address"),
    Column("postcode", False, "postal code"),
    Column("city", False, "city"),
    Column("country", False, "ISO 3166 alpha-2 code; default FR"),
    Column("language", False, "fr or en, for letters; default fr"),
    Column("timezone", False, "IANA time zone for calling hours; default Europe/Paris"),
    Column("do_not_call", False, "yes or no (also oui/non, true/false, 1/0); default no"),
]
_NAMES = [column.name for column in CSV_COLUMNS]
_REQUIRED = [column.name for column in CSV_COLUMNS if column.required]

CSV_TEMPLATE = ";".join(_NAMES) + "\n" + "\n".join([
    "C0001;Boulangerie Lefèvre SARL;company;123 456 782;F2026-0001;2026-01-15;2026-02-14;"
    "1 234,50;734,50;EUR;office=+33 1 23 45 67 89|mobile=+33 6 12 34 56 78;"
    "compta@lefevre.example;12 rue des Lilas;75011;Paris;FR;fr;Europe/Paris;no",
    "C0002;Émilie Rousseau;consumer;;F2026-0002;20/01/2026;19/02/2026;89,90;;EUR;"
    "+33 6 98 76 54 32;emilie.rousseau@example.fr;3 place du Marché;69002;Lyon;FR;fr;"
    "Europe/Paris;yes",
]) + "\n"

_KINDS = {
    "company": DebtorKind.COMPANY, "entreprise": DebtorKind.COMPANY,
    "consumer": DebtorKind.CONSUMER, "particulier": DebtorKind.CONSUMER,
}
_BOOLEANS = {
    "yes": True, "true": True, "1": True, "oui": True,
    "no": False, "false": False, "0": False, "non": False,
}
_SEPARATORS = (";", "\t", ",")  # ties go to the earlier one
_T = TypeVar("_T")


def read_csv_book(path: str | Path, *, default_currency: str = "EUR") -> ParsedBook:
    """Reads a CSV book; any bad row refuses the whole file with a BookImportError."""
    file = read_text_file(path)
    return parse_csv_text(file.text, file.source, default_currency=default_currency)


def parse_csv_text(text: str, source: str, *, default_currency: str = "EUR") -> ParsedBook:
    """The same as read_csv_book, from text already decoded."""
    currency = default_currency.strip().upper()
    if not is_currency_code(currency):
        raise field_error(source, 0, "default currency", default_currency,
                          "is not an ISO 4217 currency code")
    header_line, header_text = first_line(text)
    separator = _sniff_separator(header_text, source, header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    book = _BookBuilder(source, currency)
    header: list[str] | None = None
    line = 0
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if not any(value.strip() for value in row):
                continue  # blank lines, and Excel's rows of bare separators
            if header is None:
                header = _check_header(row, source, start)
                continue
            if len(row) != len(header):
                raise BookImportError(
                    source, start, f"has {len(row)} fields, the header has {len(header)}"
                )
            book.add_row(dict(zip(header, (value.strip() for value in row), strict=True)),
                         start)
    except csv.Error as exc:
        raise BookImportError(source, line + 1, f"is not valid CSV ({exc})") from exc
    if not book.result.lines_read:
        raise BookImportError(source, 0, "has a header but no data lines")
    return book.result


def _sniff_separator(header: str, source: str, line: int) -> str:
    counts = {separator: header.count(separator) for separator in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda separator: counts[separator])
    if not counts[best]:
        raise field_error(source, line, "header", header,
                          "has no ';', ',' or tab between column names")
    return best


def _check_header(row: list[str], source: str, line: int) -> list[str]:
    names = [value.strip().lower().replace(" ", "_") for value in row]
    for position, name in enumerate(names, start=1):
        if not name:
            raise BookImportError(source, line, f"column {position} has no name", "header")
        if names.index(name) != position - 1:
            raise field_error(source, line, "column", name, "appears twice", "header")
    unknown = [name for name in names if name not in _NAMES]
    if unknown:
        quoted = ", ".join(f'"{name}"' for name in unknown)
        what = "column" if len(unknown) == 1 else "columns"
        raise BookImportError(
            source, line,
            f"{what} {quoted} {'is' if len(unknown) == 1 else 'are'} unknown "
            f"(known: {', '.join(_NAMES)})", "header",
        )
    missing = [name for name in _REQUIRED if name not in names]
    if missing:
        quoted = ", ".join(f'"{name}"' for name in missing)
        raise BookImportError(source, line, f"required column {quoted} is missing", "header")
    return names


@dataclass(slots=True)
class _Seen:
    invoice: InvoiceRecord
    line: int


class _BookBuilder:
    """Turns rows into records, checking each row and the rows against each other."""

    def __init__(self, source: str, default_currency: str) -> None:
        self.source = source
        self.default_currency = default_currency
        self.result = ParsedBook(source=source, format="csv")
        self.debtors: dict[str, DebtorRecord] = {}
        self.invoices: dict[str, _Seen] = {}

    def error(self, line: int, column: str, value: str, reason: str) -> BookImportError:
        return field_error(self.source, line, column.replace("_", " "), value, reason, column)

    def required(self, row: dict[str, str], column: str, line: int) -> str:
        value = row.get(column, "")
        if not value:
            raise self.error(line, column, "", "is empty")
        return value

    def add_row(self, row: dict[str, str], line: int) -> None:
        self.result.lines_read += 1
        debtor = self.debtor(row, line)
        invoice = self.invoice(row, line, debtor.number)
        seen = self.invoices.get(invoice.number)
        if seen is None:
            self.invoices[invoice.number] = _Seen(invoice, line)
            self.result.invoices.append(invoice)
            return
        differs = _difference(seen.invoice, invoice)
        if differs:
            raise self.error(line, "invoice_number", invoice.number,
                             f"is already on line {seen.line} with a different {differs}")
        self.result.skipped["duplicate row"] += 1

    def debtor(self, row: dict[str, str], line: int) -> DebtorRecord:
        number = self.required(row, "debtor_number", line)
        known = self.debtors.get(number)
        name = row.get("debtor_name", "")
        if known is not None and name and _folded(name) != _folded(known.name):
            raise self.error(line, "debtor_name", name,
                             f'differs from "{known.name}" on line {known.line} '
                             f'for debtor "{number}"')
        if known is not None and not name:
            return known  # later rows may leave the debtor details out
        # Every row's details are checked, though the first row's win.
        record = DebtorRecord(
            number=number,
            name=self.required(row, "debtor_name", line),
            kind=self.choice(row, "debtor_kind", line, _KINDS, DebtorKind.COMPANY),
            legal_id=self.legal_id(row.get("legal_id", ""), line),
            contacts=self.contacts(row, "phones", line) + self.contacts(row, "emails", line),
            address=row.get("address", ""),
            postcode=row.get("postcode", ""),
            city=row.get("city", ""),
            country=self.country(row.get("country", ""), line),
            language=self.choice(row, "language", line, {"fr": "fr", "en": "en"}, "fr"),
            timezone=self.timezone(row.get("timezone", ""), line),
            do_not_call=self.choice(row, "do_not_call", line, _BOOLEANS, False),
            line=line,
        )
        if known is None:
            self.debtors[number] = record
            self.result.debtors.append(record)
            return record
        return known

    def invoice(self, row: dict[str, str], line: int, debtor_number: str) -> InvoiceRecord:
        number = self.required(row, "invoice_number", line)
        issue = self.date(row, "issue_date", line)
        due = self.date(row, "due_date", line)
        if due < issue:
            raise self.error(line, "due_date", row["due_date"],
                             f'is before the issue date "{row["issue_date"]}"')
        currency = row.get("currency", "").upper() or self.default_currency
        if not is_currency_code(currency):
            raise self.error(line, "currency", row["currency"], "is not an ISO 4217 currency code")
        amount = self.money(row, "amount", line, currency, allow_zero=False)
        open_amount = amount
        if row.get("open_amount"):
            open_amount = self.money(row, "open_amount", line, currency, allow_zero=True)
            if open_amount > amount:
                raise self.error(line, "open_amount", row["open_amount"],
                                 f'is more than the amount "{row["amount"]}"')
        return InvoiceRecord(
            debtor_number=debtor_number, number=number, issue_date=issue, due_date=due,
            amount_minor=amount, open_minor=open_amount, currency=currency, line=line,
        )

    def date(self, row: dict[str, str], column: str, line: int) -> date:
        value = self.required(row, column, line)
        parsed = parse_date(value)
        if parsed is None:
            raise self.error(line, column, value, "is not a date")
        return parsed

    def money(self, row: dict[str, str], column: str, line: int, currency: str, *,
              allow_zero: bool) -> int:
        value = self.required(row, column, line)
        try:
            return parse_amount(value, currency, allow_zero=allow_zero)
        except MoneyError as exc:
            raise self.error(line, column, value, str(exc)) from exc

    def choice(self, row: dict[str, str], column: str, line: int, allowed: dict[str, _T],
               default: _T) -> _T:
        value = row.get(column, "")
        if not value:
            return default
        try:
            return allowed[value.lower()]
        except KeyError:
            raise self.error(line, column, value,
                             f"is not one of {', '.join(allowed)}") from None

    def legal_id(self, value: str, line: int) -> str:
        if not value:
            return ""
        digits = "".join(value.split())
        if not (digits.isascii() and digits.isdigit() and len(digits) in (9, 14)):
            raise self.error(line, "legal_id", value,
                             "is not a SIREN (9 digits) or a SIRET (14 digits)")
        if not _legal_id_checksum(digits):
            kind = "SIREN" if len(digits) == 9 else "SIRET"
            raise self.error(line, "legal_id", value, f"is not a valid {kind} (bad check digit)")
        return digits

    def contacts(self, row: dict[str, str], column: str, line: int) -> tuple[ContactPoint, ...]:
        kind = "phone" if column == "phones" else "email"
        found: list[ContactPoint] = []
        for item in row.get(column, "").split("|"):
            item = item.strip()
            if not item:
                continue
            label, value = "main", item
            head, equals, tail = item.partition("=")
            if equals and "@" not in head:  # an address may hold "=", a label holds no "@"
                label, value = head.strip() or "main", tail.strip()
            reason = _check_contact(kind, value)
            if reason:
                raise self.error(line, column, item, reason)
            point = ContactPoint(kind, label, value)
            if point not in found:
                found.append(point)
        return tuple(found)

    def country(self, value: str, line: int) -> str:
        if not value:
            return "FR"
        code = value.upper()
        if code not in _countries():
            raise self.error(line, "country", value, "is not an ISO 3166 two-letter country code")
        return code

    def timezone(self, value: str, line: int) -> str:
        if not value:
            return "Europe/Paris"
        if not _is_timezone(value):
            raise self.error(line, "timezone", value, "is not an IANA time zone name")
        return value


def _check_contact(kind: str, value: str) -> str:
    """The reason a phone number or email address is refused, or "" when it is fine."""
    if not value:
        return "has a label but no value"
    if kind == "phone":
        if sum(char.isdigit() for char in value) < 6:
            return "is not a phone number (fewer than 6 digits)"
        return ""
    local, at, domain = value.partition("@")
    if not (at and local and domain) or "@" in domain or any(c.isspace() for c in value):
        return 'is not an email address (needs one "@" with text on both sides)'
    return ""


def _difference(first: InvoiceRecord, second: InvoiceRecord) -> str:
    """What makes a repeated invoice number a conflict rather than a duplicate row."""
    for attribute, what in (
        ("debtor_number", "debtor"), ("amount_minor", "amount"), ("open_minor", "open amount"),
        ("currency", "currency"), ("issue_date", "issue date"), ("due_date", "due date"),
    ):
        if getattr(first, attribute) != getattr(second, attribute):
            return what
    return ""


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def _legal_id_checksum(digits: str) -> bool:
    """Luhn over the SIREN or SIRET; La Poste's SIRETs use a digit sum divisible by 5."""
    if len(digits) == 14 and digits.startswith("356000000"):
        return sum(map(int, digits)) % 5 == 0
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    from babel import Locale

    # CLDR also lists regions ("001") and groupings ("EU", "UN") that are no country.
    pseudo = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}
    return frozenset(
        code for code in Locale.parse("en").territories
        if len(code) == 2 and code.isalpha() and code not in pseudo
    )


@lru_cache(maxsize=256)
def _is_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
