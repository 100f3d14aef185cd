import random
from datetime import UTC, datetime

from sqlalchemy import insert
from sqlmodel import Session

from recotui.domain.ids import SeededUuid7
from recotui.store.queries import QueueScope, queue_count, queue_page, rank_of
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


def test_pages_walk_the_whole_queue_in_order(store):
    expected = fill(store, 230)
    seen, after = [], None
    with Session(store.engine) as session:
        while True:
            page = queue_page(session, after=after, limit=50)
            if not page:
                break
            seen += [(r.priority, r.case_id.hex) for r in page]
            after = page[-1].cursor
        assert seen == expected
        assert queue_count(session) == len(expected)


def test_previous_and_last_pages(store):
    expected = fill(store, 120)
    with Session(store.engine) as session:
        first = queue_page(session, limit=20)
        second = queue_page(session, after=first[-1].cursor, limit=20)
        back = queue_page(session, before=second[0].cursor, limit=20)
        assert [r.case_id for r in back] == [r.case_id for r in first]
        last = queue_page(session, from_end=True, limit=20)
        assert [(r.priority, r.case_id.hex) for r in last] == expected[-20:]
        assert rank_of(session, second[0].cursor) == 21


def test_queue_reads_the_index_and_never_sorts(store):
    fill(store, 50)
    with Session(store.engine) as session:
        page = queue_page(session, limit=5)
        for scope in (QueueScope(), QueueScope(agent_id=page[0].case_id)):
            statement = _statement(scope, page[-1].cursor)
            plan = " | ".join(
                row[-1] for row in session.connection().exec_driver_sql(
                    f"EXPLAIN QUERY PLAN {statement}").fetchall())
            assert "ix_case_" in plan and "TEMP B-TREE" not in plan, plan


def _statement(scope: QueueScope, after) -> str:
    from sqlalchemy.dialects import sqlite

    from recotui.store import queries

    captured = {}

    class Spy:
        def exec(self, statement):
            captured["sql"] = str(statement.compile(
                dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
            return []

    queries.queue_page(Spy(), scope, after=(after[0], after[1].hex), limit=50)
    return captured["sql"]
