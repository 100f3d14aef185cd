"""Every console and report figure against the hand-worked book of supervisor_fixture."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from sqlmodel import Session

from recotui.report_supervisor import ReportError, build, render
from recotui.store import supervisor_reads as reads
from tests.store.supervisor_fixture import NOW, D
from tests.store.supervisor_fixture import build as build_book


@pytest.fixture
def fixture(store):
    return build_book(store)


@pytest.fixture
def session(store, fixture):
    with Session(store.engine) as opened:
        yield opened


def console(session, stats: bool = True):
    if stats:
        return reads.console(session, NOW, {"EUR": 100_000})
    with mock.patch.object(reads, "has_stats", lambda _session: False):
        return reads.console(session, NOW, {"EUR": 100_000})


@pytest.mark.parametrize("stats", [True, False], ids=["aggregates", "base-tables"])
def test_console_figures(session, fixture, stats):
    c = console(session, stats)
    burn = {b.name: b for b in c.campaigns}
    # Paris: A (held: promise due D+5) and C; both worked today. Lyon: B, worked today.
    assert (burn["Paris"].open, burn["Paris"].worked, burn["Paris"].blocked,
            burn["Paris"].remaining) == (2, 2, 1, 1)
    assert (burn["Lyon"].open, burn["Lyon"].worked, burn["Lyon"].blocked,
            burn["Lyon"].remaining) == (1, 1, 0, 1)
    assert set(burn) == {"Paris", "Lyon"}
    [money] = c.money
    assert (money.currency, money.promised, money.collected, money.target) == \
        ("EUR", 40_000, 10_000, 100_000)
    assert (c.kept, c.broken_count, c.kept_rate) == (1, 1, 0.5)
    [broken] = c.broken
    assert (broken.debtor, broken.agent, broken.amount, broken.due_date) == \
        ("Mme Carla Diaz", "ann", 5_000, D - timedelta(days=3))
    [aging] = c.aging
    assert aging.buckets == {"not_due": 20_000, "1-30": 30_000, "31-60": 100_000, "61-90": 0,
                             "91-180": 40_000, "181+": 0}
    assert aging.total == 190_000
    agents = {a.name: a for a in c.agents}
    assert set(agents) == {"Ann", "Bob"}  # sue is a supervisor with no facts
    ann, bob = agents["Ann"], agents["Bob"]
    assert (ann.calls, ann.right_party, ann.call_seconds, ann.cases_worked) == (2, 1, 330, 2)
    assert (ann.promises, ann.promised, ann.collected) == (1, {"EUR": 40_000}, {})
    assert ann.logged_hours == 1.0 and ann.calls_per_hour == 2.0  # 09:00-10:00
    assert ann.rpc_rate == 0.5 and ann.handle_s == 165
    assert ann.status == "away" and ann.last_action_at.hour == 10  # 5 h ago
    assert ann.spark == (0, 0, 0, 0, 0, 1, 2)
    assert (bob.calls, bob.right_party, bob.call_seconds, bob.cases_worked) == (1, 1, 600, 1)
    assert (bob.promises, bob.promised, bob.collected) == (0, {}, {"EUR": 10_000})
    assert bob.logged_hours == 1.0  # 14:00-14:10, floored at an hour
    assert bob.status == "idle"  # 50 min since 14:10
    assert bob.spark == (0, 0, 0, 0, 0, 0, 1)


def test_the_aggregates_agree_with_the_base_tables(session):
    assert console(session, True) == console(session, False)


def test_aggregates_follow_a_case_replaced_by_a_pull(store, fixture):
    """A replica replaces a case's rows (delete, insert): the triggers undo and redo."""
    from recotui.store.snapshot import export_cases, remove_cases, replace_cases

    ids = [fixture.cases["A"], fixture.cases["B"]]
    with Session(store.engine) as session:
        before = console(session)
        tables = export_cases(session.connection(), ids)
    with store.transaction() as session:
        remove_cases(session.connection(), ids)
    with Session(store.engine) as session:
        gone = console(session)
        assert gone == console(session, False)
        assert {a.name: a.calls for a in gone.agents} == {"Ann": 1, "Bob": 0}
        assert gone.aging[0].total == 30_000  # C1 alone
    with store.transaction() as session:
        replace_cases(session.connection(), ids, tables)
    with Session(store.engine) as session:
        assert console(session) == before
        assert console(session, False) == before


def test_drill_down_lists_the_cases_behind_a_figure(session, fixture):
    def numbers(what, key):
        return sorted(line.number for line in reads.drill(session, what, key, NOW))

    assert numbers("agent", fixture.users["ann"].hex) == ["A", "C"]
    assert numbers("agent", fixture.users["bob"].hex) == ["B"]
    assert numbers("campaign", fixture.campaigns["Paris"].hex) == ["A", "C"]
    assert numbers("campaign", "") == []
    assert numbers("bucket", "91-180") == ["B"]
    assert numbers("bucket", "31-60") == ["A"]
    assert numbers("bucket", "not_due") == ["B"]
    assert numbers("bucket", "181+") == []
    assert numbers("promised", "") == ["A"]
    assert numbers("collected", "") == ["B"]
    with pytest.raises(ValueError):
        reads.drill(session, "bucket", "999", NOW)


def test_activity_report(session):
    report = build(session, "activity", D - timedelta(days=6), D)
    days = {row["day"]: row for row in report["days"]}
    assert days[str(D)]["call"] == 3 and days[str(D)]["conversation"] == 2
    assert days[str(D)]["promise"] == 1 and days[str(D)]["payment"] == 1
    assert days[str(D - timedelta(days=1))]["call"] == 1
    assert days[str(D - timedelta(days=2))]["promise"] == 1
    assert report["totals"]["call"] == 4 and report["totals"]["promise"] == 2
    assert str(D - timedelta(days=20)) not in days  # the assignments, before the period


def test_agents_report(session):
    report = build(session, "agents", D - timedelta(days=6), D, now=NOW)
    rows = {a["agent"]: a for a in report["agents"]}
    ann, bob = rows["Ann"], rows["Bob"]
    # ann: calls D-1 (voicemail 60 s), D (300 s right party, 30 s no answer): 2 days of 1 h
    assert (ann["calls"], ann["cases_worked"], ann["logged_hours"]) == (3, 2, 2.0)
    assert ann["calls_per_hour"] == 1.5 and ann["right_party_rate"] == 0.3333
    assert ann["average_handle_s"] == 130.0
    assert (ann["promises"], ann["promised"], ann["collected"]) == (1, {"EUR": "400.00"}, {})
    # bob: the promise on D-2 and the call and payment on D
    assert (bob["calls"], bob["promises"], bob["logged_hours"]) == (1, 1, 2.0)
    assert bob["calls_per_hour"] == 0.5 and bob["right_party_rate"] == 1.0
    assert bob["promised"] == {"EUR": "100.00"} and bob["collected"] == {"EUR": "100.00"}


def test_promises_report(session):
    [eur] = build(session, "promises", D - timedelta(days=10), D)["currencies"]
    assert eur == {"currency": "EUR", "made": 3, "amount": "550.00", "pending": 1, "kept": 1,
                   "broken": 1, "cancelled": 0, "kept_amount": "100.00",
                   "broken_amount": "50.00", "paid_amount": "100.00", "kept_rate": 0.5}
    [only_d] = build(session, "promises", D, D)["currencies"]
    assert (only_d["made"], only_d["pending"], only_d["kept_rate"]) == (1, 1, None)


def test_dso_by_countback(session):
    [eur] = build(session, "dso", D, D)["currencies"]
    # 1 900.00 open: March 1-10 (sales 200) 10 d, Feb (300) 28 d, Jan (1 000) 31 d,
    # Dec and Nov (no sales) 61 d, then 400 of October's 500: 31 x 0.8 = 24.8 d.
    assert eur["receivables"] == "1900.00"
    assert eur["dso_days"] == 154.8
    assert [m["month"] for m in eur["months"][:3]] == ["2026-03", "2026-02", "2026-01"]
    assert eur["months"][0]["days"] == 10 and eur["months"][0]["sales"] == "200.00"


def test_aging_report_by_campaign(session):
    [paris] = build(session, "aging", D, D, "Paris")["totals"]
    assert paris["buckets"]["31-60"] == "1000.00" and paris["buckets"]["1-30"] == "300.00"
    assert paris["total"] == "1300.00"
    [lyon] = build(session, "aging", D, D, "Lyon")["totals"]
    assert lyon["total"] == "600.00"


def test_reports_by_campaign(session):
    rows = build(session, "agents", D, D, "Lyon", now=NOW)["agents"]
    assert [(a["agent"], a["calls"]) for a in rows] == [("Bob", 1)]
    activity = build(session, "activity", D, D, "Paris")
    assert activity["totals"]["call"] == 2 and activity["totals"]["payment"] == 0
    with pytest.raises(ReportError):
        build(session, "dso", D, D, "Nowhere")


@pytest.mark.parametrize("name", ["aging", "activity", "agents", "promises", "dso"])
def test_every_report_renders_as_table_csv_and_json(session, name):
    import csv
    import io
    import json

    report = build(session, name, D - timedelta(days=6), D, now=NOW)
    assert json.loads(render(report, "json")) == report
    rows = list(csv.reader(io.StringIO(render(report, "csv"))))
    assert len(rows) >= 2 and len({len(r) for r in rows}) == 1
    table = render(report, "table")
    assert table.splitlines()[2].startswith("---")
