"""Shared by the importers: encoding detection, lines, dates, currency codes, messages."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from recotui.domain.book import BookImportError
from recotui.domain.money import MoneyError, parse_money, precision

NOT_TEXT = "is not text in UTF-8, ISO-8859-15 or cp1252"

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
# Control bytes that never occur in a text export; tab, LF and CR do.
_CONTROL = bytes(b for b in [*range(0x20), 0x7F] if b not in b"\t\n\r")
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)
_CP1252_ONLY = bytes(range(0x80, 0xA0))  # C1 range: printable in cp1252, control in ISO-8859-15


class TextFile(NamedTuple):
    source: str  # the file name as given, used in every message
    text: str
    encoding: str  # "utf-8", "cp1252" or "iso-8859-15"


def read_text_file(path: str | Path) -> TextFile:
    """Reads and decodes a whole export, refusing what is not text or holds no data."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BookImportError(source, 0, f"cannot be read ({exc.strerror or exc})") from exc
    text, encoding = decode_bytes(data, source)
    return TextFile(source, text, encoding)


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """UTF-8 (BOM or not), else cp1252 when C1 bytes occur, else ISO-8859-15."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise BookImportError(source, 0, f"{NOT_TEXT} (looks like {name})")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    data = data.rstrip(b"\x1a")  # DOS end-of-file marker
    if not data.strip():
        raise BookImportError(source, 0, "file is empty")
    _refuse_control_bytes(data, source)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = "cp1252" if data.translate(None, _CP1252_ONLY) != data else "iso-8859-15"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:  # the five bytes cp1252 leaves undefined
        line = data.count(b"\n", 0, exc.start) + 1
        raise BookImportError(
            source, 0, f"{NOT_TEXT} (byte 0x{data[exc.start]:02X} on line {line})"
        ) from exc


def _refuse_control_bytes(data: bytes, source: str) -> None:
    found = data.translate(None, _NOT_CONTROL)  # one C pass; keeps only control bytes
    if not found:
        return
    if found.count(0) * 4 >= len(data):  # text with a NUL every other byte
        raise BookImportError(source, 0, f"{NOT_TEXT} (looks like UTF-16)")
    position = data.find(found[:1])
    line = data.count(b"\n", 0, position) + 1
    raise BookImportError(
        source, 0, f"{NOT_TEXT} (binary byte 0x{found[0]:02X} on line {line})"
    )


# Line ends that str.splitlines honours beyond LF and CR; control bytes are refused before.
_OTHER_LINE_ENDS = ("\x85", "\u2028", "\u2029")


def split_lines(text: str) -> list[str]:
    """Physical lines without their ends; LF, CRLF and lone CR all end a line."""
    if any(end in text for end in _OTHER_LINE_ENDS):  # rare: fall back to the slow way
        return text.replace("\r\n", "\n").replace("\r", "\n").removesuffix("\n").split("\n")
    return text.splitlines()  # one C pass, and the fastest there is


def first_line(text: str) -> tuple[int, str]:
    """The first non-blank line (the header) and its 1-based number."""
    number = 0
    start = 0
    while True:
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        number += 1
        if line.strip() or end < 0:
            return number, line.rstrip("\r")
        start = end + 1


def field_error(
    source: str, line: int, field: str, value: str, reason: str, field_name: str = ""
) -> BookImportError:
    """`file:line: field "value" reason`; an empty value is left out: `field is empty`."""
    shown = value if len(value) <= 80 else value[:77] + "..."
    what = f'{field} "{shown}"' if value else field
    return BookImportError(source, line, f"{what} {reason}", field_name or field)


@lru_cache(maxsize=8192)  # exports repeat the same few hundred dates
def parse_date(text: str) -> date | None:
    """YYYY-MM-DD, YYYYMMDD or dd/mm/yyyy; None when it is not a real date."""
    try:
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            year, month, day = text[:4], text[5:7], text[8:]
        elif len(text) == 10 and text[2] == "/" and text[5] == "/":
            day, month, year = text[:2], text[3:5], text[6:]
        elif len(text) == 8:
            year, month, day = text[:4], text[4:6], text[6:]
        else:
            return None
        if not (year + month + day).isdigit() or not text.isascii():
            return None
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


@lru_cache(maxsize=64)
def is_currency_code(code: str) -> bool:
    """An upper-case ISO 4217 code that babel knows (and so can format)."""
    from babel.numbers import is_currency

    return len(code) == 3 and code.isascii() and code.isalpha() and is_currency(code)


# "1.000" or "-12,500": one separator, then exactly three digits.
_ONE_GROUP = re.compile(r"[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}")


def parse_amount(text: str, currency: str, *, allow_negative: bool = False,
                 allow_zero: bool = True) -> int:
    """Minor units, read by money.parse_money; raises MoneyError with the reason.

    Files refuse a lone "1.000" in a currency of fewer than three decimals, as the CSV book
    documents. parse_money refuses it itself for one or two decimals, but reads a thousand
    for none: only that case is left to check here.
    """
    if precision(currency) == 0 and _ONE_GROUP.fullmatch(text.strip()):
        raise MoneyError("is ambiguous: a thousands separator or decimals? "
                         "Write 1000 or 1 000,00")
    return parse_money(text, currency, allow_negative=allow_negative,
                       allow_zero=allow_zero).minor
