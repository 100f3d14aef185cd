"""The agent's loop in a real terminal: open → promise → next → quit (or kill -9)."""

import os
import signal
import sqlite3
import subprocess
import time

import pytest

from tests.e2e.test_tmux_queue import BOOK, RECOTUI, tmux  # noqa: F401 - fixture

ALWAYS_OPEN = "\n".join(
    ["[contact_policy.hours]"]
    + [f'{day} = "00:00-23:59"' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")])


def start_on_book(tmp_path, tmux):  # noqa: F811
    book, db = tmp_path / "book.csv", tmp_path / "book.sqlite3"
    book.write_text(BOOK, encoding="utf-8")
    subprocess.run([str(RECOTUI), "import", str(book), "--db", str(db)], check=True,
                   capture_output=True)
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "config.toml").write_text(ALWAYS_OPEN + "\n", encoding="utf-8")
    tmux.start(f"{RECOTUI} --db {db} --lang fr")
    tmux.wait_for("Boulangerie")
    return db


def promise_then_next(tmux) -> None:  # noqa: F811
    tmux.keys("Enter")  # the top case: Boulangerie, 8 450,00 overdue
    tmux.wait_for("Boulangerie Lefèvre SARL ·")
    tmux.keys("p")
    tmux.wait_for("Promesse de paiement")
    tmux.keys("C-s")  # the form offers the overdue amount, a week from today
    tmux.wait_for("en cours")  # shown once its transaction has committed
    screen = tmux.wait_for("Historique · 1")  # the history may paint a refresh later
    assert "Promesse de paiement" not in screen
    tmux.keys("n")
    tmux.wait_for("Garage du Centre SAS ·")


def promises_in(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        promises = conn.execute("SELECT amount_minor, status FROM promise").fetchall()
        outbox = conn.execute("SELECT name FROM outbox").fetchall()
    return promises, outbox


@pytest.mark.e2e
def test_open_promise_next_quit(tmp_path, tmux):  # noqa: F811
    db = start_on_book(tmp_path, tmux)
    promise_then_next(tmux)
    tmux.keys("C-q")
    deadline = time.monotonic() + 10
    while "Garage du Centre" in tmux.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    promises, outbox = promises_in(db)
    assert promises == [(845_000, "pending")]
    assert ("case.promise",) in outbox


@pytest.mark.e2e
def test_a_confirmed_promise_survives_kill_9(tmp_path, tmux):  # noqa: F811
    db = start_on_book(tmp_path, tmux)
    promise_then_next(tmux)
    pid = int(tmux.run("list-panes", "-F", "#{pane_pid}").split()[0])
    app = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    for child in app.split() or [str(pid)]:
        os.kill(int(child), signal.SIGKILL)
    promises, outbox = promises_in(db)
    assert promises == [(845_000, "pending")]
    assert ("case.promise",) in outbox
