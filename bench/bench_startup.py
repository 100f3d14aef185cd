"""Cold start to the first painted queue row, and the agent session's RSS, in a real terminal.

Each run starts a fresh process in tmux (80x24) and polls the pane until the first queue row
shows; the baseline is a bare Textual app painting one line, measured in the same run.

    python bench/bench_startup.py --db /tmp/demo1m.sqlite3 --repeat 7
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

RECOTUI = Path(sys.executable).with_name("recotui")
BARE_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Bare(App):\n"
    "    def compose(self):\n"
    "        yield Static('bare app ready')\n"
    "Bare().run()\n"
)


def tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], check=True, capture_output=True,
                          text=True).stdout


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def first_paint(command: str, marker: str, settle_s: float = 0.0) -> tuple[float, float]:
    """Seconds from spawn until `marker` is on screen, and RSS (MB) `settle_s` later."""
    socket = f"bench-{uuid.uuid4().hex[:8]}"
    start = time.perf_counter()
    tmux(socket, "new-session", "-d", "-x", "80", "-y", "24", f"exec {command}")
    try:
        while True:
            if marker in tmux(socket, "capture-pane", "-p"):
                elapsed = time.perf_counter() - start
                break
            if time.perf_counter() - start > 60:
                raise TimeoutError(f"{marker!r} never appeared")
            time.sleep(0.005)
        time.sleep(settle_s)
        pid = int(tmux(socket, "list-panes", "-F", "#{pane_pid}").split()[0])
        return elapsed, rss_mb(pid)
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    bare_script = Path("/tmp/recotui_bench_bare.py")
    bare_script.write_text(BARE_APP)
    env = "env LANG=en_US.UTF-8 TERM=xterm-256color RECOTUI_CONFIG=/dev/null/none"
    ours, bare, rss = [], [], []
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        seconds, _rss = first_paint(f"{env} {sys.executable} {bare_script}", "bare app ready")
        bare.append(seconds)
        seconds, mb = first_paint(f"{env} {RECOTUI} --db {args.db}", "     1  ", settle_s=1.0)
        ours.append(seconds)
        rss.append(mb)
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"bare Textual first paint: median {b * 1000:.0f} ms")
    print(f"recotui first queue row:  median {o * 1000:.0f} ms ({o / b:.2f}x bare)")
    print(f"recotui RSS after paint:  median {statistics.median(rss):.0f} MB")


if __name__ == "__main__":
    main()
