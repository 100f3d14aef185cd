"""The supervisor's routes on a real uvicorn: an agent's token is refused on every one; the
console's figures with an ETag; the reports the same as from a local store."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from recotui.console_client import ConsoleError, RemoteConsole
from recotui.report_supervisor import REPORTS

SUPERVISOR_ROUTES = [
    ("/v1/reports/console", {}),
    ("/v1/reports/console/cases", {"what": "campaign", "key": ""}),
    *((f"/v1/reports/{name}", {"from": "2026-01-01", "to": "2026-01-31"}) for name in REPORTS),
    ("/v1/reports/aging", {"campaign": "x"}),
    ("/v1/audit", {}),
]


@pytest.mark.parametrize(("path", "params"), SUPERVISOR_ROUTES,
                         ids=[p + ("?" + "&".join(q) if q else "") for p, q in SUPERVISOR_ROUTES])
def test_an_agents_token_is_refused_on_every_supervisor_route(book, path, params):
    with book.client("ann") as ann:
        assert ann.get(path, params=params).status_code == 403
    with book.client("sue") as sue:
        answer = sue.get(path, params=params)
        assert answer.status_code in (200, 422), answer.text  # 422: no campaign "x"


def test_no_token_is_refused(book):
    import httpx

    assert httpx.get(f"{book.url}/v1/reports/console").status_code == 401


def test_console_figures_and_etag(book):
    now = datetime.now(UTC)
    console = RemoteConsole(book.url, book.tokens["sue"], {"EUR": 100_000})
    try:
        first = console.read(now)
        first_bytes = console.last_bytes
        again = console.read(now)  # nothing changed: 304, a few hundred bytes
        assert again == first
        assert console.last_bytes < first_bytes and console.last_bytes < 600
        [money] = first.money
        assert money.target == 100_000 and money.collected == 0
        assert {a.name for a in first.agents} == {"ann", "bob"}
        assert sum(c.open for c in first.campaigns) == 6
        [eur] = first.aging
        assert eur.total == sum(100_000 * n + 20_000 for n in range(1, 7))
        lines = console.cases("bucket", "61-90", now)
        assert sorted(line.number for line in lines) == ["C001", "C002", "C003", "C004",
                                                         "C005", "C006"]
    finally:
        console.close()
    agent = RemoteConsole(book.url, book.tokens["ann"], {})
    with pytest.raises(ConsoleError, match="403"):
        agent.read(now)
    agent.close()


def test_reports_from_the_server_match_the_local_ones(book):
    from datetime import date, timedelta

    from sqlmodel import Session

    from recotui.report_supervisor import build

    today = date.today()
    with book.client("sue") as sue:
        for name in REPORTS:
            params = {"from": str(today - timedelta(days=6)), "to": str(today)}
            remote = sue.get(f"/v1/reports/{name}", params=params)
            assert remote.status_code == 200, remote.text
            with Session(book.store.engine) as session:
                local = build(session, name, today - timedelta(days=6), today)
            assert json.loads(remote.text) == json.loads(json.dumps(local)), name


def test_report_command_against_the_server(book, capsys):
    from recotui.cli import main

    for name in ("agents", "dso", "aging"):
        assert main(["report", name, "--server", book.url, "--token", book.tokens["sue"],
                     "--to", "2026-01-31", "--format", "json"]) == 0
        remote = json.loads(capsys.readouterr().out)
        with book.client("sue") as sue:
            assert remote == sue.get(f"/v1/reports/{name}", params={"to": "2026-01-31"}).json()
    with pytest.raises(SystemExit, match="403"):
        main(["report", "dso", "--server", book.url, "--token", book.tokens["ann"]])


async def test_the_console_reads_the_server(book, tmp_path):
    from recotui.app import RecoApp
    from recotui.config import Settings
    from recotui.screens.supervisor import SupervisorScreen
    from recotui.widgets.live_table import LiveTable
    from tests.tui.conftest import settle

    app = RecoApp(Settings(db=tmp_path / "replica.sqlite3", language="en"), mode="supervisor",
                  remote=(book.url, book.tokens["sue"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SupervisorScreen)
        assert app.screen.last_bytes > 0
        header = str(app.screen.query_one("#supervise-header").render())
        assert "server · " in header
        await pilot.press("4")
        await settle(pilot)
        rows = app.screen.query_one("#table-agents", LiveTable).export()[1]
        assert [r[0] for r in rows] == ["ann", "bob"]
        await pilot.press("1", "enter")  # the first campaign row: cases in no campaign
        await settle(pilot)
        assert len(app.screen.query_one(LiveTable).keys) == 6


async def test_a_case_missing_from_the_replica_is_not_opened(book, tmp_path):
    from recotui.app import RecoApp
    from recotui.config import Settings
    from recotui.screens.console_cases import CasesScreen
    from tests.tui.conftest import settle

    app = RecoApp(Settings(db=tmp_path / "replica.sqlite3", language="en"), mode="supervisor",
                  remote=(book.url, book.tokens["sue"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)  # stayed: the replica is empty
        assert any("not in the local store" in str(n.message)
                   for n in app._notifications)
