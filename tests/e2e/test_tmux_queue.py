"""Drives the installed `recotui` in a real terminal (tmux), as a person would."""

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

RECOTUI = Path(sys.executable).with_name("recotui")
BOOK = """debtor_number;debtor_name;invoice_number;issue_date;due_date;amount
C1;Boulangerie Lefèvre SARL;F1;2025-01-10;2025-02-09;8 450,00
C2;Garage du Centre SAS;F2;2026-09-01;2026-10-01;120,00
"""


class Tmux:
    def __init__(self, tmp_path: Path) -> None:
        self.socket = f"recotui-e2e-{uuid.uuid4().hex[:8]}"
        self.tmp_path = tmp_path

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True,
                              capture_output=True, text=True).stdout

    def start(self, command: str) -> None:
        env = (f"env RECOTUI_CONFIG_DIR={self.tmp_path}/cfg RECOTUI_DATA_DIR={self.tmp_path}"
               f"/data LANG=fr_FR.UTF-8 TERM=xterm-256color")
        self.run("new-session", "-d", "-x", "80", "-y", "24", f"{env} {command}; sleep 5")

    def screen(self) -> str:
        return self.run("capture-pane", "-p")

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline, screen = time.monotonic() + timeout, ""
        while time.monotonic() < deadline:
            try:
                screen = self.screen()
            except subprocess.CalledProcessError:  # the app quit and its pane closed
                break
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the last screen was:\n{screen}")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", *keys)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def tmux(tmp_path):
    session = Tmux(tmp_path)
    yield session
    session.close()


def test_import_then_work_the_queue_in_a_terminal(tmp_path, tmux):
    book, db = tmp_path / "book.csv", tmp_path / "book.sqlite3"
    book.write_text(BOOK, encoding="utf-8")
    subprocess.run([str(RECOTUI), "import", str(book), "--db", str(db)], check=True,
                   capture_output=True)
    tmux.start(f"{RECOTUI} --db {db} --lang fr")
    # The title and the rows are painted in separate refreshes: wait for the last of them.
    tmux.wait_for("File · 2 dossiers")
    screen = tmux.wait_for("Garage du Centre")
    lines = screen.splitlines()
    first = next(i for i, line in enumerate(lines) if "Boulangerie" in line)
    assert "8\u202f450,00" in lines[first] and "Garage du Centre" in lines[first + 1]
    tmux.keys("?")
    tmux.wait_for("Retard le plus ancien")
    tmux.keys("Escape")
    time.sleep(0.3)
    assert "Retard le plus ancien" not in tmux.screen()
    tmux.keys("C-q")
    deadline = time.monotonic() + 10
    while "File ·" in tmux.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "File ·" not in tmux.screen()  # the app quit and gave the terminal back
