"""Value types for the book as read from files, before the store writes them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class DebtorKind(StrEnum):
    COMPANY = "company"
    CONSUMER = "consumer"


@dataclass(frozen=True, slots=True)
class ContactPoint:
    kind: str  # "phone" or "email"
    label: str  # "mobile", "office", "accounting", ...
    value: str


@dataclass(frozen=True, slots=True)
class DebtorRecord:
    number: str  # the customer account, e.g. the FEC CompAuxNum
    name: str
    kind: DebtorKind = DebtorKind.COMPANY
    legal_id: str = ""  # SIREN (9 digits) or SIRET (14 digits)
    contacts: tuple[ContactPoint, ...] = ()
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "FR"
    language: str = "fr"
    timezone: str = "Europe/Paris"
    do_not_call: bool = False
    line: int = 0  # where it was first read, for messages


@dataclass(frozen=True, slots=True)
class InvoiceRecord:
    debtor_number: str
    number: str
    issue_date: date
    due_date: date
    amount_minor: int  # original amount
    open_minor: int  # still unpaid, 0 when settled
    currency: str = "EUR"
    line: int = 0


@dataclass(slots=True)
class ParsedBook:
    """Everything one file says, fully validated: the store writes it in one transaction."""

    source: str
    format: str  # "csv" or "fec"
    debtors: list[DebtorRecord] = field(default_factory=list)
    invoices: list[InvoiceRecord] = field(default_factory=list)
    # Lines read but not turned into records, by reason ("not a receivable", ...).
    skipped: Counter[str] = field(default_factory=Counter)
    lines_read: int = 0


class BookImportError(ValueError):
    """A file refused whole. str() is `file:line: field "value" reason`."""

    def __init__(self, source: str, line: int, message: str, field_name: str = "") -> None:
        self.source, self.line, self.field_name, self.reason = source, line, field_name, message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


