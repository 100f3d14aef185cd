"""Two real processes: `recotui server` on a loopback port, and the agent's `recotui` in tmux
syncing with it. The agent works offline while the server is down; nothing is lost."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import time

import httpx
import pytest

from tests.e2e.test_tmux_queue import BOOK, RECOTUI, tmux  # noqa: F401 - fixture
from tests.e2e.test_tmux_workday import ALWAYS_OPEN
from tests.server.conftest import free_port


def start_server(url: str, port: int) -> subprocess.Popen:
    process = subprocess.Popen([str(RECOTUI), "server", "--port", str(port), "--database-url",
                                url], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)  # its workers in its group
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server did not start: {process.stderr.read().decode()}")


def server_promises(path) -> list[tuple]:  # noqa: ANN001
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT amount_minor, status FROM promise").fetchall()


@pytest.mark.e2e
def test_an_agent_syncs_a_promise_made_offline(tmp_path, tmux):  # noqa: F811
    server_db, port = tmp_path / "server.sqlite3", free_port()
    url = f"sqlite:///{server_db}"
    book = tmp_path / "book.csv"
    book.write_text(BOOK, encoding="utf-8")
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run([str(RECOTUI), "server", "import", str(book), "--database-url", url], **run)
    added = subprocess.run([str(RECOTUI), "server", "add-user", "alice", "--role",
                            "supervisor", "--database-url", url], **run)
    token = added.stdout.strip().splitlines()[-1].split()[-1]
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "config.toml").write_text(
        f'server_url = "http://127.0.0.1:{port}"\ntoken = "{token}"\n{ALWAYS_OPEN}\n',
        encoding="utf-8")
    server = start_server(url, port)
    try:
        tmux.start(f"{RECOTUI} --db {tmp_path / 'alice.sqlite3'} --lang fr")
        tmux.wait_for("en ligne", timeout=30)
        tmux.wait_for("Boulangerie")  # the book came with the first pull
        os.killpg(server.pid, signal.SIGKILL)  # the server and its workers, as in a crash
        server.wait()
        tmux.wait_for("hors ligne", timeout=30)
        tmux.keys("Enter")
        tmux.wait_for("Boulangerie Lefèvre SARL ·")
        tmux.keys("p")
        tmux.wait_for("Promesse de paiement")
        tmux.keys("C-s")
        tmux.wait_for("en cours")  # committed locally, offline
        tmux.keys("Escape")
        tmux.wait_for("1 à envoyer", timeout=30)
        assert server_promises(server_db) == []
        server = start_server(url, port)
        tmux.wait_for("en ligne", timeout=90)  # the worker's backoff, at most a minute
        deadline = time.monotonic() + 30
        while not server_promises(server_db) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert server_promises(server_db) == [(845_000, "pending")]
        tmux.keys("C-q")
    finally:
        with contextlib.suppress(ProcessLookupError):  # killed already, if it failed offline
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()
