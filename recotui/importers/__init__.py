"""Readers for the book as finance exports it: a CSV book or the FEC. They return ParsedBook.

The readers are imported on first use, so `import recotui.importers` stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recotui.domain.book import ParsedBook

FORMATS = ("csv", "fec")
_SNIFF_BYTES = 64 * 1024
_LAZY = {
    "read_csv_book": "csv_book", "CSV_COLUMNS": "csv_book", "CSV_TEMPLATE": "csv_book",
    "read_fec": "fec",
}

__all__ = ["FORMATS", "read_book", "sniff_format", *_LAZY]


def read_book(path: str | Path, format: str | None = None, *, default_term_days: int = 30,
              default_currency: str = "EUR") -> ParsedBook:
    """Reads a CSV book or a FEC; format None sniffs it from the header."""
    from recotui.domain.book import BookImportError

    chosen = (format or sniff_format(path)).lower()
    if chosen == "csv":
        from recotui.importers.csv_book import read_csv_book

        return read_csv_book(path, default_currency=default_currency)
    if chosen == "fec":
        from recotui.importers.fec import read_fec

        return read_fec(path, default_term_days=default_term_days, currency=default_currency)
    raise BookImportError(str(path), 0, f'format "{format}" is not one of {", ".join(FORMATS)}')


def sniff_format(path: str | Path) -> str:
    """Returns "fec" when the header names JournalCode, else "csv".

    Unreadable files are left to the reader, which says what is wrong with them.
    """
    try:
        with open(path, "rb") as file:
            head = file.read(_SNIFF_BYTES)
    except OSError:
        return "csv"
    header = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
    return "fec" if b"journalcode" in header.lower() else "csv"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
