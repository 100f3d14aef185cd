import csv
from datetime import date, timedelta

from sqlmodel import Session, col, select

from recotui import cli
from recotui.letters.dossier import build_dossier
from recotui.letters.oneoff import send
from recotui.letters.run import run_ladder
from recotui.store import actions
from recotui.store.case_state import break_overdue_promises
from recotui.store.tables import CollectionCase, Outbox
from tests.letters.conftest import AS_OF, NOW, case_of


def test_the_litigation_file_is_complete_and_moves_the_case(ladder_store, settings):
    c1 = case_of(ladder_store, "C001")
    run_ladder(ladder_store, settings, AS_OF, now=NOW)
    later = AS_OF + timedelta(days=30)
    send(ladder_store, settings, c1, "mise_en_demeure", later, now=NOW + timedelta(days=30),
         tracking_number="1A23456789012")
    actions.record_promise(ladder_store, c1, None, amount_minor=50_000,
                           due_date=later + timedelta(days=3), today=later,
                           now=NOW + timedelta(days=30))
    with ladder_store.transaction() as s:
        break_overdue_promises(s, NOW + timedelta(days=40))
    d = build_dossier(ladder_store, settings, c1, later + timedelta(days=10),
                      now=NOW + timedelta(days=40))
    names = {p.relative_to(d.folder).as_posix() for p in d.files}
    assert {"summary.pdf", "summary.txt", "statement.csv", "letters.csv", "timeline.csv",
            "promises.csv"} <= names
    assert len([n for n in names if n.startswith("letters/")]) == 2  # both PDFs copied
    summary = (d.folder / "summary.txt").read_text(encoding="utf-8")
    assert "DOSSIER CONTENTIEUX" in summary and "AR n° 1A23456789012" in summary
    assert "Promesses non tenues : 1" in summary
    letters = list(csv.DictReader((d.folder / "letters.csv").open(encoding="utf-8")))
    assert [r["stage"] for r in letters] == ["relance_1", "mise_en_demeure"]
    assert letters[1]["tracking_number"] == "1A23456789012"
    statement = list(csv.DictReader((d.folder / "statement.csv").open(encoding="utf-8")))
    assert statement[-1]["balance"] == "11500.00"  # 12,500 invoiced, 1,000 paid
    assert [r["type"] for r in statement] == ["invoice", "invoice", "payment"]
    promises = list(csv.DictReader((d.folder / "promises.csv").open(encoding="utf-8")))
    assert [r["status"] for r in promises] == ["broken"]
    timeline = list(csv.DictReader((d.folder / "timeline.csv").open(encoding="utf-8")))
    assert {"payment", "letter", "stage", "promise"} <= {r["kind"] for r in timeline}
    assert d.moved
    with Session(ladder_store.engine) as s:
        assert s.get(CollectionCase, c1).stage == "contentieux"
        last = s.exec(select(Outbox).order_by(col(Outbox.mutation_id).desc())).first()
        assert last.name == "case.stage" and last.args["payload"]["to"] == "contentieux"
    # at contentieux, the ladder has nothing more to send
    report = run_ladder(ladder_store, settings, later + timedelta(days=60), now=NOW)
    assert "C001" not in {x.debtor_number for x in report.done}


def test_cli_ladder_run_letter_and_dossier(ladder_store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RECOTUI_CONFIG", str(tmp_path / "none.toml"))
    db = str(ladder_store.engine.url.database)
    out = str(tmp_path / "out")
    assert cli.main(["ladder", "run", "--db", db, "--as-of", "2026-03-02", "--out", out,
                     "--dry-run"]) == 0
    assert "4 due for a step" in capsys.readouterr().out
    assert cli.main(["ladder", "run", "--db", db, "--as-of", "2026-03-02", "--out", out]) == 0
    text = capsys.readouterr().out
    assert "relance_1 by letter: 3" in text and "held (dispute): 1" in text
    assert cli.main(["ladder", "run", "--db", db, "--as-of", "2026-03-02", "--out", out]) == 0
    assert "0 due for a step" in capsys.readouterr().out
    assert cli.main(["letter", "C002", "--db", db, "--out", out, "--as-of", "2026-03-20",
                     "--stage", "mise_en_demeure", "--tracking", "RR1"]) == 0
    printed = capsys.readouterr().out
    assert "mise_en_demeure-C002-EUR-20260320" in printed
    assert cli.main(["letter", "C999", "--db", db]) == 1
    assert "no case 'C999'" in capsys.readouterr().err
    assert cli.main(["dossier", "C002", "--db", db, "--out", out,
                     "--as-of", str(date(2026, 4, 1))]) == 0
    assert "moved to contentieux" in capsys.readouterr().out
