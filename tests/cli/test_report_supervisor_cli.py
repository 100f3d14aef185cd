"""`recotui report activity|agents|promises|dso` and aging by period or campaign, locally."""

from __future__ import annotations

import csv
import io
import json

import pytest

from recotui.cli import build_parser, main
from recotui.store.store import Store
from tests.store.supervisor_fixture import build


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "sup.sqlite3"
    store = Store.open(path)
    build(store)
    store.close()
    return path


def run(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_dso_json(db, capsys):
    out = json.loads(run(capsys, "report", "dso", "--db", str(db), "--to", "2026-03-10",
                         "--format", "json"))
    assert out["currencies"][0]["dso_days"] == 154.8


def test_promises_csv_for_a_campaign(db, capsys):
    out = run(capsys, "report", "promises", "--db", str(db), "--from", "2026-02-28",
              "--to", "2026-03-10", "--campaign", "Paris", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["made"], r["pending"], r["broken"], r["kept"]) for r in rows] == \
        [("2", "1", "1", "0")]  # A's promise (pending) and C's (broken); B is in Lyon


def test_activity_and_agents_tables(db, capsys):
    out = run(capsys, "report", "activity", "--db", str(db), "--from", "2026-03-04",
              "--to", "2026-03-10")
    assert out.splitlines()[0] == "Activity 2026-03-04 .. 2026-03-10"
    assert out.splitlines()[-1].split()[:4] == ["total", "4", "2", "2"]  # calls, talks, promises
    out = run(capsys, "report", "agents", "--db", str(db), "--to", "2026-03-10")
    assert [line.split()[0] for line in out.splitlines()[3:]] == ["Ann", "Bob"]


def test_aging_keeps_its_first_form_and_takes_a_campaign(db, capsys):
    plain = run(capsys, "report", "aging", "--db", str(db), "--as-of", "2026-03-10",
                "--format", "json")
    assert set(json.loads(plain)) == {"as_of", "totals"}
    paris = json.loads(run(capsys, "report", "aging", "--db", str(db), "--to", "2026-03-10",
                           "--campaign", "Paris", "--format", "json"))
    assert paris["totals"][0]["total"] == "1300.00"


def test_unknown_campaign_exits_2(db, capsys):
    assert main(["report", "agents", "--db", str(db), "--campaign", "Nope"]) == 2
    assert "no campaign named 'Nope'" in capsys.readouterr().err


def test_supervise_takes_db_or_server():
    args = build_parser().parse_args(["supervise", "--server", "http://x", "--token", "t"])
    assert (args.command, args.server, args.token) == ("supervise", "http://x", "t")
    args = build_parser().parse_args(["supervise", "--db", "/tmp/x.sqlite3"])
    assert args.db == "/tmp/x.sqlite3"
