from __future__ import annotations

from datetime import date

import pytest

from recotui.domain.book import BookImportError, ContactPoint, DebtorKind
from recotui.importers.csv_book import CSV_COLUMNS, CSV_TEMPLATE, read_csv_book

HEADER = "debtor_number;debtor_name;invoice_number;issue_date;due_date;amount;open_amount"


def book_with(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def refused(write, content: str | bytes, name: str = "book.csv") -> str:
    with pytest.raises(BookImportError) as caught:
        read_csv_book(write(name, content))
    return str(caught.value)


def test_semicolon_iso_dates_decimal_comma(write) -> None:
    path = write("book.csv", book_with(
        "C1;Boulangerie Lefèvre;F-1;2026-01-15;2026-02-14;1 234,50;234,50",
        "C1;;F-2;2026-01-20;2026-02-19;10,00;",
        "C2;Émilie Rousseau;F-3;2026-01-21;2026-02-20;99,9;0",
    ))
    book = read_csv_book(path)
    assert book.format == "csv" and book.source == str(path) and book.lines_read == 3
    assert [(d.number, d.name, d.line) for d in book.debtors] == [
        ("C1", "Boulangerie Lefèvre", 2), ("C2", "Émilie Rousseau", 4)]
    first, second, third = book.invoices
    assert (first.debtor_number, first.number, first.issue_date, first.due_date) == (
        "C1", "F-1", date(2026, 1, 15), date(2026, 2, 14))
    assert (first.amount_minor, first.open_minor, first.currency, first.line) == (
        123450, 23450, "EUR", 2)
    assert (second.amount_minor, second.open_minor) == (1000, 1000)  # open defaults to amount
    assert (third.amount_minor, third.open_minor) == (9990, 0)


def test_comma_separator_french_dates_decimal_point_quoted_fields(write) -> None:
    header = HEADER.replace(";", ",")
    path = write("book.csv", book_with(
        'C1,"Dupont, Durand & Cie",F-1,15/01/2026,14/02/2026,"1,234.50",1234.5',
        "C2,Rousseau,F-2,01/03/2026,31/03/2026,12.5,0.5",
        header=header,
    ))
    book = read_csv_book(path)
    assert book.debtors[0].name == "Dupont, Durand & Cie"
    assert [(i.issue_date, i.due_date, i.amount_minor, i.open_minor) for i in book.invoices] == [
        (date(2026, 1, 15), date(2026, 2, 14), 123450, 123450),
        (date(2026, 3, 1), date(2026, 3, 31), 1250, 50),
    ]


def test_tab_separator_case_insensitive_header_in_any_order(write) -> None:
    header = "Amount\tDue_Date\tIssue Date\tINVOICE_NUMBER\tdebtor_name\tdebtor_number"
    path = write("book.tsv", f"{header}\n10,00\t2026-02-01\t2026-01-01\tF-1\tMüller\tC1\n")
    (invoice,) = read_csv_book(path).invoices
    assert (invoice.number, invoice.amount_minor, invoice.due_date) == (
        "F-1", 1000, date(2026, 2, 1))


def test_debtor_details_contacts_and_defaults(write) -> None:
    header = (HEADER + ";debtor_kind;legal_id;phones;emails;address;postcode;city;country;"
              "language;timezone;do_not_call;currency")
    path = write("book.csv", book_with(
        "C1;Lefèvre SARL;F-1;2026-01-01;2026-01-31;10;;entreprise;732 829 320 00074;"
        "office=+33 1 23 45 67 89|+33 6 12 34 56 78;compta@lefevre.fr|boss=p.dupre@lefevre.fr;"
        "1 rue de la Paix;75002;Paris;fr;EN;America/Montreal;oui;usd",
        "C2;Rousseau;F-2;2026-01-01;2026-01-31;10;;Particulier;;;;;;;;;;Non;",
        header=header,
    ))
    book = read_csv_book(path)
    first, second = book.debtors
    assert first.kind is DebtorKind.COMPANY and first.legal_id == "73282932000074"
    assert first.contacts == (
        ContactPoint("phone", "office", "+33 1 23 45 67 89"),
        ContactPoint("phone", "main", "+33 6 12 34 56 78"),
        ContactPoint("email", "main", "compta@lefevre.fr"),
        ContactPoint("email", "boss", "p.dupre@lefevre.fr"),
    )
    assert (first.address, first.postcode, first.city, first.country) == (
        "1 rue de la Paix", "75002", "Paris", "FR")
    assert (first.language, first.timezone, first.do_not_call) == ("en", "America/Montreal", True)
    assert book.invoices[0].currency == "USD"
    assert second.kind is DebtorKind.CONSUMER and second.contacts == ()
    assert (second.country, second.language, second.timezone, second.do_not_call) == (
        "FR", "fr", "Europe/Paris", False)
    assert book.invoices[1].currency == "EUR"


def test_default_currency_and_zero_decimal_currency(write) -> None:
    path = write("book.csv", book_with("C1;A;F-1;2026-01-01;2026-01-31;1 500;"))
    assert read_csv_book(path, default_currency="jpy").invoices[0].amount_minor == 1500
    path = write("book.csv", book_with("C1;A;F-1;2026-01-01;2026-01-31;1,500;"))
    with pytest.raises(BookImportError, match='amount "1,500" is ambiguous'):
        read_csv_book(path, default_currency="JPY")
    assert read_csv_book(path, default_currency="BHD").invoices[0].amount_minor == 1500
    with pytest.raises(BookImportError, match='default currency "EURO" is not an ISO 4217'):
        read_csv_book(path, default_currency="EURO")


def test_blank_lines_and_duplicate_rows_are_skipped(write) -> None:
    row = "C1;A;F-1;2026-01-01;2026-01-31;10,00;5"
    path = write("book.csv", f"\n{HEADER}\r\n\r\n{row}\r\n;;;;;;\r\n{row}\r\n   \r\n")
    book = read_csv_book(path)
    assert len(book.invoices) == 1 and book.skipped == {"duplicate row": 1}


def test_latin_encodings(write) -> None:
    text = book_with("C1;Cœur Lefèvre;F-1;2026-01-01;2026-01-31;10;")
    for encoding in ("cp1252", "iso-8859-15", "utf-8-sig"):
        book = read_csv_book(write("book.csv", text, encoding))
        assert book.debtors[0].name == "Cœur Lefèvre"


def test_template_reads_back_and_documents_every_column(write) -> None:
    book = read_csv_book(write("template.csv", CSV_TEMPLATE))
    assert len(book.invoices) == 2 and book.debtors[1].kind is DebtorKind.CONSUMER
    assert CSV_TEMPLATE.splitlines()[0].split(";") == [c.name for c in CSV_COLUMNS]
    assert {c.name for c in CSV_COLUMNS if c.required} == {
        "debtor_number", "debtor_name", "invoice_number", "issue_date", "due_date", "amount"}
    assert all(len(column) == 3 and column.meaning for column in CSV_COLUMNS)


GOOD = "C1;A;F-1;2026-01-01;2026-01-31;10,00;"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((GOOD, "C1;A;F-2;2026-01-01;2026-01-31"), "book.csv:3: has 5 fields, the header has 7"),
        (("C1;A;F-1;2026-01-01;31/02/2026;10;",),
         'book.csv:2: due date "31/02/2026" is not a date'),
        (("C1;A;F-1;;2026-01-31;10;",), "book.csv:2: issue date is empty"),
        (("C1;A;F-1;2026-02-01;2026-01-31;10;",),
         'book.csv:2: due date "2026-01-31" is before the issue date "2026-02-01"'),
        (("C1;A;F-1;2026-01-01;2026-01-31;12,3,4;",),
         'book.csv:2: amount "12,3,4" is not a number'),
        (("C1;A;F-1;2026-01-01;2026-01-31;abc;",), 'book.csv:2: amount "abc" is not a number'),
        (("C1;A;F-1;2026-01-01;2026-01-31;12.345;",),
         'book.csv:2: amount "12.345" is ambiguous: a thousands separator or decimals? '
         "Write 1000 or 1 000,00"),
        (("C1;A;F-1;2026-01-01;2026-01-31;1234.567;",),
         'book.csv:2: amount "1234.567" has more than 2 decimals'),
        (("C1;A;F-1;2026-01-01;2026-01-31;1.000;",),
         'book.csv:2: amount "1.000" is ambiguous: a thousands separator or decimals? '
         "Write 1000 or 1 000,00"),
        (("C1;A;F-1;2026-01-01;2026-01-31;-12,00;",),
         'book.csv:2: amount "-12,00" must not be negative'),
        (("C1;A;F-1;2026-01-01;2026-01-31;0,00;",),
         'book.csv:2: amount "0,00" must be more than zero'),
        (("C1;A;F-1;2026-01-01;2026-01-31;10;-1",),
         'book.csv:2: open amount "-1" must not be negative'),
        (("C1;A;F-1;2026-01-01;2026-01-31;10;10,01",),
         'book.csv:2: open amount "10,01" is more than the amount "10"'),
        ((GOOD, "C1;A;F-1;2026-01-01;2026-01-31;10,01;"),
         'book.csv:3: invoice number "F-1" is already on line 2 with a different amount'),
        ((GOOD, "C2;B;F-1;2026-01-01;2026-01-31;10,00;"),
         'book.csv:3: invoice number "F-1" is already on line 2 with a different debtor'),
        ((GOOD, "C1;A;F-1;2026-01-02;2026-01-31;10,00;"),
         'book.csv:3: invoice number "F-1" is already on line 2 with a different issue date'),
        ((GOOD, "C1;Other;F-2;2026-01-01;2026-01-31;10,00;"),
         'book.csv:3: debtor name "Other" differs from "A" on line 2 for debtor "C1"'),
        ((";A;F-1;2026-01-01;2026-01-31;10;",), "book.csv:2: debtor number is empty"),
        (("C1;;F-1;2026-01-01;2026-01-31;10;",), "book.csv:2: debtor name is empty"),
        (("C1;A;F-1;2026-01-01;2026-01-31;10;", 'C1;A;"F-2;2026-01-01;2026-01-31;10;'),
         "book.csv:3: has 3 fields, the header has 7"),  # the open quote runs to the end
    ],
)
def test_bad_rows_name_file_line_field_and_reason(write, rows, message) -> None:
    assert refused(write, book_with(*rows)) == message


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("legal_id", "732 829 321",
         'legal id "732 829 321" is not a valid SIREN (bad check digit)'),
        ("legal_id", "73282932000075",
         'legal id "73282932000075" is not a valid SIRET (bad check digit)'),
        ("legal_id", "1234", 'legal id "1234" is not a SIREN (9 digits) or a SIRET (14 digits)'),
        ("debtor_kind", "ltd", 'debtor kind "ltd" is not one of company, entreprise, consumer, '
         "particulier"),
        ("currency", "EURO", 'currency "EURO" is not an ISO 4217 currency code'),
        ("currency", "ABC", 'currency "ABC" is not an ISO 4217 currency code'),
        ("country", "XX", 'country "XX" is not an ISO 3166 two-letter country code'),
        ("language", "de", 'language "de" is not one of fr, en'),
        ("timezone", "Europe/Lutece", 'timezone "Europe/Lutece" is not an IANA time zone name'),
        ("do_not_call", "maybe", 'do not call "maybe" is not one of yes, true, 1, oui, no, '
         "false, 0, non"),
        ("phones", "mobile=06 12", 'phones "mobile=06 12" is not a phone number (fewer than 6 '
         "digits)"),
        ("phones", "mobile=", 'phones "mobile=" has a label but no value'),
        ("emails", "compta=lefevre.fr", 'emails "compta=lefevre.fr" is not an email address '
         '(needs one "@" with text on both sides)'),
        ("emails", "a@b@c", 'emails "a@b@c" is not an email address (needs one "@" with text '
         "on both sides)"),
        ("emails", "@lefevre.fr", 'emails "@lefevre.fr" is not an email address (needs one "@" '
         "with text on both sides)"),
    ],
)
def test_bad_debtor_details(write, column: str, value: str, message: str) -> None:
    content = book_with(f"C1;A;F-1;2026-01-01;2026-01-31;10;;{value}", header=f"{HEADER};{column}")
    assert refused(write, content) == f"book.csv:2: {message}"


def test_bad_details_on_a_later_row_are_refused_too(write) -> None:
    content = book_with(GOOD + ";", "C1;A;F-2;2026-01-01;2026-01-31;10;;123",
                        header=f"{HEADER};legal_id")
    assert refused(write, content).startswith('book.csv:3: legal id "123"')


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a;b\n".encode("utf-16"),
         "book.csv: is not text in UTF-8, ISO-8859-15 or cp1252 (looks like UTF-16)"),
        (b"", "book.csv: file is empty"),
        (b"\n\n", "book.csv: file is empty"),
        (f"{HEADER}\n".encode(), "book.csv: has a header but no data lines"),
        (f"{HEADER}\n;;;;;;\n\n".encode(), "book.csv: has a header but no data lines"),
        (book_with(GOOD, header=HEADER + ";colour;Size"),
         'book.csv:1: columns "colour", "size" are unknown (known: debtor_number, debtor_name, '
         "debtor_kind, legal_id, invoice_number, issue_date, due_date, amount, open_amount, "
         "currency, phones, emails, address, postcode, city, country, language, timezone, "
         "do_not_call)"),
        (book_with(GOOD, header=HEADER.replace("due_date", "due")).encode(),
         'book.csv:1: column "due" is unknown (known: debtor_number, debtor_name, debtor_kind, '
         "legal_id, invoice_number, issue_date, due_date, amount, open_amount, currency, phones, "
         "emails, address, postcode, city, country, language, timezone, do_not_call)"),
        (book_with(GOOD, header=HEADER.replace(";open_amount", "")),
         "book.csv:2: has 7 fields, the header has 6"),
        (book_with("C1;A;F-1;2026-01-01;10", header=HEADER.replace(";due_date", "").replace(
            ";open_amount", "")), 'book.csv:1: required column "due_date" is missing'),
        (book_with(GOOD, header=HEADER.replace("open_amount", "amount")),
         'book.csv:1: column "amount" appears twice'),
        (book_with(GOOD + ";", header=HEADER + ";"), "book.csv:1: column 8 has no name"),
        ("just some words\nand more\n", 'book.csv:1: header "just some words" has no \';\', \',\' '
         "or tab between column names"),
    ],
)
def test_bad_files(write, content: str | bytes, message: str) -> None:
    assert refused(write, content) == message


def test_error_carries_its_parts(write) -> None:
    with pytest.raises(BookImportError) as caught:
        read_csv_book(write("book.csv", book_with("C1;A;F-1;2026-01-01;31/02/2026;10;")))
    error = caught.value
    assert (error.line, error.field_name, error.reason) == (
        2, "due_date", 'due date "31/02/2026" is not a date')


def test_line_numbers_count_physical_lines_inside_quoted_fields(write) -> None:
    content = book_with('C1;"Lefèvre\net Fils";F-1;2026-01-01;2026-01-31;10;', "",
                        "C2;B;F-2;2026-01-01;2026-01-31;x;")
    assert refused(write, content) == 'book.csv:5: amount "x" is not a number'
