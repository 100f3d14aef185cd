"""Opening a case: push of CaseScreen → the first painted timeline, in the real app run headless.

A store is built with one case holding N activities (1,000 by default) and one with 10. Each
sample pushes a CaseScreen and stops when the timeline has drawn its first line with the
history in it, then waits for that frame to go out. The baseline, in the same run, is a bare
Textual app pushing a screen that composes one Static, until that Static is drawn. Medians of
--repeat runs;
the first run of each is dropped (imports, SQLAlchemy warm-up) and reported apart.

    .venv/bin/python bench/bench_case_open.py --repeat 30
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

FIXED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
KINDS = (
    ("call", {"disposition": "no_answer", "phone": "+33 1 23 45 67 89", "duration_s": 0,
              "note": ""}),
    ("note", {"reason": "cash_flow", "text": "Trésorerie tendue, rappeler la semaine prochaine."}),
    ("call", {"disposition": "right_party", "phone": "+33 1 23 45 67 89", "duration_s": 240,
              "note": "Le gérant promet un virement."}),
    ("promise", {"promise_id": "0" * 32, "amount_minor": 30_000, "currency": "EUR",
                 "due_date": "2026-12-01"}),
    ("letter", {"stage": "relance_1", "channel": "letter"}),
    ("callback", {"at": "2026-11-25T13:00:00+00:00"}),
)


def build(db: Path, sizes: tuple[int, ...]) -> list[uuid.UUID]:
    """One debtor and case per size, each with that many activities."""
    from recotui.domain.book import ContactPoint, DebtorRecord, InvoiceRecord, ParsedBook
    from recotui.domain.ids import uuid7
    from recotui.store.importing import apply_book
    from recotui.store.store import Store
    from recotui.store.tables import Activity, CollectionCase, Debtor, User

    today: date = FIXED.date()
    debtors, invoices = [], []
    for i, _size in enumerate(sizes):
        number = f"B{i:04d}"
        debtors.append(DebtorRecord(number, f"Bench {i} SARL", legal_id="12345678900012",
                                    contacts=(ContactPoint("phone", "office", "+33 1 23 45"),)))
        for k in range(5):
            due = today - timedelta(days=20 + 30 * k)
            invoices.append(InvoiceRecord(number, f"F{i}-{k:03d}", due - timedelta(days=30), due,
                                          50_000 + k * 1234, 50_000 + k * 1234))
    store = Store.open(db)
    try:
        apply_book(store, ParsedBook("bench.csv", "csv", debtors=debtors, invoices=invoices))
        agent = User(username="agent", display_name="Alice Moreau", created_at=FIXED)
        ids = []
        with store.transaction() as session:
            session.add(agent)
            for i, size in enumerate(sizes):
                case_id = session.exec(
                    CollectionCase.__table__.select()  # type: ignore[attr-defined]
                    .with_only_columns(CollectionCase.id)
                    .join(Debtor, Debtor.id == CollectionCase.debtor_id)
                    .where(Debtor.number == f"B{i:04d}")).scalar_one()
                ids.append(case_id)
                for n in range(size):
                    kind, payload = KINDS[n % len(KINDS)]
                    session.add(Activity(id=uuid7(), case_id=case_id, kind=kind,
                                         author_id=agent.id,
                                         client_time=FIXED - timedelta(hours=3 + 7 * n),
                                         payload=payload))
        return ids
    finally:
        store.close()


async def frame_out(app: App) -> None:
    painted = asyncio.get_running_loop().create_future()
    app.call_after_refresh(painted.set_result, None)
    await painted


async def bench_case(db: Path, case_id: uuid.UUID, repeat: int) -> tuple[float, list[float]]:
    from recotui.app import RecoApp
    from recotui.config import Settings
    from recotui.screens.case import CaseScreen
    from recotui.widgets.timeline import Timeline

    first_paint: list[float] = []
    render_line = Timeline.render_line

    def spy(self, y):  # noqa: ANN001, ANN202
        if self.row_count and not first_paint:
            first_paint.append(time.perf_counter())
        return render_line(self, y)

    Timeline.render_line = spy  # type: ignore[method-assign]
    app = RecoApp(Settings(db=db, language="fr"), clock=lambda: FIXED)
    samples: list[float] = []
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.3)
            app.store  # noqa: B018 - wait for the store the app opens in the background
            for _ in range(repeat + 1):
                first_paint.clear()
                start = time.perf_counter()
                screen = CaseScreen(case_id)
                await app.push_screen(screen)
                while not first_paint:
                    await asyncio.sleep(0.0002)
                await frame_out(app)
                samples.append(first_paint[0] - start)
                assert screen.query_one(Timeline).row_count > 0
                await app.pop_screen()
                await app.workers.wait_for_complete()  # the rest of the history, if any
                await pilot.pause()
    finally:
        Timeline.render_line = render_line  # type: ignore[method-assign]
    return samples[0], samples[1:]


class Marker(Static):
    painted: list[float] = []

    def render(self):  # noqa: ANN201
        if not Marker.painted:
            Marker.painted.append(time.perf_counter())
        return super().render()


class Bare(App):
    pass


async def bench_bare(repeat: int) -> tuple[float, list[float]]:
    """A bare Textual app: push a screen that composes one Static, until the Static paints."""

    class OneStatic(Screen):
        def compose(self):  # noqa: ANN202
            yield Marker("a case")

    app, samples = Bare(), []
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(repeat + 1):
            Marker.painted.clear()
            start = time.perf_counter()
            await app.push_screen(OneStatic())
            while not Marker.painted:
                await asyncio.sleep(0.0002)
            await frame_out(app)
            samples.append(Marker.painted[0] - start)
            await app.pop_screen()
            await pilot.pause()
    return samples[0], samples[1:]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("TZ", "UTC")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        big, small = build(db, (args.activities, 10))
        bare_first, bare = asyncio.run(bench_bare(args.repeat))
        big_first, big_runs = asyncio.run(bench_case(db, big, args.repeat))
        small_first, small_runs = asyncio.run(bench_case(db, small, args.repeat))
    bare_median = statistics.median(bare)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; {args.repeat} runs, medians (first run apart)")
    print(f"bare Textual screen push → Static painted: {ms(bare_median)}  "
          f"(first {ms(bare_first)})")
    for label, first, runs in (
            (f"case with {args.activities:,} activities → timeline painted:", big_first, big_runs),
            ("case with 10 activities → timeline painted:   ", small_first, small_runs)):
        median = statistics.median(runs)
        print(f"{label} {ms(median)}  (first {ms(first)}, p90 "
              f"{ms(sorted(runs)[int(len(runs) * 0.9) - 1])}, {median / bare_median:.1f}x bare)")


if __name__ == "__main__":
    main()
