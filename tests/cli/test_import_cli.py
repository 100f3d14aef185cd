import json
import sqlite3

from recotui import __version__
from recotui.cli import main

GOOD = """debtor_number;debtor_name;invoice_number;issue_date;due_date;amount;open_amount
C1;Dupont SARL;F1;2026-01-01;2026-01-31;1 000,00;1 000,00
C1;Dupont SARL;F2;2026-06-01;2026-07-01;250,50;100,00
C2;Martin SAS;F3;2026-11-01;2026-12-01;99,99;99,99
"""


def rows(db, table):
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exit_:
        assert exit_.code == 0
    assert __version__ in capsys.readouterr().out


def test_template_is_importable(tmp_path, capsys):
    assert main(["import", "--template", "csv"]) == 0
    template = tmp_path / "template.csv"
    template.write_text(capsys.readouterr().out, encoding="utf-8")
    db = tmp_path / "book.sqlite3"
    assert main(["import", str(template), "--db", str(db)]) == 0
    assert rows(db, "invoice") == 2


def test_import_prints_a_summary_and_is_idempotent(tmp_path, capsys):
    book = tmp_path / "book.csv"
    book.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "book.sqlite3"
    assert main(["import", str(book), "--db", str(db), "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "debtors:  2 (2 new)" in out and "invoices: 3 (3 new, 0 updated)" in out
    assert "1\u202f199,99\xa0€" in out  # 1 000,00 + 100,00 + 99,99 open
    assert "skipped lines: 0" in out
    assert main(["import", str(book), "--db", str(db)]) == 0
    assert "3 (0 new, 0 updated)" in capsys.readouterr().out
    assert rows(db, "invoice") == 3 and rows(db, "collection_case") == 2


def test_a_later_export_closes_the_invoice_it_paid(tmp_path, capsys):
    db = tmp_path / "book.sqlite3"
    first, later = tmp_path / "jan.csv", tmp_path / "feb.csv"
    first.write_text(GOOD, encoding="utf-8")
    later.write_text(GOOD.replace("1 000,00\n", "0\n"), encoding="utf-8")
    main(["import", str(first), "--db", str(db)])
    assert main(["import", str(later), "--db", str(db)]) == 0
    assert "payments recorded: 1" in capsys.readouterr().out
    con = sqlite3.connect(db)
    assert con.execute("SELECT status, open_minor FROM invoice WHERE number='F1'").fetchone() == (
        "paid", 0)
    assert con.execute("SELECT amount_minor, method FROM payment").fetchall() == [
        (100_000, "ledger")]
    main(["import", str(later), "--db", str(db)])  # again: no second payment
    assert con.execute("SELECT COUNT(*) FROM payment").fetchone() == (1,)


def test_a_bad_file_is_refused_whole(tmp_path, capsys):
    book = tmp_path / "book.csv"
    book.write_text(GOOD + "C3;Petit SA;F4;2026-01-01;31/02/2026;10,00;10,00\n", encoding="utf-8")
    db = tmp_path / "book.sqlite3"
    assert main(["import", str(book), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert f'{book}:5: due date "31/02/2026" is not a date' in err
    assert "nothing was imported" in err
    assert not db.exists() or rows(db, "invoice") == 0


def test_missing_file(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "b.sqlite3")]) == 1
    assert "nope.csv" in capsys.readouterr().err


def test_aging_report_json(tmp_path, capsys):
    book = tmp_path / "book.csv"
    book.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "book.sqlite3"
    main(["import", str(book), "--db", str(db)])
    capsys.readouterr()
    assert main(["report", "aging", "--as-of", "2026-11-23", "--db", str(db),
                 "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # F1 due 2026-01-31: 296 days → 181+; F2 due 2026-07-01: 145 days → 91-180;
    # F3 due 2026-12-01: not due.
    assert report == {"as_of": "2026-11-23", "totals": [{"currency": "EUR", "buckets": {
        "not_due": "99.99", "1-30": "0.00", "31-60": "0.00", "61-90": "0.00",
        "91-180": "100.00", "181+": "1000.00"}, "total": "1199.99"}]}
    assert main(["report", "aging", "--as-of", "2026-11-23", "--db", str(db),
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "EUR,99.99,0.00,0.00,0.00,100.00,1000.00,1199.99")


def test_report_on_a_missing_store(tmp_path, capsys):
    assert main(["report", "aging", "--db", str(tmp_path / "none.sqlite3")]) == 1
    assert "no store" in capsys.readouterr().err
