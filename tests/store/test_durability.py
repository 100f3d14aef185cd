"""A confirmed action survives kill -9 of the process that confirmed it."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

from recotui.store.importing import apply_book
from recotui.store.store import Store
from tests.store.conftest import small_book

CHILD = textwrap.dedent("""
    import sys, time
    from sqlmodel import Session, select
    from recotui.store import actions
    from recotui.store.store import Store
    from recotui.store.tables import CollectionCase
    store = Store.open(sys.argv[1])
    with Session(store.engine) as session:
        case_id = session.exec(select(CollectionCase.id)).first()
    for n in range(5):
        actions.add_note(store, case_id, None, reason="cash_flow", text=f"note {n}")
        print(f"confirmed {n}", flush=True)
    time.sleep(60)  # still holding the store open when it is killed
""")


def test_confirmed_notes_survive_sigkill(tmp_path):
    db = tmp_path / "book.sqlite3"
    store = Store.open(db)
    apply_book(store, small_book())
    store.close()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db)], stdout=subprocess.PIPE,
                             text=True)
    confirmed = [child.stdout.readline().strip() for _ in range(5)]
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert confirmed[-1] == "confirmed 4"
    con = sqlite3.connect(db)
    notes = [row[0] for row in con.execute(
        "SELECT json_extract(payload, '$.text') FROM activity ORDER BY client_time")]
    assert notes == [f"note {n}" for n in range(5)]
    assert con.execute("SELECT COUNT(*) FROM outbox").fetchone() == (5,)
