"""The first pull as one SQLite file (store/bulk_snapshot.py), on SQLite and on PostgreSQL: the
caller's scope only, equal to the server's rows, the console's counts equal to counting the
copy afresh, pending mutations kept, and pages where the file cannot be used."""

from __future__ import annotations

import gzip
import sqlite3
from contextlib import closing
from datetime import date, timedelta

from sqlalchemy import select

from recotui.store import actions, bulk_snapshot, replica
from recotui.store.store import Store
from recotui.store.tables import Activity, CollectionCase
from tests.server.helpers import case_copy, count, local_case_ids, scope_of


def stats_of(path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(path)) as conn:
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall())
                for name in bulk_snapshot.STATS}


def recounted(path, tmp_path) -> dict[str, list[tuple]]:
    """The counts of a copy of the store made again from its rows, by the migrations' own
    backfill."""
    copy = tmp_path / "recount.sqlite3"
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    with closing(sqlite3.connect(copy)) as conn:
        for name in bulk_snapshot.STATS:
            conn.execute(f'DELETE FROM "{name}"')
        for statement in bulk_snapshot.stat_backfill():
            conn.execute(statement)
        conn.commit()
    return stats_of(copy)


def test_a_first_pull_loads_the_agents_scope_from_one_file(book, replica_of, tmp_path):
    ann = book.user_ids["ann"]
    # Some history on the server first, so the copy has facts and counts to carry.
    seed, seeder = replica_of("ann", "seed")
    seeder.round()
    actions.add_note(seed, book.cases["C001"], ann, reason="other", text="rappeler lundi")
    actions.record_promise(seed, book.cases["C002"], ann, amount_minor=30_000,
                           due_date=date.today() + timedelta(days=7))
    seeder.push()

    store, client = replica_of("ann")
    result = client.pull()
    assert local_case_ids(store) == scope_of(book.store, "ann") == {
        book.cases[n] for n in ("C001", "C002", "C003")}
    assert result.cases == 3 and replica.cursor(store) == result.cursor > 0
    assert case_copy(store, local_case_ids(store)) == case_copy(book.store,
                                                                 local_case_ids(store))
    path = store.engine.url.database
    assert stats_of(path) == recounted(path, tmp_path)
    assert count(store, Activity) == 2
    # The triggers the load set aside are back: a new fact is counted.
    before = stats_of(path)["stat_case_day"]
    actions.add_note(store, book.cases["C003"], ann, reason="other", text="absent")
    assert stats_of(path)["stat_case_day"] != before
    assert stats_of(path) == recounted(path, tmp_path)


def test_a_supervisors_copy_equals_the_server_and_pages_go_on_from_it(book, replica_of):
    store, client = replica_of("sue")
    loaded = client.pull()
    everything = scope_of(book.store, "sue")
    assert local_case_ids(store) == everything and loaded.cases == len(everything)
    # A change on the server after the file's version comes by the cursor.
    with book.store.transaction() as session:
        from recotui.store import sync_server

        session.get(CollectionCase, book.cases["C005"]).priority = 9
        sync_server.log_changes(session, [book.cases["C005"]])
    after = client.pull()
    assert after.cases == 1 and after.cursor > loaded.cursor
    assert case_copy(store, everything) == case_copy(book.store, everything)


def test_the_file_comes_gzipped_or_plain_and_holds_only_the_scope(book):
    with book.client("bob") as http:
        packed = http.get("/v1/sync/snapshot", headers={"Accept-Encoding": "gzip"})
        plain = http.get("/v1/sync/snapshot", headers={"Accept-Encoding": "identity"})
    assert packed.status_code == plain.status_code == 200
    assert packed.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    raw = gzip.decompress(packed.read()) if packed.content[:2] == b"\x1f\x8b" else packed.content
    for body in (raw, plain.content):
        assert body.startswith(b"SQLite format 3\x00")
    with book.client("bob") as http:
        assert http.get("/v1/sync/snapshot").status_code == 200
    import httpx

    assert httpx.get(f"{book.url}/v1/sync/snapshot").status_code == 401


def test_pending_mutations_are_applied_again_over_the_loaded_copy(book, replica_of):
    """A store whose copy was reset with mutations still unsent (the server unreachable for
    the push) keeps showing them after the load."""
    store, client = replica_of("bob")
    client.pull()
    bob, case_id = book.user_ids["bob"], book.cases["C004"]
    actions.add_note(store, case_id, bob, reason="other", text="hors ligne")
    replica.reset(store)  # the copy goes, the outbox stays
    assert count(store, Activity) == 0
    loaded = bulk_snapshot.load(store, _file_for(book, "bob", store))
    assert loaded is not None
    with store.transaction() as session:
        texts = session.execute(select(Activity.payload).where(
            Activity.case_id == case_id)).scalars().all()
    assert any(p.get("text") == "hors ligne" for p in texts)
    assert replica.pending_count(store) == 1


def test_the_file_is_refused_by_a_store_that_holds_cases_or_another_schema(book, replica_of,
                                                                            tmp_path):
    store, client = replica_of("ann")
    client.pull()
    path = _file_for(book, "ann", store)
    assert bulk_snapshot.load(store, path) is None  # cases already here: pages instead
    fresh = Store.open(tmp_path / "fresh.sqlite3")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"UPDATE {bulk_snapshot.META} SET value = '0001' WHERE key = 'revision'")
        conn.commit()
    assert bulk_snapshot.load(fresh, path) is None
    assert count(fresh, CollectionCase) == 0
    fresh.close()


def _file_for(book, username: str, store: Store):  # noqa: ANN001, ANN202
    path = store.engine.url.database + ".snapshot"
    with book.client(username) as http:
        response = http.get("/v1/sync/snapshot")
    assert response.status_code == 200
    from pathlib import Path

    Path(path).write_bytes(response.content)
    return Path(path)


def test_the_file_and_the_pages_store_the_same_bytes(book, replica_of, monkeypatch):
    """Loaded from the file or pulled by pages, a client's tables hold the same stored
    values, byte for byte (on PostgreSQL the file's values are made by SQL)."""
    seed, seeder = replica_of("sue", "seed")
    seeder.round()
    sue = book.user_ids["sue"]
    actions.add_note(seed, book.cases["C001"], sue, reason="other", text="écrit à 23h59")
    actions.record_promise(seed, book.cases["C005"], sue, amount_minor=12_345,
                           due_date=date.today() + timedelta(days=3))
    seeder.push()
    by_file, file_client = replica_of("sue", "file")
    file_client.pull()
    by_pages, pages_client = replica_of("sue", "pages")
    monkeypatch.setattr(bulk_snapshot, "book_is_empty", lambda store: False)
    pages_client.pull()

    def stored(store: Store) -> dict[str, list[tuple]]:
        with closing(sqlite3.connect(store.engine.url.database)) as conn:
            return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
                    for name in bulk_snapshot.BOOK + bulk_snapshot.STATS}

    assert stored(by_file) == stored(by_pages)
    assert count(by_file, Activity) == 2
