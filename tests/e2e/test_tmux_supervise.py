"""The supervisor console in a real terminal: 80x24 one panel at a time, then 160x48 all of
them; a bucket's cases, one case opened, a table written to CSV."""

import subprocess
import time

from tests.e2e.test_tmux_queue import RECOTUI, Tmux, pytestmark, tmux  # noqa: F401


def test_supervise_at_80x24_then_wide(tmp_path, tmux):  # noqa: F811 - the fixture
    db = tmp_path / "demo.sqlite3"
    subprocess.run([str(RECOTUI), "demo", "--size", "300", "--no-open", "--db", str(db)],
                   check=True, capture_output=True)
    tmux.start(f"sh -c 'cd {tmp_path} && exec {RECOTUI} supervise --db {db} --lang fr'")
    tmux.wait_for("Relances PME")
    screen = tmux.wait_for("Avancement des campagnes")  # a panel may paint after the rows
    assert "Agents aujourd'hui" not in screen
    tmux.keys("3")
    screen = tmux.wait_for("EUR non échu")
    tmux.keys("Down", "Enter")  # the 1-30 bucket's cases
    tmux.wait_for("Dossiers ouverts avec une facture en retard de 1-30 jours")
    tmux.keys("Enter")  # the first case
    tmux.wait_for("Historique")  # the case screen
    tmux.keys("Escape")
    tmux.wait_for("Dossiers ouverts avec une facture")
    tmux.keys("Escape")
    tmux.wait_for("EUR non échu")
    tmux.keys("e")
    tmux.wait_for("Écrit")
    assert list(tmp_path.glob("recotui-aging-*.csv"))
    tmux.keys("C-q")
    deadline = time.monotonic() + 10
    while "Console superviseur" in tmux.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "Console superviseur" not in tmux.screen()
    # A wide terminal: every panel at once. (COLUMNS and LINES, when the test runner has
    # them, would pin the app to their size.)
    wide = Tmux(tmp_path)
    try:
        wide.run("new-session", "-d", "-x", "160", "-y", "48",
                 f"env -u COLUMNS -u LINES LANG=fr_FR.UTF-8 TERM=xterm-256color {RECOTUI} "
                 f"supervise --db {db} --lang fr; sleep 5")
        screen = wide.wait_for("Relances PME")
        for title in ("Avancement des campagnes", "Aujourd'hui", "Balance âgée",
                      "Agents aujourd'hui"):
            assert title in screen
        wide.keys("C-q")
    finally:
        wide.close()
