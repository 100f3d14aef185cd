"""End-to-end FEC import: `recotui import` of a generated file into a new store.

    python bench/bench_import_fec.py [--lines 1000000] [--repeat 3]

Baseline, same run: reading the same file's lines with the csv module and nothing else.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_fec import write_fec  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="recotui-bench-"))
    fec = work / "FEC.txt"
    write_fec(fec, args.lines, 11, "tab", "utf-8")
    print(f"{fec}: {fec.stat().st_size / 1e6:.0f} MB, {args.lines:,} lines")

    def baseline() -> None:
        with open(fec, encoding="utf-8", newline="") as handle:
            for _ in csv.reader(handle, delimiter="\t"):
                pass

    recotui = Path(sys.executable).with_name("recotui")
    samples, base = [], []
    for run in range(args.repeat):
        start = time.perf_counter()
        baseline()
        base.append(time.perf_counter() - start)
        db = work / f"run{run}.sqlite3"
        start = time.perf_counter()
        done = subprocess.run([str(recotui), "import", str(fec), "--db", str(db)],
                              capture_output=True, text=True, check=True)
        samples.append(time.perf_counter() - start)
        if run == 0:
            print(done.stdout)
    print(f"baseline csv read      median {statistics.median(base):6.2f} s")
    print(f"recotui import (e2e)   median {statistics.median(samples):6.2f} s  "
          f"({args.lines / statistics.median(samples):,.0f} lines/s)")


if __name__ == "__main__":
    main()
