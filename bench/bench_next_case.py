"""Key press `n` → the next case rendered, in the real app run headless.

Each sample runs the action bound to `n` on a case screen and waits until the next case's
view is loaded and painted. The baseline, in the same run, is a bare Textual app pushing a
one-line screen from its key's action, measured the same way.

    python bench/bench_next_case.py --db /tmp/demo1m.sqlite3 --repeat 30 [--dwell 1.0]

An agent spends seconds on a case before `n`; meanwhile the case screen reads the next case
ahead. `--dwell 0` presses `n` back to back, which leaves no time for that.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from recotui.app import RecoApp
from recotui.config import Settings

ALWAYS_OPEN = {"hours": {d: "00:00-23:59" for d in ("mon", "tue", "wed", "thu", "fri", "sat",
                                                      "sun")}}


async def wait_until(app: App, done) -> None:  # noqa: ANN001
    while not done():
        await asyncio.sleep(0.0005)
    painted = asyncio.get_running_loop().create_future()
    app.call_after_refresh(painted.set_result, None)  # the frame with it is out
    await painted


async def bench_ours(db: str, repeat: int, dwell: float) -> list[float]:  # noqa: C901
    from recotui.screens.case import CaseScreen

    app = RecoApp(Settings(db=db, language="fr", contact_policy=ALWAYS_OPEN))
    samples = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        for _ in range(repeat + 1):
            await asyncio.sleep(dwell)  # the agent on the case: the next one is read ahead
            before = app.screen
            shown = before.view.id if isinstance(before, CaseScreen) and before.view else None
            start = time.perf_counter()
            await before.run_action("next_case" if isinstance(before, CaseScreen)
                                    else "app.next_case")
            # The case screen is reused (show_case): done once it shows another case.
            await wait_until(app, lambda s=shown: isinstance(app.screen, CaseScreen)
                             and app.screen.view is not None and app.screen.view.id != s)
            samples.append(time.perf_counter() - start)
    return samples[1:]  # the first opens from the queue and loads SQLAlchemy


class Bare(App):
    BINDINGS = [("n", "next", "Next")]

    def action_next(self) -> None:
        screen = Screen()
        self.push_screen(screen)
        screen.mount(Static("a case"))


async def bench_bare(repeat: int) -> list[float]:
    app, samples = Bare(), []
    async with app.run_test(size=(80, 24)):
        for _ in range(repeat):
            before = app.screen
            start = time.perf_counter()
            app.action_next()
            await wait_until(app, lambda b=before: app.screen is not b)
            samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--dwell", type=float, default=1.0,
                        help="seconds on each case before `n` (0: back to back, no read-ahead)")
    args = parser.parse_args()
    bare = asyncio.run(bench_bare(args.repeat))
    ours = asyncio.run(bench_ours(args.db, args.repeat, args.dwell))
    print(f"bare Textual screen push:   median {statistics.median(bare) * 1000:.1f} ms")
    print(f"n → next case rendered:     median {statistics.median(ours) * 1000:.1f} ms, "
          f"p95 {sorted(ours)[int(len(ours) * 0.95) - 1] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
