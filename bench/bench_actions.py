"""Latency of committing a user action (change + activity + outbox, synchronous=FULL).

    python bench/bench_actions.py [--n 300]

Baseline, same run: a bare sqlite3 INSERT + COMMIT in a WAL database with synchronous=FULL,
which is the floor set by the disk.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, select

from recotui.store import actions
from recotui.store.importing import apply_book
from recotui.store.store import Store
from recotui.store.tables import CollectionCase

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.store.conftest import small_book  # noqa: E402


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered) * 1000:6.2f} ms   p95 {p95 * 1000:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="recotui-bench-"))
    store = Store.open(work / "book.sqlite3")
    apply_book(store, small_book())
    with Session(store.engine) as session:
        case_id = session.exec(select(CollectionCase.id)).first()
    samples = []
    for n in range(args.n):
        start = time.perf_counter()
        actions.add_note(store, case_id, None, reason="cash_flow", text=f"note {n}")
        samples.append(time.perf_counter() - start)
    store.close()
    raw = sqlite3.connect(work / "raw.sqlite3", isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    base = []
    for n in range(args.n):
        start = time.perf_counter()
        raw.execute("BEGIN")
        raw.execute("INSERT INTO t (v) VALUES (?)", (str(n),))
        raw.execute("COMMIT")
        base.append(time.perf_counter() - start)
    print(f"action commit (add_note)       {summary(samples)}")
    print(f"baseline raw INSERT+COMMIT     {summary(base)}")


if __name__ == "__main__":
    main()
