"""Done-when of the ladder: after a FEC import, a run writes a correct letter for every
overdue customer and none for those who have paid; the PDFs are read back as text."""

from __future__ import annotations

import re

from pypdf import PdfReader

from recotui import cli
from tests.importers.test_fec import credit, entry, fec_text


def customer(number: str, name: str, piece: str, day: str, debit: str, **values: str):
    return entry(CompAuxNum=number, CompAuxLib=name, EcritureNum=f"VT{piece}", PieceRef=piece,
                 PieceDate=day, EcritureDate=day, Debit=debit, **values)


def payment(number: str, name: str, amount: str, day: str, **values: str):
    return credit(amount, CompAuxNum=number, CompAuxLib=name, EcritureNum=f"BQ{day}",
                  EcritureDate=day, **values)


LEDGER = [
    # C1 owes two invoices, both overdue: one letter for both.
    customer("C1", "Boulangerie Lefèvre", "FA1", "20251201", "1200,00"),
    customer("C1", "Boulangerie Lefèvre", "FA2", "20260105", "300,00"),
    # C2 paid, matched by lettering.
    customer("C2", "Garage Martin", "FA3", "20260110", "500,00", EcritureLet="AA",
             DateLet="20260201"),
    payment("C2", "Garage Martin", "500,00", "20260201", EcritureLet="AA", DateLet="20260201"),
    # C3 paid part of its invoice, naming it.
    customer("C3", "Café du Port", "FA4", "20251215", "800,00"),
    payment("C3", "Café du Port", "200,00", "20260120", PieceRef="FA4"),
    # C4 paid in full on account.
    customer("C4", "Fleurs Dubois", "FA5", "20251201", "400,00"),
    payment("C4", "Fleurs Dubois", "400,00", "20260115", PieceRef="VIR3"),
    # C5's invoice falls due after the run: a preventive reminder at most, no relance.
    customer("C5", "Épicerie Vidal", "FA6", "20260220", "90,00"),
]


def read_back(path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"[ \u00a0]+", " ", text)


def test_a_run_after_a_fec_import_writes_letters_for_overdue_customers_only(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RECOTUI_CONFIG", str(tmp_path / "none.toml"))
    fec = tmp_path / "FEC.txt"
    fec.write_text(fec_text(*LEDGER), encoding="utf-8")
    db, out = str(tmp_path / "book.sqlite3"), tmp_path / "out"
    assert cli.main(["import", str(fec), "--format", "fec", "--db", db]) == 0
    assert cli.main(["ladder", "run", "--db", db, "--as-of", "2026-03-02",
                     "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "relance_1 by letter: 2" in printed

    letters = sorted(p.name for p in out.rglob("*.pdf"))
    assert letters == ["relance_1-C1-EUR-20260302.pdf", "relance_1-C3-EUR-20260302.pdf"]

    c1 = read_back(out / "2026-03-02" / letters[0])
    assert "Boulangerie Lefèvre" in c1
    # Each invoice with its dates, amount, open amount and interest: the ECB rate of
    # 1 January 2026 (2.15 %) plus 10 points, over the exact days, on 365.
    assert "FA1 01/12/2025 31/12/2025 1 200,00 € 1 200,00 € 24,37 €" in c1  # 61 days
    assert "FA2 05/01/2026 04/02/2026 300,00 € 300,00 € 2,60 €" in c1  # 26 days
    assert "Principal restant dû 1 500,00 €" in c1
    assert "(art. L441-10 C. com.) 26,97 €" in c1
    assert "2 × 40,00 € 80,00 €" in c1
    assert "Total dû 1 606,97 €" in c1

    c3 = read_back(out / "2026-03-02" / letters[1])
    assert "FA4 15/12/2025 14/01/2026 800,00 € 600,00 € 9,39 €" in c3
    assert "Total dû 649,39 €" in c3
    for paid in ("FA3", "FA5", "Garage Martin", "Fleurs Dubois"):
        assert paid not in c1 + c3

    # The same date again writes nothing more.
    assert cli.main(["ladder", "run", "--db", db, "--as-of", "2026-03-02",
                     "--out", str(out)]) == 0
    assert "0 due for a step" in capsys.readouterr().out
    assert len(list(out.rglob("*.pdf"))) == 2
