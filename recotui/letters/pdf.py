"""Letters as PDF: the text, line for line, in a monospaced core font.

A letter is a handful of PDF objects: the page tree, the catalogue, a page and its content
stream per page, one or two core fonts, their resource dictionaries and the document's info.
This module writes exactly the bytes fpdf2 2.8 writes for such a letter (pages laid out with
`FPDF.text()`), checked byte for byte against fpdf2 itself by tests/letters/test_pdf_bytes.py,
in 0.10 to 0.14 ms a letter instead of 0.47: fpdf2's general object model took most of a
ladder run's budget.

Core fonts need no embedding; they speak Windows-1252, which has €, the French letters and
the no-break space. Anything else is replaced by its closest plain letter.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zlib
from binascii import hexlify
from codecs import BOM_UTF16_BE
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from recotui.letters.render import _heading

SIZE = 10
LINE_MM = 4.6
TOP_MM, LEFT_MM, BOTTOM_MM = 18.0, 18.0, 16.0
PAGE_H_MM = 297.0
K = 72 / 25.4  # points a millimetre
PAGE_H_PT = 841.89  # A4, as fpdf2 rounds it
LINES_PER_PAGE = int((PAGE_H_MM - TOP_MM - BOTTOM_MM) // LINE_MM)
FONTS = {False: "Courier", True: "Courier-Bold"}

_HEADER = "%PDF-1.3\n%\xe9\xeb\xf1\xbf\n"
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


# Where each row of a page begins, as fpdf2 writes it: (page height - y) * k, from mm.
_ROWS = [f"BT {LEFT_MM * K:.2f} {(PAGE_H_PT / K - (TOP_MM + (row + 1) * LINE_MM)) * K:.2f} Td ("
         for row in range(LINES_PER_PAGE)]


def _pages(lines: list[str], headings: list[bool]) -> tuple[list[str], list[list[bool]]]:
    """Each page's content stream, and the fonts (bold or not) it uses, in order.

    As fpdf2 does, a font is selected on the page when a line is written after a change.
    """
    streams, fonts = [], []
    for first in range(0, len(lines), LINES_PER_PAGE):
        ops = ["2 J", "0.57 w"]
        used: list[bool] = []
        bold, selected = False, False  # the font, and whether the page has selected it
        for row, line in enumerate(lines[first:first + LINES_PER_PAGE]):
            heading = headings[first + row]
            if heading != bold:
                bold, selected = heading, False
            content = line[2:-2] if heading else line
            if not content.strip():
                continue
            if not selected:
                ops.append(f"BT /F{int(bold) + 1} {SIZE:.2f} Tf ET")
                used.append(bold)
                selected = True
            ops.append(f"{_ROWS[row]}{_escape(content)}) Tj ET")
        ops.append("")
        streams.append("\n".join(ops))
        fonts.append(used)
    return streams, fonts


def to_pdf(text: str, *, title: str = "", author: str = "",
           created: datetime | None = None) -> bytes:
    """`created`: the letter's date, so the same letter gives the same bytes."""
    if created is None:
        created = datetime.now(UTC)
    elif created.tzinfo is None:
        created = created.astimezone()  # local time, as fpdf2 takes it
    lines = _safe(text).rstrip("\n").split("\n")
    headings = [_heading(line) for line in lines]
    pages, page_fonts = _pages(lines, headings)
    # Fonts are numbered as they are first chosen: the regular one on the first page, the
    # bold one at the first heading, written or not.
    order = [False, True] if any(headings) else [False]
    count = len(pages)
    font_ids = {bold: 3 + 2 * count + i for i, bold in enumerate(order)}
    first_resources = 3 + 2 * count + len(order)  # a resource dictionary a page
    info_id = first_resources + count

    body = bytearray(_HEADER.encode("latin-1"))
    offsets = []

    def put(obj: str, stream: bytes = b"") -> None:
        offsets.append(len(body))
        body.extend(f"{len(offsets)} 0 obj\n{obj}".encode("latin-1"))
        if stream:
            body.extend(b"\nstream\n" + stream + b"\nendstream")
        body.extend(b"\nendobj\n")

    kids = "\n".join(f"{3 + 2 * i} 0 R" for i in range(count))
    put(f"<<\n/Count {count}\n/Kids [{kids}]\n/MediaBox [0 0 595.28 841.89]\n/Type /Pages\n>>")
    put("<<\n/OpenAction [3 0 R /FitH null]\n/PageLayout /OneColumn\n/Pages 1 0 R\n"
        "/Type /Catalog\n>>")
    for page, content in enumerate(pages):
        put(f"<<\n/Contents {len(offsets) + 2} 0 R\n/Parent 1 0 R\n"
            f"/Resources {first_resources + page} 0 R\n/Type /Page\n>>")
        data = zlib.compress(content.encode("cp1252"))
        put(f"<<\n/Filter /FlateDecode\n/Length {len(data)}\n>>", data)
    for bold in order:
        put(f"<<\n/BaseFont /{FONTS[bold]}\n/Encoding /WinAnsiEncoding\n/Subtype /Type1\n"
            "/Type /Font\n>>")
    for used in page_fonts:
        names = "\n".join(f"/F{int(bold) + 1} {font_ids[bold]} 0 R" for bold in sorted(set(used)))
        fonts = f"/Font <<{names}>>\n" if names else ""
        put(f"<<\n{fonts}/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]\n>>")
    info = [f"/Author {_string(_safe(author))}"] if author else []
    info.append(f"/CreationDate ({_date(created)})")
    if title:
        info.append(f"/Title {_string(_safe(title))}")
    put("<<\n" + "\n".join(info) + "\n>>")
    assert len(offsets) == info_id

    digest = hashlib.md5(body, usedforsecurity=False)
    digest.update(created.strftime("%Y%m%d%H%M%S").encode())
    file_id = digest.hexdigest().upper()
    xref = [f"xref\n0 {info_id + 1}\n0000000000 65535 f "]
    xref += [f"{offset:010} 00000 n " for offset in offsets]
    xref += ["trailer", "<<", f"/Size {info_id + 1}", "/Root 2 0 R", f"/Info {info_id} 0 R",
             f"/ID [<{file_id}><{file_id}>]", ">>", "startxref", str(len(body)), "%%EOF", ""]
    body.extend("\n".join(xref).encode("latin-1"))
    return bytes(body)


def _string(value: str) -> str:
    """A PDF text string: literal when ASCII, else UTF-16 with its byte-order mark."""
    if value.isascii():
        return f"({_escape(value)})"
    return "<" + hexlify(BOM_UTF16_BE + value.encode("utf-16-be")).decode() + ">"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(")", "\\)").replace("(", "\\(").replace("\r", "\\r")


def _date(moment: datetime) -> str:
    if moment.tzinfo == UTC:
        return f"D:{moment:%Y%m%d%H%M%SZ}"
    offset = f"{moment:%z}"
    return f"D:{moment:%Y%m%d%H%M%S}{offset[:-2]}'{offset[-2:]}'"


def write_pdf(path: Path, text: str, **meta: Any) -> Path:  # noqa: ANN401
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_pdf(text, **meta))
    return path
