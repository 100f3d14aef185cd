"""The letters' PDFs write their lines through fpdf2's internals (recotui.letters.pdf._put),
for speed: the bytes must be those FPDF.text() gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from recotui.letters import pdf

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


def texts() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(EXPECTED.glob("*.txt"))]
    return [*found, ("tricky", TRICKY)]


@pytest.mark.parametrize(("name", "text"), texts(), ids=[n for n, _ in texts()])
def test_put_writes_what_text_writes(name, text, monkeypatch):
    assert pdf._FAST, "fpdf2 lost the internals the letters use: they go through text()"
    fast = pdf.to_pdf(text, title=name, author="Créancier SAS", created=CREATED)
    monkeypatch.setattr(pdf, "_FAST", False)
    slow = pdf.to_pdf(text, title=name, author="Créancier SAS", created=CREATED)
    assert fast == slow
