"""Building the demo book: `build_demo` into a fresh temporary directory.

    python bench/bench_demo.py [--size 1000000] [--repeat 1] [--workers N] [--seed 7]

Prints each run's seconds with its load and index phases, then the median, rows per second,
the size of the file and the rows per table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from recotui.store.demo import build_demo


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


if __name__ == "__main__":
    main()
