from __future__ import annotations

from datetime import date

import pytest

from recotui.domain.book import BookImportError, DebtorKind
from recotui.importers.fec import STANDARD_COLUMNS, read_fec


def entry(**values: str) -> dict[str, str]:
    """A 411 debit line of customer C1 unless told otherwise."""
    line = dict.fromkeys(STANDARD_COLUMNS, "")
    line.update(JournalCode="VT", JournalLib="Ventes", EcritureNum="VT1", EcritureDate="20260110",
                CompteNum="411000", CompteLib="Clients", CompAuxNum="C1",
                CompAuxLib="Boulangerie Lefèvre", PieceRef="FA1", PieceDate="20260110",
                EcritureLib="Facture", Debit="100,00", Credit="0,00", ValidDate="20260110")
    line.update(values)
    return line


def credit(amount: str, **values: str) -> dict[str, str]:
    """An unlettered payment on the customer account."""
    return entry(**{"JournalCode": "BQ", "EcritureNum": "BQ1", "PieceRef": "VIR1",
                    "Debit": "0,00", "Credit": amount, **values})


def fec_text(*lines: dict[str, str], sep: str = "\t",
             header: tuple[str, ...] = STANDARD_COLUMNS) -> str:
    rows = [sep.join(header)] + [sep.join(line[name] for name in header) for line in lines]
    return "\r\n".join(rows) + "\r\n"


def read(write, *lines: dict[str, str], sep: str = "\t", encoding: str = "utf-8", **options):
    return read_fec(write("fec.txt", fec_text(*lines, sep=sep), encoding), **options)


def opens(book) -> dict[str, tuple[int, int]]:
    return {i.number: (i.amount_minor, i.open_minor) for i in book.invoices}


@pytest.mark.parametrize("sep", ["\t", "|"])
def test_invoices_and_debtors_with_either_separator(write, sep: str) -> None:
    book = read(
        write,
        entry(),
        entry(CompteNum="706000", CompAuxNum="", CompAuxLib="", Debit="0,00", Credit="83,33"),
        entry(CompteNum="445710", CompAuxNum="", CompAuxLib="", Debit="0,00", Credit="16,67"),
        entry(CompAuxNum="C2", CompAuxLib="Émilie Rousseau", PieceRef="FA2", PieceDate="20260201",
              Debit="50,5"),
        sep=sep,
    )
    assert book.format == "fec" and book.source == "fec.txt" and book.lines_read == 4
    assert [(d.number, d.name, d.kind, d.line) for d in book.debtors] == [
        ("C1", "Boulangerie Lefèvre", DebtorKind.COMPANY, 2),
        ("C2", "Émilie Rousseau", DebtorKind.COMPANY, 5)]
    first, second = book.invoices
    assert (first.debtor_number, first.number, first.issue_date, first.due_date) == (
        "C1", "FA1", date(2026, 1, 10), date(2026, 2, 9))
    assert (first.amount_minor, first.open_minor, first.currency, first.line) == (
        10000, 10000, "EUR", 2)
    assert (second.amount_minor, second.due_date) == (5050, date(2026, 3, 3))
    assert book.skipped == {"not a receivable line": 2}


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("cp1252", "Cœur & Bœuf – Müller Œuvres 5 €"),  # œ, – and € are in 0x80-0x9F
        ("iso-8859-15", "Crème Brûlée Œuvres 5 € Šárka"),  # œ is 0xBD, € 0xA4 here
        ("utf-8", "Łódź Ørsted 東京"),
    ],
)
def test_encodings_decode_names(write, encoding: str, name: str) -> None:
    book = read(write, entry(CompAuxLib=name), encoding=encoding)
    assert book.debtors[0].name == name


@pytest.mark.parametrize(
    ("debit", "credit", "minor"),
    [
        ("  1234,50", "", 123450),
        ("000001234,50", "000000000,00", 123450),
        ("1234.5", "0", 123450),
        ("+1234,50", "", 123450),
        ("1 234,50", "", 123450),
        ("1.234,50", "", 123450),
        ("1234", "", 123400),
        ("", "-12,00", 1200),  # a negative credit is a debit
        ("1234,50  ", "", 123450),
    ],
)
def test_padded_and_signed_amounts(write, debit: str, credit: str, minor: int) -> None:
    book = read(write, entry(Debit=debit, Credit=credit))
    assert opens(book) == {"FA1": (minor, minor)}


def test_negative_debit_is_a_credit_and_zero_lines_are_counted(write) -> None:
    book = read(write, entry(Debit="300,00"), entry(Debit="-100,00", PieceRef="FA1"),
                entry(Debit="0,00", PieceRef="FA9"), entry(Debit="5,00", Credit="5,00"))
    assert opens(book) == {"FA1": (30000, 20000)}
    assert book.skipped == {"zero amount": 2}


def test_invoice_key_is_piece_ref_or_entry_number(write) -> None:
    book = read(write, entry(PieceRef="-", EcritureNum="VT7"), entry(PieceRef=" ", EcritureNum="8"),
                entry(PieceRef=" FA9 "))
    assert [i.number for i in book.invoices] == ["VT7", "8", "FA9"]


def test_debit_lines_with_one_key_are_summed(write) -> None:
    book = read(write, entry(Debit="100,00", PieceDate="20260112"),
                entry(Debit="20,00", PieceDate="20260110", EcritureLet="AA"),
                entry(CompAuxNum="C2", Debit="7,00"))
    assert [(i.debtor_number, i.number, i.amount_minor, i.open_minor, i.issue_date, i.line)
            for i in book.invoices] == [
        ("C1", "FA1", 12000, 10000, date(2026, 1, 10), 2),  # earliest date, first line
        ("C2", "FA1", 700, 700, date(2026, 1, 10), 4),  # keys are per customer
    ]


def test_lettered_lines_are_settled(write) -> None:
    book = read(write, entry(EcritureLet="AB", DateLet="20260201"),
                credit("100,00", EcritureLet="AB", DateLet="20260201", PieceRef="FA1"))
    assert opens(book) == {"FA1": (10000, 0)}
    assert book.skipped == {"lettered credit": 1}


def test_credit_with_the_invoice_key_pays_that_invoice(write) -> None:
    book = read(write, entry(PieceRef="OLD", PieceDate="20250101"), entry(PieceRef="FA2"),
                credit("30,00", PieceRef="FA2"))
    assert opens(book) == {"OLD": (10000, 10000), "FA2": (10000, 7000)}


def test_credit_on_account_pays_oldest_first(write) -> None:
    book = read(
        write,
        entry(PieceRef="FA3", PieceDate="20260301"),
        entry(PieceRef="FA2", PieceDate="20260201"),
        entry(PieceRef="FA1B", PieceDate="20260101"),
        entry(PieceRef="FA1A", PieceDate="20260101"),
        entry(PieceRef="OTHER", CompAuxNum="C2", PieceDate="20250101"),
        credit("250,00", PieceRef="VIR9"),
    )
    assert opens(book) == {"FA3": (10000, 10000), "FA2": (10000, 5000), "FA1B": (10000, 0),
                           "FA1A": (10000, 0), "OTHER": (10000, 10000)}


def test_credit_before_its_invoice_in_the_file(write) -> None:
    book = read(write, credit("40,00", PieceRef="FA1", EcritureDate="20260105"),
                credit("10,00", PieceRef="ACOMPTE"), entry())
    assert opens(book) == {"FA1": (10000, 5000)}


def test_matched_credits_go_before_credits_on_account(write) -> None:
    book = read(write, entry(PieceRef="FA1", PieceDate="20260101"),
                entry(PieceRef="FA2", PieceDate="20260201"),
                credit("100,00", PieceRef="VIR1"), credit("100,00", PieceRef="FA1"))
    assert opens(book) == {"FA1": (10000, 0), "FA2": (10000, 0)}


def test_overpayment_and_credit_with_nothing_open(write) -> None:
    book = read(write, entry(), entry(PieceRef="FA2", PieceDate="20260201"),
                credit("150,00", PieceRef="FA1"), credit("80,00", PieceRef="VIR2"),
                credit("5,00", CompAuxNum="C9", CompAuxLib="Prépaiement"))
    assert opens(book) == {"FA1": (10000, 0), "FA2": (10000, 0)}
    assert book.skipped == {"unallocated credit": 2}
    assert [d.number for d in book.debtors] == ["C1", "C9"]


def test_receivable_prefix_and_lines_without_customer(write) -> None:
    book = read(write, entry(CompteNum="  411100"), entry(CompAuxNum=""),
                entry(CompteNum="41", PieceRef="X"), entry(CompteNum="416000", PieceRef="DOUBT"))
    assert opens(book) == {"FA1": (10000, 10000)}
    assert book.skipped == {"receivable without CompAuxNum": 1, "not a receivable line": 2}
    book = read(write, entry(CompteNum="416000"), receivable_prefix="41")
    assert opens(book) == {"FA1": (10000, 10000)}


def test_entry_date_when_piece_date_is_empty_and_term_option(write) -> None:
    book = read(write, entry(PieceDate="", EcritureDate="2026-01-31"), default_term_days=60)
    (invoice,) = book.invoices
    assert (invoice.issue_date, invoice.due_date) == (date(2026, 1, 31), date(2026, 4, 1))


def test_montant_and_sens_variant(write) -> None:
    header = tuple(n for n in STANDARD_COLUMNS if n not in ("Debit", "Credit")) + (
        "Montant", "Sens")
    lines = [entry(Montant="100,00", Sens="D"), entry(Montant="30,00", Sens="C"),
             entry(Montant="20,00", Sens="+1", PieceRef="FA2"),
             entry(Montant="5,00", Sens="-1", PieceRef="FA2")]
    book = read_fec(write("fec.txt", fec_text(*lines, header=header)))
    assert opens(book) == {"FA1": (10000, 7000), "FA2": (2000, 1500)}
    bad = fec_text(entry(Montant="1,00", Sens="X"), header=header)
    with pytest.raises(BookImportError, match=r'^fec\.txt:2: Sens "X" is not D, C, \+1 or -1$'):
        read_fec(write("fec.txt", bad))


def test_header_is_case_insensitive_with_extra_columns_and_trailing_separators(write) -> None:
    header = tuple(name.upper() for name in STANDARD_COLUMNS) + ("DateRglt", "")
    line = entry()
    text = "\t".join(header) + "\n" + "\t".join([*map(line.get, STANDARD_COLUMNS), "", ""]) + "\n"
    assert opens(read_fec(write("fec.txt", text))) == {"FA1": (10000, 10000)}


def test_other_currency(write) -> None:
    book = read(write, entry(Debit="1500"), currency="jpy")
    assert [(i.amount_minor, i.currency) for i in book.invoices] == [(1500, "JPY")]


def refused(write, content: str | bytes) -> str:
    with pytest.raises(BookImportError) as caught:
        read_fec(write("fec.txt", content))
    return str(caught.value)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ((entry(PieceDate="20260230"),),
         'fec.txt:2: PieceDate "20260230" is not a date (YYYYMMDD)'),
        ((entry(), entry(PieceDate="", EcritureDate="10/13/2026")),
         'fec.txt:3: EcritureDate "10/13/2026" is not a date (YYYYMMDD)'),
        ((entry(PieceDate="", EcritureDate=""),),
         "fec.txt:2: PieceDate is empty, and so is EcritureDate"),
        ((entry(Debit="12,3,4"),), 'fec.txt:2: Debit "12,3,4" is not a number'),
        ((entry(Credit="abc"),), 'fec.txt:2: Credit "abc" is not a number'),
        ((entry(Debit="1_000,00"),), 'fec.txt:2: Debit "1_000,00" is not a number'),
        ((entry(Debit="12,3456"),), 'fec.txt:2: Debit "12,3456" has more than 2 decimals'),
        ((entry(Debit=" 1.000"),), 'fec.txt:2: Debit "1.000" is ambiguous: a thousands '
         "separator or decimals? Write 1000 or 1 000,00"),
        ((entry(PieceRef="-", EcritureNum=""),),
         "fec.txt:2: EcritureNum is empty, and so is PieceRef"),
    ],
)
def test_bad_lines(write, lines, message: str) -> None:
    assert refused(write, fec_text(*lines)) == message


def test_wrong_field_count(write) -> None:
    text = fec_text(entry(), entry()).replace("\tVT1\t", "\tVT1\textra\t", 2)
    assert refused(write, text) == "fec.txt:2: has 19 fields, the header has 18"
    text = fec_text(entry(), entry(CompteNum="706000"))
    text = text[: text.rindex("\t")] + "\r\n"
    assert refused(write, text) == "fec.txt:3: has 17 fields, the header has 18"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (fec_text(entry(), header=tuple(n for n in STANDARD_COLUMNS if n != "CompAuxNum")),
         'fec.txt:1: column "CompAuxNum" is missing'),
        (fec_text(entry(), header=tuple(n for n in STANDARD_COLUMNS if n not in (
            "Debit", "Credit", "PieceRef"))),
         'fec.txt:1: columns "PieceRef", "Debit", "Credit" are missing'),
        (";".join(STANDARD_COLUMNS) + "\n",
         'fec.txt:1: header "JournalCode;JournalLib;EcritureNum;EcritureDate;CompteNum;CompteLib;'
         "CompAuxNu...\" is not separated by tabs or '|' (is this a FEC?)"),
        (fec_text(), "fec.txt: has a header but no data lines"),
        (fec_text() + "\r\n\t\r\n", "fec.txt: has a header but no data lines"),
        (b"", "fec.txt: file is empty"),
        (fec_text(entry()).encode("utf-16"),
         "fec.txt: is not text in UTF-8, ISO-8859-15 or cp1252 (looks like UTF-16)"),
    ],
)
def test_bad_files(write, content: str | bytes, message: str) -> None:
    assert refused(write, content) == message


def test_bad_options(write) -> None:
    path = write("fec.txt", fec_text(entry()))
    with pytest.raises(BookImportError, match='currency "EURO" is not an ISO 4217'):
        read_fec(path, currency="EURO")
    with pytest.raises(ValueError, match="default_term_days"):
        read_fec(path, default_term_days=-1)
