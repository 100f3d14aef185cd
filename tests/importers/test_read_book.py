from __future__ import annotations

import subprocess
import sys

import pytest

from recotui.domain.book import BookImportError
from recotui.importers import read_book, sniff_format
from recotui.importers.fec import STANDARD_COLUMNS

CSV = ("debtor_number;debtor_name;invoice_number;issue_date;due_date;amount\n"
       "C1;A;F-1;2026-01-01;2026-01-31;10,00\n")
FEC_LINE = ("VT", "Ventes", "1", "20260101", "411000", "Clients", "C1", "A", "F-1", "20260101",
            "x", "10,00", "0,00", "", "", "", "", "")
FEC = "\t".join(STANDARD_COLUMNS) + "\n" + "\t".join(FEC_LINE) + "\n"


def test_sniffs_fec_and_csv(write) -> None:
    fec = write("export.txt", "\ufeff" + FEC)
    csv = write("book.txt", CSV)
    assert (sniff_format(fec), sniff_format(csv)) == ("fec", "csv")
    assert read_book(fec).format == "fec" and read_book(csv).format == "csv"
    assert sniff_format(write("empty.txt", b"")) == sniff_format("missing.txt") == "csv"


def test_options_reach_the_readers(write) -> None:
    fec = read_book(write("export.txt", FEC), default_term_days=45, default_currency="USD")
    (invoice,) = fec.invoices
    assert (invoice.currency, (invoice.due_date - invoice.issue_date).days) == ("USD", 45)
    assert read_book(write("book.csv", CSV), "CSV", default_currency="CHF").invoices[0].currency \
        == "CHF"


def test_forced_and_unknown_formats(write) -> None:
    with pytest.raises(BookImportError, match=r"^export\.txt:1: header .* is not separated"):
        read_book(write("export.txt", CSV), "fec")
    with pytest.raises(BookImportError, match=r'^book\.csv: format "xls" is not one of csv, fec$'):
        read_book(write("book.csv", CSV), "xls")


def test_package_import_stays_light() -> None:
    code = ("import sys, recotui.importers as m; "
            "print(sorted(n for n in ('babel', 'csv', 'recotui.importers.fec', "
            "'recotui.importers.csv_book', 'sqlmodel', 'textual') if n in sys.modules)); "
            "print(m.CSV_TEMPLATE.split(';')[0], m.read_fec.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["[]", "debtor_number read_fec"]
