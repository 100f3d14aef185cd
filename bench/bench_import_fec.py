"""End-to-end FEC import: `recotui import` of a generated file into a new store.

    python bench/bench_import_fec.py [--lines 1000000] [--repeat 3]

Baselines, same run: reading the same file's lines with the csv module and nothing else, and
the FEC parser alone (`read_book` in a fresh interpreter, as the import runs it).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_fec import write_fec  # noqa: E402

PARSE_ONLY = "import sys; from recotui.importers import read_book; read_book(sys.argv[1])"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="recotui-bench-"))
    try:
        run(work, args.lines, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, lines: int, repeat: int) -> None:
    fec = work / "FEC.txt"
    write_fec(fec, lines, 11, "tab", "utf-8")
    print(f"{fec}: {fec.stat().st_size / 1e6:.0f} MB, {lines:,} lines")

    def baseline() -> None:
        with open(fec, encoding="utf-8", newline="") as handle:
            for _ in csv.reader(handle, delimiter="\t"):
                pass

    recotui = Path(sys.executable).with_name("recotui")
    samples, base, parse = [], [], []
    for run in range(repeat):
        start = time.perf_counter()
        baseline()
        base.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", PARSE_ONLY, str(fec)], check=True)
        parse.append(time.perf_counter() - start)
        db = work / f"run{run}.sqlite3"
        start = time.perf_counter()
        done = subprocess.run([str(recotui), "import", str(fec), "--db", str(db)],
                              capture_output=True, text=True, check=True)
        samples.append(time.perf_counter() - start)
        db.unlink()
        if run == 0:
            print(done.stdout)
    print(f"baseline csv read      median {statistics.median(base):6.2f} s")
    print(f"FEC parse only (e2e)   median {statistics.median(parse):6.2f} s")
    print(f"recotui import (e2e)   median {statistics.median(samples):6.2f} s  "
          f"({lines / statistics.median(samples):,.0f} lines/s)  runs: "
          + ", ".join(f"{s:.2f}" for s in samples))


if __name__ == "__main__":
    main()
