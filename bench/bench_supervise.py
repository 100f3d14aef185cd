"""The supervisor console's refresh over a big book: compute time locally, bytes over the
wire against the server.

Local: `console(session, now)` on the store (the stat_* aggregates and indexes of migration
0004), warm, --repeat times; then, for the ratio, once on the base tables (what a refresh
would cost without the aggregates; --no-baseline skips it, it takes tens of seconds on 1M).
Remote: the same store served by uvicorn on loopback, read by the console's client: the
first read, a read with nothing changed (304), and a read after one new call.

    .venv/bin/recotui demo --size 1000000 --no-open --db /tmp/demo1m.sqlite3
    .venv/bin/python bench/bench_supervise.py --db /tmp/demo1m.sqlite3
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from unittest import mock

from sqlmodel import Session


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/demo1m.sqlite3")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()

    from recotui.store import supervisor_reads as reads
    from recotui.store.store import Store
    from recotui.store.tables import Activity, CollectionCase

    store = Store.open(args.db)
    with Session(store.engine) as session:
        cases = session.query(CollectionCase).count()
        last = session.query(Activity.client_time).order_by(Activity.client_time.desc()).first()
        day = last[0].date()
        facts_that_day = session.query(Activity).filter(
            Activity.client_time >= datetime.combine(day, clock(), tzinfo=UTC)).count()
    now = datetime.combine(day, clock(15), tzinfo=UTC)
    print(f"book: {args.db}: {cases:,} cases; console at {now:%Y-%m-%d %H:%M} UTC, "
          f"{facts_that_day:,} facts that day")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")

    cpu: list[float] = []

    def timed(fn) -> float:  # noqa: ANN001
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - started_cpu) * 1000)
        return (time.perf_counter() - started) * 1000

    with Session(store.engine) as session:
        cold = timed(lambda: reads.console(session, now))
        cpu.clear()
        samples = [timed(lambda: reads.console(session, now)) for _ in range(args.repeat)]
        cpu_median = statistics.median(cpu)
        parts = {
            "burn-down": lambda: reads.campaign_burn(session, day, now),
            "money today": lambda: reads.money_today(session, day, {}),
            "kept rate": lambda: reads.settled_counts(session, day - timedelta(days=30), day),
            "broken promises": lambda: reads.broken_promises(session, day),
            "aging": lambda: reads.aging_rows(session, day),
            "agents": lambda: reads.agent_rows(session, day, day, now, spark_days=7),
        }
        split = {name: statistics.median(timed(fn) for _ in range(5))
                 for name, fn in parts.items()}
    median, worst = statistics.median(samples), max(samples)
    p95 = sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]
    print(f"local refresh: median {median:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms "
          f"({args.repeat} warm runs; first {cold:.0f} ms); CPU median {cpu_median:.1f} ms")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print("  parts (median of 5): " + ", ".join(f"{k} {v:.1f} ms" for k, v in split.items()))
    if not args.no_baseline:
        with Session(store.engine) as session, \
                mock.patch.object(reads, "has_stats", lambda _s: False):
            base = timed(lambda: reads.console(session, now))
        print(f"base tables, no aggregates: {base:.0f} ms ({base / median:.0f}x)")

    remote(store, now)
    store.close()


def remote(store, now: datetime) -> None:  # noqa: ANN001
    import uvicorn

    from recotui.console_client import RemoteConsole
    from recotui.server.app import create_app
    from recotui.store import sync_server
    from recotui.store.actions import log_call
    from recotui.store.tables import CollectionCase, User

    with store.transaction() as session:
        _user, token = sync_server.add_user(session, f"bench-sup-{time.time_ns()}",
                                            "supervisor", now)
        agent = session.query(User).filter(User.role == "agent").first().id
        case_id = session.query(CollectionCase.id).filter(
            CollectionCase.status == "open").first()[0]
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    client = RemoteConsole(f"http://127.0.0.1:{port}", token, {"EUR": 2_500_000})
    try:
        started = time.perf_counter()
        first = client.read(now)
        first_ms, first_bytes = (time.perf_counter() - started) * 1000, client.last_bytes
        import json

        raw = len(json.dumps(first.as_json(), separators=(",", ":")).encode())
        idle, idle_ms = [], []
        for _ in range(5):
            started = time.perf_counter()
            client.read(now)
            idle_ms.append((time.perf_counter() - started) * 1000)
            idle.append(client.last_bytes)
        log_call(store, case_id, agent, disposition="no_answer", duration_s=5, now=now)
        started = time.perf_counter()
        client.read(now)
        changed_ms, changed = (time.perf_counter() - started) * 1000, client.last_bytes
    finally:
        client.close()
        server.should_exit = True
        thread.join(10)
    print(f"remote refresh: first {first_bytes:,} B on the wire (JSON {raw:,} B, gzip), "
          f"{first_ms:.0f} ms; unchanged {statistics.median(idle):,.0f} B (304), "
          f"{statistics.median(idle_ms):.0f} ms; after one new call {changed:,} B, "
          f"{changed_ms:.0f} ms")


if __name__ == "__main__":
    main()
