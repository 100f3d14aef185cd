"""Letters as PDF with fpdf2: the text, line for line, in a monospaced core font.

Core fonts need no embedding, so a letter takes about a millisecond; they speak
Windows-1252, which has €, the French letters and the no-break space. Anything else is
replaced by its closest plain letter.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

try:
    from fpdf.syntax import escape_parens
except ImportError:  # another fpdf2: text() it is
    escape_parens = None

from recotui.letters.render import _heading

FONT, SIZE = "courier", 10
LINE_MM = 4.6
TOP_MM, LEFT_MM, BOTTOM_MM = 18.0, 18.0, 16.0
PAGE_H_MM = 297.0


_STROKED = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i"}  # no NFKD


def _safe(line: str) -> str:
    try:
        line.encode("cp1252")
        return line
    except UnicodeEncodeError:
        out = []
        for ch in line:
            try:
                ch.encode("cp1252")
                out.append(ch)
            except UnicodeEncodeError:
                base = _STROKED.get(ch) or unicodedata.normalize("NFKD", ch).encode(
                    "ascii", "ignore").decode()
                out.append(base or "?")
        return "".join(out)


def to_pdf(text: str, *, title: str = "", author: str = "",
           created: datetime | None = None) -> bytes:
    """`created`: the letter's date, so the same letter gives the same bytes."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(False)
    if created is not None:
        pdf.set_creation_date(created)
    if title:
        pdf.set_title(_safe(title))
    if author:
        pdf.set_author(_safe(author))
    per_page = int((PAGE_H_MM - TOP_MM - BOTTOM_MM) // LINE_MM)
    lines = text.rstrip("\n").split("\n")
    bold = False
    put = _put if _FAST else _text
    for index, line in enumerate(lines):
        row = index % per_page
        if row == 0:
            pdf.add_page()
            pdf.set_font(FONT, size=SIZE)
            bold = False
        heading = _heading(line)
        if heading != bold:
            pdf.set_font(FONT, "B" if heading else "", SIZE)
            bold = heading
        content = line[2:-2] if heading else line
        if content.strip():
            put(pdf, LEFT_MM, TOP_MM + (row + 1) * LINE_MM, _safe(content))
    return bytes(pdf.output())


def _text(pdf: FPDF, x: float, y: float, line: str) -> None:
    pdf.text(x, y, line)


def _put(pdf: FPDF, x: float, y: float, line: str) -> None:
    """What `pdf.text(x, y, line)` writes to the page for a core font in fill mode, without
    underline and in the default colours (all a letter uses), at a fifth less of the cost:
    tests/letters/test_pdf_bytes.py checks the bytes are the same as text()'s."""
    if not pdf.current_font_is_set_on_page:
        pdf._out(pdf._set_font_for_page(pdf.current_font, pdf.font_size_pt))
    encoded = line.encode(pdf.core_fonts_encoding).decode("latin-1")
    pdf._out(f"BT {x * pdf.k:.2f} {(pdf.h - y) * pdf.k:.2f} Td ({escape_parens(encoded)}) Tj ET")


# text() does more than a letter needs (checks, deprecated arguments, underline, colours);
# _put writes the same for what a letter uses, through fpdf2's internals. If a version of
# fpdf2 no longer has them, letters go through text().
_FAST = all(hasattr(FPDF, name) for name in ("_out", "_set_font_for_page")) and callable(
    escape_parens)


def write_pdf(path: Path, text: str, **meta: Any) -> Path:  # noqa: ANN401
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_pdf(text, **meta))
    return path
