"""Writers of several processes on one SQLite file take turns on an flock of `<file>-writer`,
and wait for it as long as it takes, not SQLite's 5 s busy timeout."""

from __future__ import annotations

import fcntl
import multiprocessing
import threading
import time

from recotui.store.store import Store
from recotui.store.tables import StoreMeta


def _hold_the_turn(path: str, held, release) -> None:  # noqa: ANN001
    store = Store.open(path)
    with store.transaction() as session:
        session.merge(StoreMeta(key="holder", value="first"))
        session.flush()
        held.set()
        release.wait(30)
    store.close()


def test_the_turn_is_held_for_the_whole_transaction(tmp_path):
    store = Store.open(tmp_path / "book.sqlite3")
    probe = open(f"{tmp_path / 'book.sqlite3'}-writer", "a+b")  # noqa: SIM115
    try:
        with store.transaction():
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                raise AssertionError("the turn was free during a transaction")
            except BlockingIOError:
                pass
            with store.writer:  # re-entrant in one thread
                pass
            try:  # still held after the inner turn
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                raise AssertionError("the inner turn let the file go")
            except BlockingIOError:
                pass
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once committed
        fcntl.flock(probe, fcntl.LOCK_UN)
    finally:
        probe.close()
        store.close()


def test_a_second_process_waits_its_turn_beyond_the_busy_timeout(tmp_path):
    path = str(tmp_path / "book.sqlite3")
    store = Store.open(path)  # before: opening writes the store's client id
    ctx = multiprocessing.get_context("spawn")
    held, release = ctx.Event(), ctx.Event()
    first = ctx.Process(target=_hold_the_turn, args=(path, held, release))
    first.start()
    try:
        assert held.wait(30)
        # Let the first go after SQLite's busy timeout (5 s) would have given up.
        started = time.monotonic()
        releaser = threading.Timer(5.5, release.set)
        releaser.start()
        with store.transaction() as session:
            assert session.get(StoreMeta, "holder").value == "first"
            session.merge(StoreMeta(key="holder", value="second"))
        assert 5.0 <= time.monotonic() - started < 20
        with store.transaction() as session:
            assert session.get(StoreMeta, "holder").value == "second"
    finally:
        release.set()
        first.join(30)
        store.close()
    assert first.exitcode == 0
