"""The demo book: deterministic, readable through the ORM, and internally consistent."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from recotui.domain.ids import SeededUuid7
from recotui.domain.priority import PriorityInputs, score_case
from recotui.domain.vocab import DISPOSITIONS, NON_PAYMENT_REASONS, ActivityKind, Stage
from recotui.store import demo
from recotui.store.demo import DemoRefused, Generator, build_demo, ctx_for, seeded_hex_ids
from recotui.store.demo_names import TOWNS, luhn_valid
from recotui.store.engine import make_engine, upgrade
from recotui.store.tables import Activity, CollectionCase, Debtor, Invoice, StoreMeta

AS_OF = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 in Paris, in winter
SIZE = 400


def table_hashes(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for table in tables:
            digest = hashlib.sha256()
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
            out[table] = digest.hexdigest()
        return out
    finally:
        conn.close()


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> tuple[Path, demo.DemoSummary]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    summary = build_demo(path, size=SIZE, seed=7, as_of=AS_OF)
    return path, summary


@pytest.fixture(scope="module")
def db(book):
    conn = sqlite3.connect(book[0])
    yield conn
    conn.close()


def scalar(db: sqlite3.Connection, sql: str, *args: object) -> object:
    return db.execute(sql, args).fetchone()[0]


# --- Determinism -----------------------------------------------------------------------------

def test_same_seed_and_date_give_the_same_book(book, tmp_path):
    path, _ = book
    again = tmp_path / "again.sqlite3"
    build_demo(again, size=SIZE, seed=7, as_of=AS_OF)
    assert table_hashes(again) == table_hashes(path)


def test_another_seed_gives_another_book(book, tmp_path):
    other = tmp_path / "other.sqlite3"
    build_demo(other, size=SIZE, seed=8, as_of=AS_OF)
    hashes, base = table_hashes(other), table_hashes(book[0])
    assert hashes["debtor"] != base["debtor"]
    assert hashes["activity"] != base["activity"]


def test_worker_processes_change_nothing_but_speed(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CHUNK", 40)  # 5 parts
    one, two = tmp_path / "one.sqlite3", tmp_path / "two.sqlite3"
    build_demo(one, size=200, seed=3, as_of=AS_OF, workers=1)
    build_demo(two, size=200, seed=3, as_of=AS_OF, workers=2)
    assert table_hashes(one) == table_hashes(two)
    # Parts take their ids from separate ranges: no id is used twice.
    conn = sqlite3.connect(two)
    assert scalar(conn, "SELECT count(DISTINCT id) FROM activity") == scalar(
        conn, "SELECT count(*) FROM activity")
    conn.close()


def test_workers_started_from_a_threaded_process_agree(tmp_path, monkeypatch):
    """With other threads running (as in the TUI) workers come from a fork server."""
    monkeypatch.setattr(demo, "CHUNK", 40)
    one, two = tmp_path / "one.sqlite3", tmp_path / "two.sqlite3"
    build_demo(one, size=120, seed=4, as_of=AS_OF, workers=1)
    methods: list[str] = []
    real = demo._start_method
    monkeypatch.setattr(demo, "_start_method", lambda: methods.append(real()) or methods[-1])
    failures: list[BaseException] = []

    def run() -> None:
        try:
            build_demo(two, size=120, seed=4, as_of=AS_OF, workers=2)
        except BaseException as exc:  # handed to the test thread
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not failures
    assert methods == ["forkserver"]
    assert table_hashes(one) == table_hashes(two)


def test_fast_ids_are_seeded_uuid7_ids():
    ours = seeded_hex_ids(42, 1_700_000_000_000)
    reference = SeededUuid7(42, 1_700_000_000_000)
    # 5000 crosses a millisecond: the counter wraps as SeededUuid7's does.
    assert [next(ours) for _ in range(5000)] == [reference.next_hex() for _ in range(5000)]


# --- The file ----------------------------------------------------------------------------------

def test_summary_counts_match_the_tables(book, db):
    _, summary = book
    for table, count in summary.counts.items():
        assert scalar(db, f'SELECT count(*) FROM "{table}"') == count, table
    assert summary.counts["debtor"] == SIZE
    assert summary.open_balance_minor["EUR"] == scalar(
        db, "SELECT sum(balance_minor) FROM collection_case "
            "WHERE status = 'open' AND currency = 'EUR'")


def test_integrity_and_foreign_keys(db):
    assert scalar(db, "PRAGMA integrity_check") == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_indexes_are_back_and_the_store_is_in_wal(book, db):
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"ix_case_queue", "ix_invoice_aging", "ix_debtor_name",
            "ix_activity_case_time"} <= names
    assert scalar(db, "PRAGMA journal_mode") == "wal"
    plan = " ".join(str(r) for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM collection_case WHERE status = 'open' "
        "ORDER BY priority DESC LIMIT 50"))
    assert "ix_case_queue" in plan


def test_store_meta_marks_a_demo_book(db):
    meta = dict(db.execute("SELECT key, value FROM store_meta"))
    assert meta["demo_seed"] == "7"
    assert meta["demo_size"] == str(SIZE)
    assert meta["demo_as_of"] == "2026-03-10"
    assert len(meta["client_id"]) == 32 and int(meta["client_id"], 16)


def test_reads_back_through_the_orm(book):
    engine = make_engine(book[0])
    try:
        with Session(engine) as session:
            cases = session.exec(select(CollectionCase).limit(20)).all()
            assert cases and all(isinstance(c.id, uuid.UUID) for c in cases)
            case = cases[0]
            assert case.created_at.tzinfo is not None
            assert isinstance(case.priority_factors, list)
            assert isinstance(case.plan_active, bool)
            invoice = session.exec(select(Invoice)).first()
            assert isinstance(invoice.due_date, date) and isinstance(invoice.amount_minor, int)
            assert isinstance(invoice.disputed, bool)
            activity = session.exec(select(Activity).where(Activity.kind == "promise")).first()
            assert isinstance(activity.payload, dict)
            assert uuid.UUID(hex=activity.payload["promise_id"])
            assert activity.client_time.tzinfo is not None
            assert session.get(StoreMeta, "demo_seed").value == "7"
            debtor = session.get(Debtor, case.debtor_id)
            assert debtor is not None and debtor.name
    finally:
        engine.dispose()


# --- Overwriting -------------------------------------------------------------------------------

def test_refuses_to_overwrite_a_real_book(tmp_path):
    real = tmp_path / "real.sqlite3"
    engine = make_engine(real)
    upgrade(engine)
    engine.dispose()
    before = real.read_bytes()
    with pytest.raises(DemoRefused, match="real book"):
        build_demo(real, size=10, as_of=AS_OF)
    assert real.read_bytes() == before


def test_refuses_a_file_that_is_not_a_database(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    with pytest.raises(DemoRefused):
        build_demo(notes, size=10, as_of=AS_OF)
    assert notes.read_text() == "not a database"


def test_rebuilds_over_a_demo_book(tmp_path):
    path = tmp_path / "demo.sqlite3"
    build_demo(path, size=30, seed=1, as_of=AS_OF)
    summary = build_demo(path, size=50, seed=2, as_of=AS_OF)
    conn = sqlite3.connect(path)
    assert scalar(conn, "SELECT count(*) FROM debtor") == 50 == summary.counts["debtor"]
    assert scalar(conn, "SELECT value FROM store_meta WHERE key = 'demo_seed'") == "2"
    conn.close()
    assert not list(tmp_path.glob("*.building*")) and not list(tmp_path.glob(".demo-parts-*"))


def test_an_interrupted_build_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CHUNK", 20)

    def stop(phase: str, done: int, _total: int) -> None:
        if phase == "debtors" and done >= 40:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_demo(tmp_path / "demo.sqlite3", size=200, as_of=AS_OF, workers=2, progress=stop)
    assert list(tmp_path.iterdir()) == []


def test_size_must_be_positive(tmp_path):
    with pytest.raises(ValueError):
        build_demo(tmp_path / "demo.sqlite3", size=0, as_of=AS_OF)


def test_reports_progress_by_phase(tmp_path):
    seen: list[tuple[str, int, int]] = []
    build_demo(tmp_path / "p.sqlite3", size=20, as_of=AS_OF,
               progress=lambda phase, done, total: seen.append((phase, done, total)))
    phases = [p for p, _, _ in seen]
    assert phases[0] == "schema" and ("debtors", 20, 20) in seen
    assert "indexes" in phases and phases[-1] == "analyze"


# --- Consistency -------------------------------------------------------------------------------

def test_case_aggregates_agree_with_invoices(db):
    rows = db.execute("""
        SELECT c.id, c.balance_minor, c.disputed_minor, c.overdue_minor, c.open_invoice_count,
               c.oldest_due_date,
               coalesce(sum(i.open_minor), 0),
               coalesce(sum(CASE WHEN i.disputed THEN i.open_minor END), 0),
               coalesce(sum(CASE WHEN NOT i.disputed AND i.due_date < ? THEN i.open_minor END),
                        0),
               count(CASE WHEN i.open_minor > 0 THEN 1 END),
               min(CASE WHEN i.open_minor > 0 AND NOT i.disputed THEN i.due_date END)
        FROM collection_case c LEFT JOIN invoice i ON i.case_id = c.id
        GROUP BY c.id""", (AS_OF.isoformat(),)).fetchall()
    assert len(rows) >= SIZE
    for case_id, *stored_and_computed in rows:
        stored, computed = stored_and_computed[:5], stored_and_computed[5:]
        assert stored == computed, case_id


def test_invoices_are_plausible(db):
    assert scalar(db, "SELECT count(*) FROM invoice WHERE open_minor < 0 "
                      "OR open_minor > amount_minor") == 0
    assert scalar(db, "SELECT count(*) FROM invoice WHERE julianday(due_date) - "
                      "julianday(issue_date) NOT IN (30, 45, 60)") == 0
    assert scalar(db, "SELECT min(amount_minor) FROM invoice") >= 5_000
    assert scalar(db, "SELECT max(amount_minor) FROM invoice") <= 8_000_000
    assert scalar(db, "SELECT count(*) FROM invoice WHERE issue_date > ?", "2026-03-10") == 0
    assert scalar(db, "SELECT min(issue_date) FROM invoice") >= "2023-03-01"
    assert scalar(db, "SELECT count(*) FROM invoice WHERE status != CASE "
                      "WHEN open_minor = 0 THEN 'paid' WHEN open_minor = amount_minor "
                      "THEN 'open' ELSE 'partial' END") == 0
    assert scalar(db, "SELECT count(*) FROM invoice WHERE number NOT GLOB "
                      "'FA20[0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'") == 0
    statuses = {r[0] for r in db.execute("SELECT DISTINCT status FROM invoice")}
    assert statuses == {"open", "partial", "paid"}
    per_case = scalar(db, "SELECT avg(n) FROM (SELECT count(*) n FROM invoice GROUP BY case_id)")
    assert 2.0 < per_case < 3.2
    spread = db.execute("SELECT min(julianday(?) - julianday(due_date)), "
                        "max(julianday(?) - julianday(due_date)) FROM invoice "
                        "WHERE open_minor > 0", ("2026-03-10", "2026-03-10")).fetchone()
    assert spread[0] <= -40 and spread[1] >= 400


def test_payments_match_their_allocations(db):
    assert db.execute("""
        SELECT p.id FROM payment p JOIN payment_allocation a ON a.payment_id = p.id
        GROUP BY p.id HAVING sum(a.amount_minor) != p.amount_minor""").fetchall() == []
    assert scalar(db, "SELECT count(*) FROM payment p WHERE NOT EXISTS "
                      "(SELECT 1 FROM payment_allocation a WHERE a.payment_id = p.id)") == 0
    # Every part payment is accounted for; fully paid invoices may predate collections.
    assert db.execute("""
        SELECT i.id FROM invoice i LEFT JOIN payment_allocation a ON a.invoice_id = i.id
        WHERE i.status = 'partial'
        GROUP BY i.id HAVING coalesce(sum(a.amount_minor), 0) != i.amount_minor - i.open_minor
    """).fetchall() == []
    assert scalar(db, """SELECT count(*) FROM (SELECT i.id FROM invoice i
        JOIN payment_allocation a ON a.invoice_id = i.id GROUP BY i.id
        HAVING sum(a.amount_minor) > i.amount_minor - i.open_minor)""") == 0
    assert scalar(db, "SELECT count(*) FROM payment p JOIN collection_case c "
                      "ON c.id = p.case_id WHERE p.currency != c.currency") == 0


def test_stages_follow_how_overdue_cases_are(db):
    rows = db.execute("""
        SELECT c.stage, max(julianday(?) - julianday(i.due_date))
        FROM collection_case c JOIN invoice i ON i.case_id = c.id AND i.open_minor > 0
        WHERE c.status = 'open' AND NOT EXISTS
              (SELECT 1 FROM payment_plan p WHERE p.case_id = c.id)
        GROUP BY c.id""", (AS_OF.isoformat(),)).fetchall()
    bounds = {"preventive": (-999, 0), "relance_1": (1, 30), "relance_2": (31, 59),
              "mise_en_demeure": (60, 9999), "contentieux": (120, 9999)}
    for stage, late in rows:
        low, high = bounds[stage]
        assert low <= late <= high, (stage, late)
    assert {r[0] for r in rows} == set(Stage)


def test_closed_cases(db):
    closed = db.execute("SELECT closed_reason, balance_minor, priority, priority_factors "
                        "FROM collection_case WHERE status = 'closed'").fetchall()
    assert 0 < len(closed) < SIZE * 0.1
    assert {r[0] for r in closed} <= {"paid", "settled", "written_off", "bailiff"}
    assert all(balance == 0 for reason, balance, _, _ in closed if reason in ("paid", "settled"))
    assert all(priority == 0 and factors == "[]" for _, _, priority, factors in closed)


def test_promises_plans_disputes_and_callbacks(db):
    pending = db.execute("SELECT due_date FROM promise WHERE status = 'pending'").fetchall()
    assert pending and all("2026-03-10" <= d <= "2026-03-24" for (d,) in pending)
    assert ("2026-03-10",) in pending  # some are due today
    assert scalar(db, "SELECT count(*) FROM promise WHERE status = 'broken' "
                      "AND due_date >= '2026-03-10'") == 0
    assert {r[0] for r in db.execute("SELECT DISTINCT status FROM promise")} == {
        "pending", "broken", "kept"}
    # The case shows its latest pending or broken promise.
    assert db.execute("""
        SELECT c.id FROM collection_case c
        WHERE c.promise_status != coalesce((SELECT p.status FROM promise p
               WHERE p.case_id = c.id AND p.status IN ('pending', 'broken')
               ORDER BY p.created_at DESC LIMIT 1), '')""").fetchall() == []
    assert scalar(db, "SELECT count(*) FROM collection_case c WHERE plan_active != EXISTS "
                      "(SELECT 1 FROM payment_plan p WHERE p.case_id = c.id "
                      "AND p.status = 'active')") == 0
    assert scalar(db, "SELECT count(*) FROM payment_plan p WHERE total_minor != "
                      "(SELECT sum(amount_minor) FROM instalment i WHERE i.plan_id = p.id)") == 0
    assert scalar(db, "SELECT count(*) FROM invoice i WHERE disputed != EXISTS (SELECT 1 FROM "
                      "dispute_invoice di JOIN dispute d ON d.id = di.dispute_id "
                      "WHERE di.invoice_id = i.id AND d.status = 'open')") == 0
    callbacks = [r[0] for r in db.execute(
        "SELECT callback_at FROM collection_case WHERE callback_at IS NOT NULL")]
    now = "2026-03-10 08:00:00"
    assert any(c < now for c in callbacks), "some callbacks are due"
    assert any(now < c < "2026-03-11" for c in callbacks), "some later today"
    assert any(c > "2026-03-11" for c in callbacks), "some in the coming days"


def test_priorities_are_the_domain_score(book):
    engine = make_engine(book[0])
    try:
        with Session(engine) as session:
            cases = session.exec(select(CollectionCase).where(
                CollectionCase.status == "open")).all()
            for case in cases:
                expected = score_case(PriorityInputs(
                    overdue_minor=case.overdue_minor, balance_minor=case.balance_minor,
                    disputed_minor=case.disputed_minor, oldest_due_date=case.oldest_due_date,
                    stage=case.stage, promise_status=case.promise_status,
                    promise_due_date=case.promise_due_date, callback_at=case.callback_at,
                    last_contact_at=case.last_contact_at), NOW)
                assert case.priority == expected.score, case.id
                assert case.priority_factors == expected.as_rows(), case.id
                assert case.priority_as_of == AS_OF
    finally:
        engine.dispose()


def test_refresh_would_change_nothing(book, tmp_path):
    """The store's own refresh recomputes the same aggregates and priorities."""
    from recotui.store.case_state import refresh_cases

    copy = tmp_path / "copy.sqlite3"
    src = sqlite3.connect(book[0])
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    fields = ("balance_minor", "overdue_minor", "disputed_minor", "open_invoice_count",
              "oldest_due_date", "promise_status", "promise_due_date", "plan_active",
              "next_action_at", "priority", "priority_factors")
    engine = make_engine(copy)
    try:
        with Session(engine) as session:
            cases = session.exec(select(CollectionCase)).all()
            before = {c.id: tuple(getattr(c, f) for f in fields) for c in cases}
            refresh_cases(session, list(before), NOW)
            after = {c.id: tuple(getattr(c, f) for f in fields) for c in cases}
            assert after == before
    finally:
        engine.dispose()


def test_histories(db):
    kinds = {r[0] for r in db.execute("SELECT DISTINCT kind FROM activity")}
    # Dials and dispute resolutions are recorded by agents at work, not by the demo.
    assert kinds == set(ActivityKind) - {ActivityKind.DIAL, ActivityKind.DISPUTE_RESOLVED}
    per_case = [r[0] for r in db.execute(
        "SELECT count(a.id) FROM collection_case c LEFT JOIN activity a ON a.case_id = c.id "
        "GROUP BY c.id")]
    assert min(per_case) == 0 and max(per_case) == 12
    assert 3.5 < sum(per_case) / len(per_case) < 6.5
    assert scalar(db, "SELECT count(*) FROM activity WHERE client_time >= ?",
                  "2026-03-10 08:00:00") == 0
    assert scalar(db, "SELECT count(*) FROM activity WHERE server_time != client_time") == 0
    authors = db.execute("SELECT count(DISTINCT author_id) FROM activity "
                         "WHERE kind = 'call'").fetchone()[0]
    assert authors == 8  # every agent
    dispositions = {r[0] for r in db.execute(
        "SELECT DISTINCT json_extract(payload, '$.disposition') FROM activity "
        "WHERE kind = 'call'")}
    assert dispositions == set(DISPOSITIONS)
    reasons = {r[0] for r in db.execute(
        "SELECT DISTINCT json_extract(payload, '$.reason') FROM activity WHERE kind = 'note'")}
    assert reasons <= set(NON_PAYMENT_REASONS) and len(reasons) >= 5
    # last_contact_at is the latest call.
    assert db.execute("""
        SELECT c.id FROM collection_case c WHERE c.last_contact_at IS NOT
        (SELECT max(a.client_time) FROM activity a WHERE a.case_id = c.id AND a.kind = 'call')
    """).fetchall() == []


def test_activity_payloads_point_at_real_rows(db):
    for table, kind, key in (("promise", "promise", "promise_id"),
                             ("payment", "payment", "payment_id"),
                             ("payment_plan", "plan", "plan_id"),
                             ("dispute", "dispute", "dispute_id")):
        facts = scalar(db, "SELECT count(*) FROM activity WHERE kind = ?", kind)
        matched = scalar(db, f'SELECT count(*) FROM activity a JOIN "{table}" t '
                             f"ON t.id = json_extract(a.payload, '$.{key}') WHERE a.kind = ?",
                         kind)
        rows = scalar(db, f'SELECT count(*) FROM "{table}"')
        assert facts == matched == rows, table


def test_debtors_look_french(db):
    debtors = db.execute("SELECT kind, name, legal_id, postcode, city, country, timezone, "
                         "language, number FROM debtor").fetchall()
    companies = [d for d in debtors if d[0] == "company"]
    assert 0.55 < len(companies) / len(debtors) < 0.75
    towns = {(city, code) for city, codes, *_ in TOWNS for code in codes}
    for kind, name, legal_id, postcode, city, country, tz, language, number in debtors:
        assert number.startswith("C") and len(number) == 8
        if country == "FR":
            assert (city, postcode) in towns
            assert language == "fr"
            if kind == "company":
                assert len(legal_id) in (9, 14) and luhn_valid(legal_id), legal_id
                assert luhn_valid(legal_id[:9])
            else:
                assert name.split()[0] in ("M.", "Mme") and legal_id == ""
        else:
            assert (country, tz, language) == ("GB", "Europe/London", "en")
    zones = {d[6] for d in debtors}
    assert "Europe/Paris" in zones and len(zones) >= 3
    assert 0.01 < sum(d[7] == "en" for d in debtors) / len(debtors) < 0.1


def test_contacts(db):
    phones = db.execute("SELECT value, search_key, label FROM debtor_contact "
                        "WHERE kind = 'phone'").fetchall()
    for value, key, label in phones:
        assert key == "".join(ch for ch in value if ch.isdigit())
        assert label in ("mobile", "office", "accounting")
    assert any(v.startswith("+33 6 ") or v.startswith("+33 7 ") for v, _, _ in phones)
    emails = db.execute("SELECT value, search_key FROM debtor_contact "
                        "WHERE kind = 'email'").fetchall()
    assert emails and all(k == v.lower() and "@" in v for v, k in emails)
    per_debtor = db.execute("SELECT min(n), max(n) FROM (SELECT count(*) n FROM debtor_contact "
                            "WHERE kind = 'phone' GROUP BY debtor_id)").fetchone()
    assert per_debtor == (1, 3)
    assert scalar(db, "SELECT count(*) FROM debtor_contact WHERE do_not_call") > 0


def test_users_and_campaigns(db):
    roles = dict(db.execute("SELECT role, count(*) FROM user GROUP BY role"))
    assert roles == {"agent": 8, "supervisor": 2, "admin": 1}
    assert scalar(db, "SELECT count(*) FROM user WHERE username GLOB '*[^a-z]*'") == 0
    campaigns = dict(db.execute("SELECT name, active FROM campaign"))
    assert campaigns == {"Relances PME": 1, "Grands comptes": 1, "Particuliers": 1,
                         "Pré-contentieux": 1, "Été 2025": 0}
    consumers_elsewhere = scalar(db, """
        SELECT count(*) FROM collection_case c JOIN debtor d ON d.id = c.debtor_id
        JOIN campaign k ON k.id = c.campaign_id
        WHERE d.kind = 'consumer' AND k.name NOT IN ('Particuliers', 'Été 2025')""")
    assert consumers_elsewhere == 0
    assigned = scalar(db, "SELECT avg(assigned_agent_id IS NOT NULL) FROM collection_case "
                          "WHERE status = 'open'")
    assert 0.8 < assigned < 0.97
    assert scalar(db, "SELECT count(*) FROM collection_case c JOIN user u "
                      "ON u.id = c.assigned_agent_id WHERE u.role != 'agent'") == 0


def test_foreign_currency_cases(tmp_path):
    path = tmp_path / "fx.sqlite3"
    build_demo(path, size=1500, seed=5, as_of=AS_OF)
    conn = sqlite3.connect(path)
    currencies = dict(conn.execute(
        "SELECT currency, count(*) FROM collection_case GROUP BY currency"))
    assert currencies["EUR"] == 1500 and 3 <= currencies.get("USD", 0) + currencies.get(
        "CHF", 0) <= 40
    assert scalar(conn, "SELECT count(*) FROM invoice i JOIN collection_case c "
                        "ON c.id = i.case_id WHERE i.currency != c.currency") == 0
    conn.close()


def test_lean_histories_are_shorter():
    ctx = ctx_for(7, AS_OF)
    full = Generator(ctx, 0, 0, 300).run()
    lean = Generator(ctx, 0, 0, 300, lean=True).run()
    assert len(lean["activity"]) < 0.8 * len(full["activity"])
    assert len(lean["debtor"]) == len(full["debtor"])


def test_json_text_is_what_json_dumps_writes(db):
    """Payloads are formatted by hand for speed; the text must be json.dumps's own."""
    for (text,) in db.execute("SELECT payload FROM activity"):
        assert json.dumps(json.loads(text)) == text
    for (text,) in db.execute("SELECT priority_factors FROM collection_case"):
        assert json.dumps(json.loads(text)) == text


def test_callback_times_are_iso_in_payloads(db):
    at = scalar(db, "SELECT json_extract(payload, '$.at') FROM activity WHERE kind = 'callback'")
    parsed = datetime.fromisoformat(at)
    assert parsed.utcoffset() == timedelta(0)
