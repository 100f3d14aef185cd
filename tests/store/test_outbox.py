"""The outbox under two writers: each Store stands for a process with its own connection."""

import threading

from sqlmodel import Session, col, select

from recotui.store import actions
from recotui.store.store import Store
from recotui.store.tables import Outbox

PER_WRITER = 25


def test_two_writers_on_one_file_keep_ids_rising_by_one(book_store, tmp_path):
    other = Store.open(book_store.engine.url.database)
    case_id = actions_case(book_store)
    errors = []

    def write(store, tag):
        try:
            for n in range(PER_WRITER):
                actions.add_note(store, case_id, None, reason="cash_flow", text=f"{tag} {n}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s, t))
               for s, t in ((book_store, "a"), (other, "b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.close()
    assert errors == []
    with Session(book_store.engine) as session:
        ids = session.exec(select(Outbox.mutation_id).order_by(col(Outbox.mutation_id))).all()
    assert ids == list(range(1, 2 * PER_WRITER + 1))


def test_enqueue_sets_the_id_on_flush(book_store):
    case_id = actions_case(book_store)
    actions.add_note(book_store, case_id, None, reason="cash_flow", text="one")
    activity = actions.add_note(book_store, case_id, None, reason="cash_flow", text="two")
    with Session(book_store.engine) as session:
        last = session.exec(select(Outbox).order_by(col(Outbox.mutation_id).desc())).first()
    assert last.mutation_id == 2 and last.args["activity_id"] == activity.id.hex


def actions_case(store):
    from recotui.store.tables import CollectionCase

    with Session(store.engine) as session:
        return session.exec(select(CollectionCase.id)).first()
