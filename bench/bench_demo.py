"""Building the demo book: `build_demo` into a fresh temporary directory.

    python bench/bench_demo.py [--size 1000000] [--repeat 1] [--workers N] [--seed 7]

Prints each run's seconds with its load and index phases, then the median, rows per second,
the size of the file and the rows per table. Baseline, same run: one process inserting
1,000,000 plain rows with sqlite3 executemany into an indexless table, journal off.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from recotui.store.demo import build_demo


def raw_rows_per_second(n: int = 1_000_000) -> float:
    work = Path(tempfile.mkdtemp(prefix="recotui-bench-raw-"))
    try:
        conn = sqlite3.connect(work / "raw.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b INTEGER, c INTEGER, d TEXT)")
        rows = [(f"{i:032x}", "2026-03-10", i, i * 7, "open") for i in range(n)]
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        conn.close()
        return n / elapsed
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"demo book of {args.size:,} debtors, seed {args.seed}, "
          f"{args.workers or os.cpu_count()} worker(s) on {os.cpu_count()} CPU(s)")
    seconds, rows, size, counts = [], 0, 0, {}
    for run in range(args.repeat):
        work = Path(tempfile.mkdtemp(prefix="recotui-bench-demo-"))
        try:
            started = time.perf_counter()
            summary = build_demo(work / "demo.sqlite3", size=args.size, seed=args.seed,
                                 as_of=date(2026, 3, 10), workers=args.workers)
            elapsed = time.perf_counter() - started
            rows, size = summary.rows, (work / "demo.sqlite3").stat().st_size
            counts = summary.counts
            phases = ", ".join(f"{k} {v:.1f} s" for k, v in summary.phases.items())
            print(f"run {run + 1}: {elapsed:.1f} s ({phases})")
            seconds.append(elapsed)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    median = statistics.median(seconds)
    print(f"median {median:.1f} s; {rows:,} rows, {rows / median:,.0f} rows/s; "
          f"file {size / 1e6:,.0f} MB")
    print("rows: " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))
    print(f"baseline: raw sqlite3 executemany, one process: {raw_rows_per_second():,.0f} rows/s")


if __name__ == "__main__":
    main()
