"""The letters' PDFs are written by recotui.letters.pdf, not through fpdf2's object model,
for speed: the bytes must be those fpdf2 writes for the same letter laid out with its public
API, one FPDF.text() a line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from recotui.letters import pdf
from recotui.letters.render import _heading

EXPECTED = Path(__file__).with_name("expected")
CREATED = datetime(2026, 3, 2, tzinfo=UTC)
TRICKY = "\n".join([
    "**Mise en demeure (LRAR)**",
    r"Parenthèses (ouvertes, fermées) et \ barre oblique inverse \\ ",
    "Montant : 10\u00a0000,00\u00a0€ — « guillemets » ‘œ’ Łódź Đakovo ħ ı 漢字",
    "**bold**",
    "",
    "   ",
    *(f"ligne {i} ({i})" for i in range(130)),  # three pages
    "**fin**",
])


def fpdf2_letter(text: str, *, title: str, author: str, created: datetime) -> bytes:
    """The reference: the letter as fpdf2 lays it out and writes it."""
    doc = FPDF(format="A4", unit="mm")
    doc.core_fonts_encoding = "windows-1252"
    doc.set_auto_page_break(False)
    doc.set_creation_date(created)
    if title:
        doc.set_title(pdf._safe(title))
    if author:
        doc.set_author(pdf._safe(author))
    bold = False
    for index, line in enumerate(text.rstrip("\n").split("\n")):
        row = index % pdf.LINES_PER_PAGE
        if row == 0:
            doc.add_page()
            doc.set_font("courier", size=pdf.SIZE)
            bold = False
        heading = _heading(line)
        if heading != bold:
            doc.set_font("courier", "B" if heading else "", pdf.SIZE)
            bold = heading
        content = line[2:-2] if heading else line
        if content.strip():
            doc.text(pdf.LEFT_MM, pdf.TOP_MM + (row + 1) * pdf.LINE_MM, pdf._safe(content))
    return bytes(doc.output())


def texts() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(EXPECTED.glob("*.txt"))]
    return [*found, ("tricky", TRICKY)]


@pytest.mark.parametrize(("name", "text"), texts(), ids=[n for n, _ in texts()])
def test_letters_are_the_bytes_fpdf2_writes(name, text):
    meta = {"title": name, "author": "Créancier SAS", "created": CREATED}
    assert pdf.to_pdf(text, **meta) == fpdf2_letter(text, **meta)


LINE = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=90),
    st.text("ab (x)\\€é ", max_size=20).map(lambda s: f"**{s}**"),
    st.just(""), st.just("**"), st.just("****"), st.just("** **"),
)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(LINE, max_size=140),
       title=st.text(max_size=20), author=st.text(max_size=20),
       created=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)),
       offset=st.sampled_from([None, 0, 60, -330]))
def test_any_letter_is_the_bytes_fpdf2_writes(lines, title, author, created, offset):
    if offset is not None:
        created = created.replace(tzinfo=timezone(timedelta(minutes=offset)))
    text = "\n".join(lines)
    meta = {"title": title, "author": author, "created": created}
    assert pdf.to_pdf(text, **meta) == fpdf2_letter(text, **meta)


def test_the_pdf_reads_back(tmp_path):
    path = pdf.write_pdf(tmp_path / "l.pdf", TRICKY, title="Lettre é", author="A",
                         created=CREATED)
    reader = PdfReader(path)
    assert len(reader.pages) == 3
    assert reader.metadata.title == "Lettre é"
    first = reader.pages[0].extract_text()
    assert "Mise en demeure (LRAR)" in first
    assert "10\u00a0000,00\u00a0€" in first
    assert "Lódz Dakovo h i ??" in first  # the nearest Windows-1252 letters
    assert "ligne 129 (129)" in reader.pages[2].extract_text()
