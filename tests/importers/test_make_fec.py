"""The benchmark FEC generator: deterministic, readable, and a check on credit allocation."""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from recotui.importers.fec import read_fec

_PATH = Path(__file__).resolve().parents[2] / "bench" / "make_fec.py"
_SPEC = importlib.util.spec_from_file_location("make_fec", _PATH)
assert _SPEC and _SPEC.loader
make_fec = importlib.util.module_from_spec(_SPEC)
sys.modules["make_fec"] = make_fec
_SPEC.loader.exec_module(make_fec)


def test_same_seed_same_file(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    assert make_fec.write_fec(first, 600, seed=3) == make_fec.write_fec(second, 600, seed=3)
    make_fec.write_fec(other, 600, seed=4)
    assert first.read_bytes() == second.read_bytes() != other.read_bytes()


@pytest.mark.parametrize(("sep", "encoding"), [("tab", "utf-8"), ("pipe", "cp1252"),
                                               ("tab", "iso-8859-15")])
def test_generated_fec_reads_the_same_in_any_shape(tmp_path: Path, sep: str,
                                                   encoding: str) -> None:
    reference, shaped = tmp_path / "ref.txt", tmp_path / "shaped.txt"
    written = make_fec.write_fec(reference, 3000, seed=7)
    assert abs(written - 3000) <= 5
    make_fec.write_fec(shaped, 3000, seed=7, sep=sep, encoding=encoding)
    expected, book = read_fec(reference), read_fec(shaped)
    assert book.debtors == expected.debtors and book.invoices == expected.invoices
    assert book.lines_read == written - 1
    assert any(not ch.isascii() for debtor in book.debtors for ch in debtor.name)


def test_open_amounts_match_customer_balances(tmp_path: Path) -> None:
    """What is open per customer is the customer's 411 balance (lettered lines cancel out),
    computed here the slow, obvious way."""
    path = tmp_path / "fec.txt"
    make_fec.write_fec(path, 5000, seed=11)
    balances: dict[str, Decimal] = defaultdict(Decimal)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=True))
        if row["CompteNum"].startswith("411"):
            debit, credit = (Decimal(row[k].replace(",", ".")) for k in ("Debit", "Credit"))
            balances[row["CompAuxNum"]] += debit - credit
    book = read_fec(path)
    open_by_customer: dict[str, int] = defaultdict(int)
    for invoice in book.invoices:
        assert 0 <= invoice.open_minor <= invoice.amount_minor
        open_by_customer[invoice.debtor_number] += invoice.open_minor
    for customer, balance in balances.items():
        assert open_by_customer[customer] == max(0, int(balance * 100)), customer
    kinds = {(i.open_minor == 0, i.open_minor == i.amount_minor) for i in book.invoices}
    assert kinds == {(True, False), (False, True), (False, False)}  # paid, unpaid, partly
    assert book.skipped["lettered credit"] and book.skipped["not a receivable line"]


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "fec.txt"
    assert make_fec.main([str(out), "--lines", "400", "--sep", "pipe", "--parse"]) == 0
    printed = capsys.readouterr().out
    assert "wrote" in printed and "read_fec:" in printed
    assert out.read_text(encoding="utf-8").startswith("JournalCode|JournalLib|")
