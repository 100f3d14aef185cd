"""The central server under load: push throughput, push latency at 200 agents, the initial
pull of a 100k-case book and the flush of a 10k-mutation backlog, on SQLite and PostgreSQL.

    python bench/bench_sync.py [--backend sqlite,postgresql] [--workers 1,2] [--repeat 3]
                               [--cases 100000] [--only baseline,pull,backlog,throughput,latency]

For each backend and each worker count: a real server subprocess (`recotui server --workers
N`) on a loopback port over a fresh book (`recotui server demo`; PostgreSQL in a schema of its
own, dropped after), a supervisor added with `recotui server add-user`, and agents (role
agent), each assigned a slice of cases of its own. Then:

- baseline: sequential GET /health round trips per second, and the raw insert rate of the
  database (sqlite3 executemany + commit, or psycopg executemany + commit), same run;
- pull: SyncClient.pull of the whole book by the supervisor into an empty client store (the
  first-pull file, then pages from its version);
- backlog: 10k notes recorded with recotui.store.actions in an agent's client store (pulled
  from the server first), then SyncClient.push timed;
- throughput: K agent processes, each pushing batches of B `case.note` mutations back to back
  for S seconds (the dicts the client outbox holds, built in the agent process);
- latency: 200 agents, each with its own connection and client id, pushing 1-5 notes at
  exponential intervals (mean --think seconds), multiplexed as threads over a few processes.

Figures are medians over --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
RECOTUI = str(Path(sys.executable).with_name("recotui"))
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEMO_RATIO = 1.0082  # cases per debtor in the demo book


# -- helpers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def say(*parts: Any) -> None:
    print(*parts, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered))) - 1))]


def loadavg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


class Backend:
    """A database for the server: a SQLite file, or a PostgreSQL schema of its own."""

    def __init__(self, kind: str, work: Path) -> None:
        self.kind = kind
        if kind == "sqlite":
            self.url = f"sqlite:///{work / 'server.sqlite3'}"
            self.schema = None
        else:
            self.schema = f"bench_{uuid.uuid4().hex[:10]}"
            self.url = f"{PG_ADMIN}?options=-csearch_path%3D{self.schema}"
            self._admin(f'CREATE SCHEMA "{self.schema}"')

    def _admin(self, sql: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_ADMIN)
        try:
            with engine.begin() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self.schema:
            self._admin(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


class Server:
    def __init__(self, url: str, workers: int, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [RECOTUI, "server", "--port", str(self.port), "--database-url", url,
             "--workers", str(workers)],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start; see {log}")
            time.sleep(0.2)
        if workers > 1:  # let every worker come up
            time.sleep(2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # our own child's group
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


# -- the book -----------------------------------------------------------------------------------


def build_book(backend: Backend, cases: int, agents: int, per_agent: int,
               work: Path) -> dict[str, Any]:
    """The demo book, a supervisor (by the CLI) and agents with their cases."""
    size = max(1, round(cases / DEMO_RATIO))
    started = time.perf_counter()
    subprocess.run([RECOTUI, "server", "demo", "--size", str(size), "--database-url",
                    backend.url], check=True, stdout=subprocess.DEVNULL)
    built = time.perf_counter() - started
    out = subprocess.run([RECOTUI, "server", "add-user", "sup", "--role", "supervisor",
                          "--database-url", backend.url], check=True, capture_output=True,
                         text=True).stdout
    sup_token = out.strip().splitlines()[-1].split("token:", 1)[1].strip()

    from sqlalchemy import func, select, update

    from recotui.store import sync_server
    from recotui.store.store import Store, now_utc
    from recotui.store.tables import CollectionCase

    store = Store.open(backend.url)
    case_t = CollectionCase.__table__
    try:
        with store.transaction() as session:
            total = session.execute(select(func.count()).select_from(case_t)).scalar_one()
            open_cases = session.execute(
                select(case_t.c.id, case_t.c.claim_epoch).where(case_t.c.status == "open")
                .order_by(case_t.c.id).limit(agents * per_agent)).all()
            users = []
            for n in range(agents):
                user, token = sync_server.add_user(session, f"agent{n:03d}", "agent", now_utc())
                mine = open_cases[n * per_agent:(n + 1) * per_agent]
                session.execute(update(case_t).where(case_t.c.id.in_([c for c, _ in mine]))
                                .values(assigned_agent_id=user.id))
                users.append({"token": token, "user_id": user.id.hex,
                              "cases": [[c.hex, e] for c, e in mine]})
            # The assignments are logged; the demo's entries for those cases are dropped, so
            # that the log names each case once, as on a server whose book was assigned
            # before its first pull.
            before = sync_server.current_version(session)
            assigned = [c for c, _ in open_cases]
            sync_server.log_changes(session, assigned)
            for start in range(0, len(assigned), 500):
                session.execute(sync_server.CHANGE.delete().where(
                    sync_server.CHANGE.c.version <= before,
                    sync_server.CHANGE.c.case_id.in_(assigned[start:start + 500])))
    finally:
        store.close()
    return {"cases": total, "built_s": built, "sup_token": sup_token, "agents": users}


# -- mutations ----------------------------------------------------------------------------------


def note(case: list[Any], author: str, n: int) -> dict[str, Any]:
    from recotui.domain.ids import uuid7

    return {"name": "case.note", "args": {
        "activity_id": uuid7().hex, "case_id": case[0], "author_id": author,
        "client_time": datetime.now(UTC).isoformat(), "claim_epoch": case[1],
        "payload": {"reason": "other", "text": f"bench note {n}"}}}


# -- agent processes ----------------------------------------------------------------------------


def throughput_agent(base: str, agent: dict[str, Any], batch: int, start_at: float,
                     seconds: float, out: Any) -> None:
    client_id = uuid.uuid4().hex
    http = httpx.Client(base_url=base, timeout=60,
                        headers={"Authorization": f"Bearer {agent['token']}"})
    next_id, done, bad, last_end = 1, 0, 0, start_at
    while time.time() < start_at:
        time.sleep(0.001)
    while time.time() < start_at + seconds:
        mutations = []
        for _ in range(batch):
            m = note(random.choice(agent["cases"]), agent["user_id"], next_id)
            m["id"] = next_id
            next_id += 1
            mutations.append(m)
        response = http.post("/v1/sync/push", json={"client_id": client_id,
                                                    "mutations": mutations})
        last_end = time.time()
        if response.status_code != 200:
            bad += batch
            continue
        results = response.json()["results"]
        done += sum(1 for r in results if r["result"] == "")
        bad += sum(1 for r in results if r["result"] != "")
    http.close()
    out.put({"done": done, "bad": bad, "end": last_end})


def latency_agents(base: str, agents: list[dict[str, Any]], think: float, pull_every: float,
                   cursor: int, start_at: float, seconds: float, out: Any) -> None:
    """Each agent as the TUI's sync worker drives it: an action (1-3 mutations) at
    exponential intervals of mean `think` s, pushed at once then followed by a pull; and a
    pull every `pull_every` s (0: never) while idle. The agents of one process are asyncio
    tasks, each with its own connection: threads (one per agent) cost the 2 cores more than
    the server, and their wake-ups queued behind the GIL in the figures."""
    import asyncio

    samples: list[float] = []
    pulls: list[float] = []
    errors: dict[str, int] = {}

    async def one(agent: dict[str, Any]) -> None:
        # Seeded by the agent, not by its place in this process: the processes' agents
        # acted in lockstep, four at a time, when each process seeded 0, 1, 2…
        rng = random.Random(agent["user_id"])
        client_id = uuid.uuid4().hex
        http = httpx.AsyncClient(base_url=base, timeout=60,
                                 headers={"Authorization": f"Bearer {agent['token']}"})
        next_id, at = 1, cursor
        end = start_at + seconds
        next_action = start_at + rng.expovariate(1 / think)
        next_pull = start_at + rng.uniform(0, pull_every) if pull_every else float("inf")

        async def call(method: str, path: str, **kw: Any) -> httpx.Response | None:
            try:
                response = await http.request(method, path, **kw)
                if response.status_code == 200:
                    return response
                why = str(response.status_code)
            except httpx.HTTPError as exc:
                why = exc.__class__.__name__
            errors[why] = errors.get(why, 0) + 1
            return None

        async def pull() -> None:
            nonlocal at
            began = time.perf_counter()
            while (r := await call("GET", "/v1/sync/pull",
                                   params={"cursor": at, "client_id": client_id})) is not None:
                page = r.json()
                at = page["cursor"]
                if not page["has_more"]:
                    break
            pulls.append(time.perf_counter() - began)

        while True:
            wake = min(next_action, next_pull)
            if wake >= end:
                break
            if wake > time.time():
                await asyncio.sleep(wake - time.time())
            if next_action <= next_pull:
                mutations = []
                for _ in range(rng.randint(1, 3)):
                    m = note(rng.choice(agent["cases"]), agent["user_id"], next_id)
                    m["id"] = next_id
                    next_id += 1
                    mutations.append(m)
                began = time.perf_counter()
                await call("POST", "/v1/sync/push", json={"client_id": client_id,
                                                          "mutations": mutations})
                samples.append(time.perf_counter() - began)
                next_action += rng.expovariate(1 / think)
                if pull_every:
                    await pull()
                    next_pull = time.time() + pull_every
            else:
                await pull()
                next_pull += pull_every
        await http.aclose()

    async def everyone() -> None:
        await asyncio.gather(*(one(a) for a in agents))

    asyncio.run(everyone())
    out.put({"samples": samples, "pulls": pulls, "errors": sum(errors.values()),
             "error_kinds": errors})


def run_procs(target: Any, arg_lists: list[tuple]) -> list[dict[str, Any]]:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, out)) for args in arg_lists]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    return results


# -- the benchmarks -----------------------------------------------------------------------------


def bench_baseline(base: str, backend: Backend, work: Path) -> dict[str, float]:
    with httpx.Client(base_url=base) as http:
        for _ in range(50):
            http.get("/health")
        n, began = 0, time.perf_counter()
        while time.perf_counter() - began < 3:
            http.get("/health")
            n += 1
        health = n / (time.perf_counter() - began)
    rows = [(uuid.uuid4().hex, "x" * 60, datetime.now(UTC).isoformat()) for _ in range(20000)]
    if backend.kind == "sqlite":
        conn = sqlite3.connect(work / "raw.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY, v TEXT, at TEXT)")
        began = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
        conn.execute("COMMIT")
        raw = len(rows) / (time.perf_counter() - began)
        conn.close()
    else:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test",
                             options=f"-csearch_path={backend.schema}") as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS raw_t (id TEXT PRIMARY KEY, v TEXT, "
                         "at TIMESTAMPTZ)")
            conn.commit()
            began = time.perf_counter()
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO raw_t VALUES (%s, %s, %s)", rows)
            conn.commit()
            raw = len(rows) / (time.perf_counter() - began)
            conn.execute("DROP TABLE raw_t")
            conn.commit()
    return {"health_rps": health, "raw_insert_rows_s": raw}


def bench_pull(base: str, token: str, work: Path, n: int) -> dict[str, float]:
    from recotui.store.store import Store
    from recotui.sync import SyncClient

    path = work / f"pull{n}.sqlite3"
    store = Store.open(path)
    client = SyncClient(store, base, token, timeout=300)
    began = time.perf_counter()
    result = client.pull()
    elapsed = time.perf_counter() - began
    client.close()
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return {"seconds": elapsed, "cases": result.cases}


def bench_backlog(base: str, agent: dict[str, Any], work: Path, n: int,
                  count: int) -> dict[str, float]:
    from recotui.store import actions, replica
    from recotui.store.store import Store
    from recotui.sync import SyncClient

    path = work / f"backlog-{uuid.uuid4().hex[:8]}-{n}.sqlite3"  # a client store of its own
    store = Store.open(path)
    client = SyncClient(store, base, agent["token"], timeout=300)
    client.pull()
    user_id = uuid.UUID(hex=agent["user_id"])
    cases = [uuid.UUID(hex=c) for c, _ in agent["cases"]]
    began = time.perf_counter()
    for i in range(count):
        actions.add_note(store, cases[i % len(cases)], user_id, reason="other",
                         text=f"offline note {i}")
    recorded = time.perf_counter() - began
    assert replica.pending_count(store) == count
    began = time.perf_counter()
    result = client.push()
    elapsed = time.perf_counter() - began
    assert result.pushed == count and not result.refused, result.refused[:3]
    assert replica.pending_count(store) == 0
    client.close()
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return {"seconds": elapsed, "record_s": recorded}


def bench_throughput(base: str, agents: list[dict[str, Any]], procs: int, batch: int,
                     seconds: float) -> dict[str, float]:
    start_at = time.time() + 3  # spawn and import first
    results = run_procs(throughput_agent,
                        [(base, agents[i], batch, start_at, seconds) for i in range(procs)])
    done = sum(r["done"] for r in results)
    bad = sum(r["bad"] for r in results)
    elapsed = max(r["end"] for r in results) - start_at
    return {"rate": done / elapsed, "done": done, "bad": bad, "seconds": elapsed}


def bench_latency(base: str, agents: list[dict[str, Any]], procs: int, think: float,
                  pull_every: float, cursor: int, seconds: float) -> dict[str, float]:
    start_at = time.time() + 5
    groups = [agents[i::procs] for i in range(procs)]
    results = run_procs(latency_agents, [(base, g, think, pull_every, cursor, start_at, seconds)
                                         for g in groups])
    samples = [s for r in results for s in r["samples"]]
    pulls = [s for r in results for s in r["pulls"]] or [float("nan")]
    return {"p50_ms": pct(samples, 50) * 1000, "p99_ms": pct(samples, 99) * 1000,
            "max_ms": max(samples) * 1000, "pushes": len(samples),
            "rate": len(samples) / seconds, "pull_rate": len(pulls) / seconds,
            "pull_p50_ms": pct(pulls, 50) * 1000, "pull_p99_ms": pct(pulls, 99) * 1000,
            "errors": sum(r["errors"] for r in results),
            "error_kinds": [r["error_kinds"] for r in results if r["error_kinds"]]}


def current_cursor(backend: Backend) -> int:
    """The change log's last version: the agents have synced before the run starts."""
    from recotui.store import sync_server
    from recotui.store.store import Store

    store = Store.open(backend.url)
    try:
        with store.transaction() as session:
            return sync_server.current_version(session)
    finally:
        store.close()


# -- main ---------------------------------------------------------------------------------------


def run_backend(kind: str, workers_list: list[int], args: argparse.Namespace,
                only: set[str], work: Path) -> dict[str, Any]:
    backend = Backend(kind, work)
    figures: dict[str, Any] = {}
    try:
        say(f"\n== {kind}: building a {args.cases:,}-case book ==")
        book = build_book(backend, args.cases, args.agents, args.per_agent, work)
        say(f"   {book['cases']:,} cases in {book['built_s']:.1f} s; "
            f"{len(book['agents'])} agents x {args.per_agent} cases")
        agents = book["agents"]
        for workers in workers_list:
            tag = f"{kind}/w{workers}"
            server = Server(backend.url, workers, work / f"server-{kind}.log")
            try:
                fig: dict[str, Any] = {}
                if "baseline" in only:
                    base = [bench_baseline(server.base, backend, work)
                            for _ in range(args.repeat)]
                    fig["baseline"] = {k: median([b[k] for b in base]) for k in base[0]}
                    say(f"{tag} baseline: GET /health {fig['baseline']['health_rps']:.0f}/s, "
                        f"raw insert {fig['baseline']['raw_insert_rows_s']:,.0f} rows/s  "
                        f"({loadavg()})")
                if "pull" in only:
                    runs = []
                    for n in range(args.pull_repeat or args.repeat):
                        r = bench_pull(server.base, book["sup_token"], work, n)
                        runs.append(r["seconds"])
                        say(f"{tag} pull: {r['cases']:,} cases in {r['seconds']:.2f} s "
                            f"({loadavg()})")
                    fig["pull_s"] = median(runs)
                    fig["pull_runs"] = runs
                if "backlog" in only:
                    runs = []
                    for n in range(args.backlog_repeat or args.repeat):
                        agent = agents[(n + workers * args.repeat) % len(agents)]
                        r = bench_backlog(server.base, agent, work, n, args.backlog)
                        runs.append(r["seconds"])
                        say(f"{tag} backlog: {args.backlog:,} pushed in {r['seconds']:.2f} s "
                            f"(recorded in {r['record_s']:.1f} s) ({loadavg()})")
                    fig["backlog_s"] = median(runs)
                    fig["backlog_runs"] = runs
                if "throughput" in only:
                    runs = []
                    for n in range(args.repeat):
                        r = bench_throughput(server.base, agents[n * args.procs:],
                                             args.procs, args.batch, args.seconds)
                        runs.append(r["rate"])
                        say(f"{tag} throughput: {r['rate']:,.0f} mutations/s "
                            f"({r['done']:,} in {r['seconds']:.1f} s, {r['bad']} not applied, "
                            f"{args.procs} procs x batch {args.batch}) ({loadavg()})")
                    fig["throughput"] = median(runs)
                    fig["throughput_runs"] = runs
                if "latency" in only:
                    runs = []
                    for _ in range(args.repeat):
                        r = bench_latency(server.base, agents[:args.latency_agents],
                                          args.latency_procs, args.think, args.pull_every,
                                          current_cursor(backend), args.latency_seconds)
                        runs.append(r)
                        say(f"{tag} latency: {args.latency_agents} agents, "
                            f"{r['rate']:.0f} pushes/s: p50 {r['p50_ms']:.1f} ms, "
                            f"p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.0f} ms; "
                            f"{r['pull_rate']:.0f} pulls/s: p50 {r['pull_p50_ms']:.1f} ms, "
                            f"p99 {r['pull_p99_ms']:.1f} ms; "
                            f"{r['errors']} errors {r['error_kinds'] or ''}({loadavg()})")
                    fig["latency"] = {k: median([r[k] for r in runs]) for k in runs[0]
                                      if k != "error_kinds"}
                    fig["latency_runs"] = runs
                figures[tag] = fig
            finally:
                server.stop()
    finally:
        backend.drop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="sqlite,postgresql")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--only", default="baseline,pull,backlog,throughput,latency")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pull-repeat", type=int, default=0,
                        help="runs of the pull (default: --repeat)")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--agents", type=int, default=200, help="agent users created")
    parser.add_argument("--per-agent", type=int, default=50, help="cases assigned to each")
    parser.add_argument("--procs", type=int, default=4, help="throughput: agent processes")
    parser.add_argument("--batch", type=int, default=200, help="throughput: mutations a push")
    parser.add_argument("--seconds", type=float, default=12, help="throughput: duration")
    parser.add_argument("--backlog", type=int, default=10_000)
    parser.add_argument("--backlog-repeat", type=int, default=0,
                        help="runs of the backlog flush (default: --repeat)")
    parser.add_argument("--latency-agents", type=int, default=200)
    parser.add_argument("--latency-procs", type=int, default=4,
                        help="latency: processes the agents are spread over, as threads")
    parser.add_argument("--think", type=float, default=10.0,
                        help="latency: mean seconds between an agent's actions (each pushed "
                             "at once, then a pull)")
    parser.add_argument("--pull-every", type=float, default=5.0,
                        help="latency: an idle agent pulls every N s, as the TUI (0: never)")
    parser.add_argument("--latency-seconds", type=float, default=25)
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    only = set(args.only.split(","))
    work = Path(tempfile.mkdtemp(prefix="recotui-bench-sync-"))
    say(f"work dir {work}; {os.cpu_count()} CPUs; {loadavg()}")
    figures = {}
    for kind in args.backend.split(","):
        figures.update(run_backend(kind, [int(w) for w in args.workers.split(",")], args,
                                   only, work))
    say("\n" + json.dumps(figures, indent=1, default=str))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, default=str))


if __name__ == "__main__":
    main()
