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


FORM_CHILD = textwrap.dedent("""
    import asyncio, sys, time
    from tests.tui.forms.host import FormHost

    async def main():
        app = FormHost(sys.argv[1], "promise")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press(*"321,09", "enter")
            while app.result == "pending":
                await pilot.pause(0.01)
            print(f"dismissed {app.result}", flush=True)
            time.sleep(60)  # the app and its store still open when it is killed

    asyncio.run(main())
""")


def test_a_promise_confirmed_by_its_form_survives_sigkill(tmp_path):
    from tests.tui.forms.host import build_store

    db = tmp_path / "forms.sqlite3"
    build_store(db)
    child = subprocess.Popen([sys.executable, "-c", FORM_CHILD, str(db)],
                             stdout=subprocess.PIPE, text=True,
                             cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    try:
        line = child.stdout.readline().strip()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert line == "dismissed True"
    con = sqlite3.connect(db)
    assert con.execute("SELECT amount_minor, status FROM promise").fetchall() == [
        (32_109, "pending")]
    assert con.execute("SELECT name FROM outbox").fetchall() == [("case.promise",)]
