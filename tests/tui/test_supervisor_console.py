"""The supervisor console: panels at 80x24 and 160x48, refresh in place, drill-down to the
cases and on to a case, CSV export, bulk reassign, and the way in from the agent app."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from recotui.app import RecoApp
from recotui.config import Settings
from recotui.screens.console_cases import CasesScreen
from recotui.screens.supervisor import SupervisorScreen
from recotui.store import actions
from recotui.store.store import Store
from recotui.store.tables import CollectionCase, Outbox
from recotui.widgets.console_panels import Panel
from recotui.widgets.live_table import LiveTable
from tests.store.supervisor_fixture import NOW, D, at, build
from tests.tui.conftest import ALWAYS_OPEN, settle
from tests.tui.test_case_screen import utc_local_time  # noqa: F401 - autouse


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "sup.sqlite3"
    store = Store.open(path)
    fixture = build(store)
    store.close()
    return path, fixture


def make_app(path, language: str = "en", mode: str = "supervisor", user: str = "sue"):
    settings = Settings(db=path, language=language, user=user, contact_policy=ALWAYS_OPEN,
                        daily_targets={"EUR": "1000"})
    return RecoApp(settings, clock=lambda: NOW, mode=mode)


def shown(app) -> list[str]:
    return [p.key for p in app.screen.query(Panel) if p.display]


def table(app, key: str) -> LiveTable:
    return app.screen.query_one(f"#table-{key}", LiveTable)


async def test_one_panel_at_80x24_and_keys_switch_it(db):
    app = make_app(db[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SupervisorScreen)
        assert shown(app) == ["campaigns"]
        assert [r[0] for r in table(app, "campaigns").export()[1]] == ["Lyon", "Paris"]
        for key, panel in (("2", "today"), ("3", "aging"), ("4", "agents"), ("tab", "campaigns"),
                           ("shift+tab", "agents")):
            await pilot.press(key)
            await settle(pilot)
            assert shown(app) == [panel]
            assert app.focused is table(app, panel)


async def test_every_panel_at_160x48(db):
    app = make_app(db[0])
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert shown(app) == ["campaigns", "today", "aging", "agents"]
        agents = table(app, "agents").export()[1]
        assert [row[0] for row in agents] == ["Ann", "Bob"]
        assert agents[0][3:7] == ["2", "2.0", "50%", "1"]  # cases, calls/h, RPC, promises


async def test_a_refresh_writes_only_the_changed_cells_and_keeps_the_cursor(db):
    path, fixture = db
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4", "down")
        agents = table(app, "agents")
        assert agents.current_key == fixture.users["bob"].hex
        app.screen.action_reload()
        await settle(pilot)
        assert agents.cells_written == 0  # nothing changed
        actions.log_call(app.store, fixture.cases["B"], fixture.users["bob"],
                         disposition="no_answer", duration_s=20, now=at(D, 14, 30))
        app.screen.action_reload()
        await settle(pilot)
        bob = agents.export()[1][1]
        assert bob[4] == "2.0" and bob[5] == "50%"  # 2 calls in the floored hour, 1 talked
        # calls/h, RPC, AHT, the sparkline and the time since the last action: 5 cells
        assert 0 < agents.cells_written <= 5
        assert agents.current_key == fixture.users["bob"].hex and agents.cursor_row == 1


async def test_drill_down_from_an_agent_to_a_case(db):
    from recotui.screens.case import CaseScreen

    app = make_app(db[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)
        assert sorted(r[1] for r in app.screen.table.export()[1]) == ["A", "C"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SupervisorScreen)


async def test_drill_down_from_an_aging_bucket(db):
    app = make_app(db[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3", "down", "down", "down", "down", "enter")  # 91-180
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)
        assert [r[1] for r in app.screen.table.export()[1]] == ["B"]


async def test_e_writes_the_focused_table_to_csv(db, tmp_path, monkeypatch):
    monkeypatch.setattr(RecoApp, "export_dir", property(lambda self: tmp_path / "out"))
    app = make_app(db[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3", "e")
        await settle(pilot)
    [written] = (tmp_path / "out").glob("recotui-aging-*.csv")
    rows = list(csv.reader(written.open(encoding="utf-8")))
    assert rows[0][:3] == ["Bucket", "Open amount", "%"]
    assert rows[5][:3] == ["91-180", "400.00", "21%"]


async def test_bulk_reassign_selected_cases(db):
    path, fixture = db
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Lyon's open cases: B
        await settle(pilot)
        await pilot.press("escape", "down", "enter")  # Paris: A and C
        await settle(pilot)
        assert sorted(r[1] for r in app.screen.table.export()[1]) == ["A", "C"]
        await pilot.press("space", "space", "a")
        await settle(pilot)
        await pilot.press("down", "enter")  # ann, bob: bob
        await settle(pilot)
    with Session(Store.open(path).engine) as session:
        owners = {session.get(CollectionCase, fixture.cases[n]).assigned_agent_id
                  for n in ("A", "C")}
        assert owners == {fixture.users["bob"]}
        # the fixture's three, and one more for each case reassigned
        assert session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.name == "case.assignment")) == 3 + 2


async def test_f9_opens_the_console_from_the_agent_queue(db):
    app = make_app(db[0], mode="agent", user="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SupervisorScreen)


def test_console_at_80x24(snap_compare, db):
    assert snap_compare(make_app(db[0], language="fr"), terminal_size=(80, 24),
                        run_before=settle)


def test_console_agents_at_80x24(snap_compare, db):
    async def agents(pilot):
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)

    assert snap_compare(make_app(db[0]), terminal_size=(80, 24), run_before=agents)


def test_console_at_160x48(snap_compare, db):
    assert snap_compare(make_app(db[0]), terminal_size=(160, 48), run_before=settle)


async def test_define_pause_and_fill_a_campaign(db):
    from recotui.screens.campaigns import CampaignForm, CampaignsScreen
    from recotui.store.tables import Campaign

    path, fixture = db
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, CampaignsScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, CampaignForm)
        form = app.screen
        for key, value in (("name", "Conso"), ("debtor_kind", "consumer"), ("dpd", "1-30"),
                           ("weights", "days_past_due=400")):
            form.query_one(f"#campaign-{key}").value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CampaignsScreen)
        names = [r[0] for r in app.screen.table.export()[1]]
        assert names == ["Conso", "Lyon", "Paris"]
        await pilot.press("s")  # take the segment: C is in Paris (active), so it stays
        await settle(pilot)
        await pilot.press("down", "down", "p")  # pause Paris
        await settle(pilot)
        await pilot.press("up", "up", "s")  # now Conso takes C
        await settle(pilot)
        rows = {r[0]: r for r in app.screen.table.export()[1]}
        assert rows["Paris"][1] == "paused" and rows["Conso"][2] == "1"
    with Session(Store.open(path).engine) as session:
        conso = session.scalars(select(Campaign).where(Campaign.name == "Conso")).one()
        assert conso.segment == {"debtor_kind": "consumer", "dpd_min": 1, "dpd_max": 30}
        assert conso.weights == {"days_past_due": 400}
        assert session.get(CollectionCase, fixture.cases["C"]).campaign_id == conso.id
