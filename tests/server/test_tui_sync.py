"""The TUI syncs in the background: online, offline while the server is down, and back."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from recotui.app import RecoApp
from recotui.config import Settings
from recotui.store import actions
from recotui.store.replica import pending_count, refused_mutations
from recotui.store.tables import CollectionCase, Promise
from recotui.widgets.sync_status import SyncIndicator
from tests.tui.conftest import ALWAYS_OPEN


async def until(pilot, condition, seconds: float = 40.0) -> None:  # noqa: ANN001
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")


def promises_on_server(book) -> int:  # noqa: ANN001
    with Session(book.store.engine) as session:
        return session.execute(select(func.count()).select_from(Promise)).scalar_one()


def ann_app(book, tmp_path) -> RecoApp:  # noqa: ANN001
    return RecoApp(Settings(db=tmp_path / "ann.sqlite3", language="en", user="ann",
                            server_url=book.url, token=book.tokens["ann"],
                            contact_policy=ALWAYS_OPEN))


async def first_sync(pilot, app: RecoApp, book) -> None:  # noqa: ANN001
    await until(pilot, lambda: app.sync_state is not None and app.sync_state.online)
    await until(pilot, lambda: app.user_id == book.user_ids["ann"])  # learnt from the pull


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_app_syncs_in_the_background_and_keeps_working_offline(book, server,
                                                                         tmp_path):
    app = ann_app(book, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_sync(pilot, app, book)
        indicator = app.screen.query_one(SyncIndicator)
        assert "online" in str(indicator.render())

        server.stop()
        app.request_sync()
        await until(pilot, lambda: not app.sync_state.online)
        actions.record_promise(app.store, book.cases["C001"], app.user_id, amount_minor=10_000,
                               due_date=date.today() + timedelta(days=3))
        app.request_sync()
        await until(pilot, lambda: app.sync_state.pending == 1)
        await pilot.pause(0.1)
        assert "offline" in str(indicator.render()) and "1 to send" in str(indicator.render())

        server.start()
        app.request_sync()
        await until(pilot, lambda: app.sync_state.online and app.sync_state.pending == 0)
        await asyncio.sleep(0)
    assert promises_on_server(book) == 1
    # On exit the sync worker stops at once: the process waits for its thread to end.
    for _ in range(40):
        if app._sync_client is None:
            break
        await asyncio.sleep(0.05)
    assert app._sync_client is None


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_next_case_skips_a_case_another_agent_holds_and_claims_its_own(book, tmp_path):
    from recotui.screens.case import CaseScreen
    from recotui.store.sync_server import claim_holders

    app = ann_app(book, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_sync(pilot, app, book)
        # The supervisor takes ann's top case (C003, the largest balance) first.
        with book.client("sue") as sue:
            held = sue.post("/v1/claims", json={"case_ids": [book.cases["C003"].hex]})
            assert held.json()["claims"]
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen)
                    and app.screen.view is not None)
        opened = app.screen.case_id
        # The claim raised the case's epoch; the escalation made now carries the new one.
        actions.escalate(app.store, opened, app.user_id)
        app.request_sync()
        await until(pilot, lambda: pending_count(app.store) == 0)
        refused = refused_mutations(app.store)
    assert refused == []  # not refused as made under a stale claim
    assert opened != book.cases["C003"]
    with Session(book.store.engine) as session:
        assert session.get(CollectionCase, opened).stage == "relance_1"
    with Session(book.store.engine) as session:
        holders = claim_holders(session)
    assert holders[opened] == book.user_ids["ann"]
    assert holders[book.cases["C003"]] == book.user_ids["sue"]
