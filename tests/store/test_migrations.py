import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory

from recotui.store.engine import alembic_config, current_revision, make_engine, upgrade
from recotui.store.migrations import HEAD_REVISION
from recotui.store.store import Store


def test_head_constant_matches_alembic():
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_a_store_made_by_an_older_version_upgrades_without_loss(tmp_path: Path):
    db = tmp_path / "old.sqlite3"
    engine = make_engine(db)
    upgrade(engine, "0001")  # the schema as the first release made it
    engine.dispose()
    con = sqlite3.connect(db)
    con.execute(
        "INSERT INTO debtor (id, number, kind, name, legal_id, address, postcode, city, country,"
        " timezone, language, do_not_call, contact_consent, created_at) VALUES"
        " ('01a200000000700080000000000000aa', 'C9', 'company', 'Ancienne SA', '', '', '', '',"
        " 'FR', 'Europe/Paris', 'fr', 0, 1, '2026-01-01 10:00:00.000000')")
    con.commit()
    assert "import_run" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()

    store = Store.open(db)  # opening upgrades
    assert current_revision(store.engine) == HEAD_REVISION
    store.close()
    con = sqlite3.connect(db)
    assert con.execute("SELECT name FROM debtor WHERE number = 'C9'").fetchone() == ("Ancienne SA",)
    assert "import_run" in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}


def test_store_pragmas(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_client_id_is_stable(tmp_path):
    first = Store.open(tmp_path / "s.sqlite3")
    client_id = first.client_id
    first.close()
    again = Store.open(tmp_path / "s.sqlite3")
    assert again.client_id == client_id
    again.close()


def test_an_analysed_store_gets_statistics_for_the_new_indexes(tmp_path: Path):
    """Without them the planner took ix_case_burn for the queue and sorted every case."""
    db = tmp_path / "analysed.sqlite3"
    engine = make_engine(db)
    upgrade(engine, "0003")
    engine.dispose()
    con = sqlite3.connect(db)
    for n in range(20):
        debtor = f"{n:032x}"
        _insert(con, "debtor", id=debtor, number=f"C{n}")
        _insert(con, "collection_case", id=f"{n + 100:032x}", debtor_id=debtor, status="open")
    con.commit()
    con.execute("ANALYZE")
    con.close()
    Store.open(db).close()
    con = sqlite3.connect(db)
    indexes = {row[0] for row in con.execute("SELECT idx FROM sqlite_stat1")}
    plan = " ".join(row[-1] for row in con.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM collection_case WHERE status = 'open' "
        "ORDER BY priority DESC, id DESC LIMIT 50"))
    con.close()
    assert "ix_case_burn" in indexes  # (empty tables and partial indexes get no row)
    assert "ix_case_queue" in plan and "TEMP B-TREE" not in plan


def _insert(con: sqlite3.Connection, table: str, **given: object) -> None:
    """A row with the given values and a plain one in every other required column."""
    values = dict(given)
    for _cid, name, kind, notnull, default, _pk in con.execute(f"PRAGMA table_info({table})"):
        if name not in values and notnull and default is None:
            values[name] = 0 if kind.upper() in ("INTEGER", "BIGINT", "BOOLEAN") else (
                "2026-01-01 00:00:00.000000" if "DATE" in kind.upper() else "x")
    columns = ", ".join(values)
    con.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(values))})",
                list(values.values()))
