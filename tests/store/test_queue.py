import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from recotui.domain.ids import SeededUuid7
from recotui.store import migrations
from recotui.store.queue_reads import (
    QueueScope,
    connect,
    queue_count,
    queue_page,
    queue_plan,
    rank_of,
    store_is_current,
)
from recotui.store.tables import CollectionCase, Debtor

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def fill(store, n: int, seed: int = 3) -> list[tuple[int, str]]:
    """n open cases with many equal priorities, so ties are broken by id."""
    ids, rng = SeededUuid7(seed, 1_700_000_000_000), random.Random(seed)
    debtors, cases = [], []
    for index in range(n):
        debtor_id, case_id = ids.next(), ids.next()
        debtors.append({"id": debtor_id, "number": f"C{index:05d}", "name": f"Debtor {index}",
                        "created_at": NOW})
        cases.append({"id": case_id, "debtor_id": debtor_id, "priority": rng.randrange(20),
                      "status": "closed" if index % 10 == 0 else "open",
                      "priority_factors": [], "created_at": NOW, "updated_at": NOW})
    with store.transaction() as session:
        session.execute(insert(Debtor), debtors)
        session.execute(insert(CollectionCase), cases)
    expected = sorted(((c["priority"], c["id"]) for c in cases if c["status"] == "open"),
                      reverse=True)
    return [(p, i.hex) for p, i in expected]


@pytest.fixture
def conn(store):
    connection = connect(store.engine.url.database)
    yield connection
    connection.close()


def test_pages_walk_the_whole_queue_in_order(store, conn):
    expected = fill(store, 230)
    seen, after = [], None
    while True:
        page = queue_page(conn, after=after, limit=50)
        if not page:
            break
        seen += [(r.priority, r.case_id.hex) for r in page]
        after = page[-1].cursor
    assert seen == expected
    assert queue_count(conn) == len(expected)


def test_previous_and_last_pages(store, conn):
    expected = fill(store, 120)
    first = queue_page(conn, limit=20)
    second = queue_page(conn, after=first[-1].cursor, limit=20)
    back = queue_page(conn, before=second[0].cursor, limit=20)
    assert [r.case_id for r in back] == [r.case_id for r in first]
    assert queue_page(conn, after=second[0].cursor, limit=1, inclusive=True) == second[:1]
    last = queue_page(conn, from_end=True, limit=20)
    assert [(r.priority, r.case_id.hex) for r in last] == expected[-20:]
    assert rank_of(conn, second[0].cursor) == 21


def test_queue_reads_the_index_and_never_sorts(store, conn):
    fill(store, 50)
    page = queue_page(conn, limit=5)
    for scope in (QueueScope(), QueueScope(agent_id=page[0].case_id),
                  QueueScope(campaign_id=page[0].case_id)):
        plan = queue_plan(conn, scope)
        assert "ix_case_" in plan and "TEMP B-TREE" not in plan, plan


def test_start_up_knows_a_current_store_from_an_old_or_missing_one(store, tmp_path):
    assert store_is_current(store.engine.url.database)
    assert not store_is_current(tmp_path / "missing.sqlite3")
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database at all" * 100)
    assert not store_is_current(tmp_path / "junk.sqlite3")
    assert migrations.HEAD_REVISION  # the same constant alembic's head is checked against


def test_a_name_is_found_whatever_its_accents_and_case(store):
    from dataclasses import replace

    from recotui.store.importing import apply_book
    from recotui.store.queue_reads import name_glob, search_queue
    from tests.store.conftest import small_book

    book = small_book()
    book.debtors[:] = [replace(book.debtors[0], name="Boulangerie Lefèvre & Fils"),
                       replace(book.debtors[1], name="Mme Hélène Œuvray")]
    apply_book(store, book)
    conn = connect(store.engine.url.database)
    try:
        def found(text: str) -> list[str]:
            return [row.debtor_name for row in search_queue(conn, QueueScope(), text)]

        for typed in ("lefevre", "LEFÈVRE", "Lefèvre", "fevre & f"):
            assert found(typed) == ["Boulangerie Lefèvre & Fils"], typed
        assert found("helene") == ["Mme Hélène Œuvray"]
        assert found("lefebvre") == [] and found("*") == []
    finally:
        conn.close()
    assert name_glob("a[b]*?") == "*[aàâäáãAÀÂÄÁÃ][bB]*"
