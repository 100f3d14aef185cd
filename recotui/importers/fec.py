"""The FEC (fichier des écritures comptables, A47 A-1 LPF): open receivables per customer.

Built for speed: a million lines go through str.split and int arithmetic; Decimal and the
general money parser only see the odd amount shapes.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from recotui.domain.book import BookImportError, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.domain.money import MoneyError, precision
from recotui.importers.textfile import (
    field_error,
    is_currency_code,
    parse_amount,
    parse_date,
    read_text_file,
    split_lines,
)

STANDARD_COLUMNS = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
    "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
)
# Some FECs carry one signed pair instead of Debit and Credit.
_AMOUNT_PAIRS = (("Debit", "Credit"), ("Montant", "Sens"))
_SENS = {"D": 1, "+1": 1, "1": 1, "C": -1, "-1": -1}
_ZEROS = frozenset({"", "0", "0,00", "0.00", "0,0", "0.0"})  # the usual empty side of a line

NOT_RECEIVABLE = "not a receivable line"
NO_AUX = "receivable without CompAuxNum"
LETTERED_CREDIT = "lettered credit"
UNALLOCATED = "unallocated credit"
ZERO = "zero amount"


class _Invoice:
    """An invoice being summed up from its debit lines, then reduced by credits."""

    __slots__ = ("aux", "key", "issue", "amount", "open", "line")

    def __init__(self, aux: str, key: str, issue: date, line: int) -> None:
        self.aux, self.key, self.issue, self.line = aux, key, issue, line
        self.amount = self.open = 0


def read_fec(path: str | Path, *, default_term_days: int = 30, receivable_prefix: str = "411",
             currency: str = "EUR") -> ParsedBook:
    """Reads a FEC; any malformed receivable line refuses the whole file."""
    file = read_text_file(path)
    source, lines = file.source, split_lines(file.text)
    del file  # the lines are all we need; the whole text is as big again
    return _parse_lines(lines, source, default_term_days, receivable_prefix, currency)


def parse_fec_text(text: str, source: str, *, default_term_days: int = 30,
                   receivable_prefix: str = "411", currency: str = "EUR") -> ParsedBook:
    """The same as read_fec, from text already decoded."""
    return _parse_lines(split_lines(text), source, default_term_days, receivable_prefix,
                        currency)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Bulk reading makes hundreds of thousands of acyclic objects; the cycle collector
    would walk the million-line list again and again for nothing (a third of the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_lines(lines: list[str], source: str, default_term_days: int,
                 receivable_prefix: str, currency: str) -> ParsedBook:
    if default_term_days < 0:
        raise ValueError("default_term_days must not be negative")
    currency = currency.strip().upper()
    if not is_currency_code(currency):
        raise field_error(source, 0, "currency", currency, "is not an ISO 4217 currency code")
    with _gc_paused():
        return _read(lines, source, default_term_days, receivable_prefix, currency)


def _read(lines: list[str], source: str, default_term_days: int, receivable_prefix: str,
          currency: str) -> ParsedBook:
    start = next((n for n, line in enumerate(lines) if line.strip()), len(lines))
    if start == len(lines):
        raise BookImportError(source, 0, "file is empty")
    header = lines[start]
    separator = "\t" if header.count("\t") >= header.count("|") else "|"
    names = header.split(separator)
    columns = _columns(names, source, start + 1)
    reader = _Reader(source, columns, receivable_prefix, currency)
    reader.read(lines, start + 1, separator, len(names))
    if not reader.book.lines_read:
        raise BookImportError(source, 0, "has a header but no data lines")
    return reader.finish(timedelta(days=default_term_days))


def _columns(names: list[str], source: str, line: int) -> dict[str, int]:
    if len(names) == 1:
        raise field_error(source, line, "header", names[0],
                          "is not separated by tabs or '|' (is this a FEC?)", "header")
    found: dict[str, int] = {}
    for position, name in enumerate(names):
        found.setdefault(name.strip().lower(), position)
    pair = next((p for p in _AMOUNT_PAIRS if all(n.lower() in found for n in p)), None)
    wanted = [name for name in STANDARD_COLUMNS if name not in _AMOUNT_PAIRS[0] or pair is None]
    missing = [name for name in wanted if name.lower() not in found]
    if missing:
        quoted = ", ".join(f'"{name}"' for name in missing)
        what = "column" if len(missing) == 1 else "columns"
        verb = "is" if len(missing) == 1 else "are"
        raise BookImportError(source, line, f"{what} {quoted} {verb} missing", "header")
    columns = {name: found[name.lower()] for name in wanted}
    for name in pair or ():
        columns[name] = found[name.lower()]
    return columns


class _Reader:
    def __init__(self, source: str, columns: dict[str, int], prefix: str, currency: str) -> None:
        self.source, self.columns, self.prefix, self.currency = source, columns, prefix, currency
        self.digits = precision(currency)
        self.book = ParsedBook(source=source, format="fec")
        self.invoices: dict[tuple[str, str], _Invoice] = {}
        self.debtors: dict[str, DebtorRecord] = {}
        self.credits: list[tuple[str, str, int]] = []  # customer, key, amount

    def read(self, lines: list[str], header_line: int, separator: str, width: int) -> None:
        """One pass over the lines: debit lines become invoices, credits wait for the end.

        The hot loop: locals only, one split per line, amounts and dates by fast paths.
        """
        c = self.columns
        account_at, aux_at, name_at = c["CompteNum"], c["CompAuxNum"], c["CompAuxLib"]
        piece_at, number_at, letter_at = c["PieceRef"], c["EcritureNum"], c["EcritureLet"]
        prefix, invoices, debtors, credits = self.prefix, self.invoices, self.debtors, self.credits
        minor, signed_amount = self._minor_reader(), self._signed_reader()
        debit_at, credit_at = c.get("Debit", -1), c.get("Credit", -1)
        zeros = _ZEROS
        issue_date = self._issue_date
        dates: dict[str, date] = {}  # by PieceDate text
        piece_date_at = c["PieceDate"]
        skipped = {NOT_RECEIVABLE: 0, NO_AUX: 0, LETTERED_CREDIT: 0, ZERO: 0}
        lines_read = 0
        number = header_line
        for line in lines[header_line:]:
            number += 1
            fields = line.split(separator)
            if len(fields) != width:
                if not line.strip():
                    continue
                raise BookImportError(
                    self.source, number, f"has {len(fields)} fields, the header has {width}"
                )
            lines_read += 1
            account = fields[account_at]
            if not account.startswith(prefix) and not account.lstrip().startswith(prefix):
                skipped[NOT_RECEIVABLE] += 1
                continue
            aux = fields[aux_at].strip()
            if not aux:
                skipped[NO_AUX] += 1
                continue
            if aux not in debtors:
                debtors[aux] = DebtorRecord(aux, fields[name_at].strip() or aux, line=number)
            if debit_at >= 0:
                debit, credit = fields[debit_at], fields[credit_at]
                net = (0 if debit in zeros else minor(debit, number, "Debit")) - (
                    0 if credit in zeros else minor(credit, number, "Credit"))
            else:
                net = signed_amount(fields, number)
            if not net:
                skipped[ZERO] += 1
                continue
            key = fields[piece_at].strip()
            if not key or key == "-":
                key = fields[number_at].strip()
                if not key:
                    raise field_error(self.source, number, "EcritureNum", "",
                                      "is empty, and so is PieceRef", "EcritureNum")
            lettered = fields[letter_at].strip()
            if net < 0:
                if lettered:
                    skipped[LETTERED_CREDIT] += 1
                else:
                    credits.append((aux, key, -net))
                continue
            piece_date = fields[piece_date_at]
            issue = dates.get(piece_date)
            if issue is None:
                issue = issue_date(fields, number)
                if piece_date.strip():  # else it came from EcritureDate: not this key's
                    dates[piece_date] = issue
            invoice = invoices.get((aux, key))
            if invoice is None:
                invoice = invoices[aux, key] = _Invoice(aux, key, issue, number)
            elif issue < invoice.issue:
                invoice.issue = issue
            invoice.amount += net
            if not lettered:
                invoice.open += net
        self.book.lines_read = lines_read
        self.book.skipped.update({reason: n for reason, n in skipped.items() if n})

    def _signed_reader(self) -> Callable[[list[str], int], int]:
        """Montant signed by Sens, in minor units, for FECs without Debit and Credit."""
        c, minor = self.columns, self._minor_reader()
        amount_at, sens_at = c.get("Montant", -1), c.get("Sens", -1)

        def signed_amount(fields: list[str], line: int) -> int:
            sens = fields[sens_at].strip().upper()
            if sens not in _SENS:
                raise field_error(self.source, line, "Sens", sens, "is not D, C, +1 or -1")
            return _SENS[sens] * minor(fields[amount_at], line, "Montant")

        return signed_amount

    def _minor_reader(self) -> Callable[[str, int, str], int]:
        """Minor units of "1234,50", " -12,00", "000001234,50", "" (0).

        The fast path glues the digits round the separator and lets int() read them
        (it takes the sign and surrounding spaces); any other shape, or an int() refusal,
        goes through the general money parser, which gives the reason for the message.
        """
        digits, currency, source = self.digits, self.currency, self.source
        zeros = _ZEROS
        cut = -digits - 1

        def minor(text: str, line: int, column: str) -> int:
            if text in zeros:
                return 0
            if "_" not in text:  # int() reads "1_000"; the money parser refuses it
                try:
                    if not digits:
                        return int(text)
                    if len(text) > digits and text[cut] in ",.":
                        return int(text[:cut] + text[cut + 1:])
                except ValueError:
                    pass
            try:
                if not text.strip():
                    return 0
                return parse_amount(text, currency, allow_negative=True)
            except MoneyError as exc:
                raise field_error(source, line, column, text.strip(), str(exc)) from exc

        return minor

    def _issue_date(self, fields: list[str], line: int) -> date:
        column = "PieceDate"
        text = fields[self.columns[column]].strip()
        if not text:
            column = "EcritureDate"
            text = fields[self.columns[column]].strip()
        parsed = parse_date(text)
        if parsed is None:
            reason = "is not a date (YYYYMMDD)" if text else "is empty, and so is EcritureDate"
            raise field_error(self.source, line, column if text else "PieceDate", text, reason)
        return parsed

    def finish(self, term: timedelta) -> ParsedBook:
        """Applies the credits, then emits debtors and invoices in the order first seen."""
        self._apply_credits()
        book = self.book
        book.debtors.extend(self.debtors.values())
        currency = self.currency
        book.invoices.extend(
            InvoiceRecord(i.aux, i.key, i.issue, i.issue + term, i.amount, i.open, currency,
                          i.line)
            for i in self.invoices.values()
        )
        return book

    def _apply_credits(self) -> None:
        """A credit with an invoice's key pays that invoice; the rest pays the oldest first.

        Credits matched by key go first, so an explicit payment is never pre-empted by a
        payment on account that happens to come earlier in the file.
        """
        invoices = self.invoices
        on_account: list[tuple[str, int]] = []
        for aux, key, amount in self.credits:
            invoice = invoices.get((aux, key))
            if invoice is not None:
                used = min(invoice.open, amount)
                invoice.open -= used
                amount -= used
            if amount:
                on_account.append((aux, amount))
        if not on_account:
            return
        queues: dict[str, list[_Invoice]] = {}
        for invoice in invoices.values():
            if invoice.open:
                queues.setdefault(invoice.aux, []).append(invoice)
        for queue in queues.values():
            queue.sort(key=lambda i: (i.issue, i.key), reverse=True)  # oldest at the end
        unallocated = 0
        for aux, amount in on_account:
            queue = queues.get(aux, [])
            while amount and queue:
                invoice = queue[-1]
                used = min(invoice.open, amount)
                invoice.open -= used
                amount -= used
                if not invoice.open:
                    queue.pop()
            if amount:
                unallocated += 1
        if unallocated:
            self.book.skipped[UNALLOCATED] += unallocated
