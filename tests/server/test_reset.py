"""A cursor older than the change log's retention gets a reset: the client pushes first, then
reloads, and nothing local is lost."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from recotui.store import actions, replica, sync_server
from recotui.store.store import Store
from recotui.store.tables import Activity, CollectionCase
from recotui.sync import SyncClient


def rows(store: Store, model) -> int:  # noqa: ANN001
    with Session(store.engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_an_old_cursor_is_reset_after_the_outbox_is_pushed(book, tmp_path):
    store = Store.open(tmp_path / "ann.sqlite3")
    client = SyncClient(store, book.url, book.tokens["ann"])
    try:
        client.round()
        old_cursor = replica.cursor(store)
        # Work offline, while the server's book moves on and its log is compacted.
        actions.add_note(store, book.cases["C001"], book.user_ids["ann"], reason="other",
                         text="hors ligne")
        for _ in range(3):
            with book.client("sue") as sue:
                sue.post("/v1/claims", json={"case_ids": [book.cases["C002"].hex]})
                sue.post("/v1/claims/release", json={"case_ids": [book.cases["C002"].hex]})
        with book.store.transaction() as session:
            newest = sync_server.current_version(session)
            assert sync_server.compact_change_log(session, newest) > 0
        assert old_cursor < newest - 1
        result = client.round()
    finally:
        client.close()
    assert result.reset and result.pushed == 1
    assert replica.pending_count(store) == 0
    # The note reached the server and came back with the reloaded copy: once, everywhere.
    assert rows(book.store, Activity) == 1 and rows(store, Activity) == 1
    assert rows(store, CollectionCase) == 3
    store.close()


def test_a_fresh_client_still_gets_every_case_after_compaction(book, tmp_path):
    with book.store.transaction() as session:
        sync_server.touch_all_cases(session)  # every case now has two entries
        sync_server.compact_change_log(session, sync_server.current_version(session) + 1)
    store = Store.open(tmp_path / "sue.sqlite3")
    client = SyncClient(store, book.url, book.tokens["sue"])
    try:
        assert client.round().reset is False
    finally:
        client.close()
    assert rows(store, CollectionCase) == len(book.cases)
    store.close()
