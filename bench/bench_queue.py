"""Queue page and aging report timings on a large book.

    python bench/bench_queue.py --db /tmp/demo1m.sqlite3 [--build 1000000]

Prints medians. The baseline is the same top-50 read as raw SQL through the stdlib sqlite3
module in the same run: what the index costs without our layers.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from datetime import date
from pathlib import Path

from sqlmodel import Session

from recotui.store.queries import aging_totals
from recotui.store.queue_reads import QueueScope, connect, queue_page
from recotui.store.store import Store


def timed(fn, repeat: int) -> float:  # noqa: ANN001
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--build", type=int, help="build a demo book of this size first")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    if args.build:
        from recotui.store.demo import build_demo

        summary = build_demo(args.db, size=args.build)
        print(f"built {args.build:,} debtors in {summary.seconds:.1f} s")
    store = Store.open(args.db)
    conn = connect(args.db)
    with Session(store.engine) as session:
        cases = session.connection().exec_driver_sql(
            "SELECT COUNT(*) FROM collection_case WHERE status='open'").scalar()
        print(f"open cases: {cases:,}")
        top = queue_page(conn, limit=50)
        deep_cursor = queue_page(conn, after=top[-1].cursor, limit=50)[-1].cursor
        agent = session.connection().exec_driver_sql(
            "SELECT assigned_agent_id FROM collection_case WHERE assigned_agent_id IS NOT NULL "
            "LIMIT 1").scalar()
        import uuid

        agent_scope = QueueScope(agent_id=uuid.UUID(hex=agent)) if agent else QueueScope()
        results = {
            "top-50 page": timed(lambda: queue_page(conn, limit=50), args.repeat),
            "next page (keyset)": timed(
                lambda: queue_page(conn, after=deep_cursor, limit=50), args.repeat),
            "agent top-50 page": timed(lambda: queue_page(conn, agent_scope, limit=50),
                                       args.repeat),
            "last page": timed(lambda: queue_page(conn, from_end=True, limit=50), args.repeat),
            "aging report": timed(lambda: aging_totals(session, date.today()), 5),
        }
    store.close()
    raw = sqlite3.connect(args.db)
    results["baseline: raw sqlite3 top-50"] = timed(lambda: raw.execute(
        "SELECT c.id, c.priority, d.name FROM collection_case c JOIN debtor d ON d.id=c.debtor_id"
        " WHERE c.status='open' ORDER BY c.priority DESC, c.id DESC LIMIT 50").fetchall(),
        args.repeat)
    for name, seconds in results.items():
        print(f"{name:32} median {seconds * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
