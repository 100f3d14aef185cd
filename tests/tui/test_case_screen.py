"""The case screen: debtor card, contact policy, invoices, commitments, history, action keys.

The book is written with the real store actions at fixed times around FIXED, and the app runs
on a fixed clock, so what the screen shows is the same on every run.
"""

from __future__ import annotations

import shutil
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest
from sqlmodel import Session, col, select
from textual.screen import ModalScreen
from textual.widgets import Static

from recotui.app import RecoApp
from recotui.config import Settings
from recotui.domain.book import ContactPoint, DebtorKind, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.domain.ids import uuid7
from recotui.screens.case import CaseScreen, EntryDetail
from recotui.store import actions
from recotui.store.importing import apply_book
from recotui.store.store import Store
from recotui.store.tables import Activity, CollectionCase, Debtor, Invoice, User
from recotui.widgets.commitments import Commitments
from recotui.widgets.contact_status import ContactStatus
from recotui.widgets.debtor_card import DebtorCard
from recotui.widgets.invoice_list import InvoiceList
from recotui.widgets.timeline import Timeline
from tests.tui.conftest import settle

FIXED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Paris
TODAY = FIXED.date()
ECB_2026_H2 = {"2026-H2": "2.15"}


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch):
    """Activity times show in the agent's local zone: make it UTC for stable screens."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@contextmanager
def at(moment: datetime):
    """Store actions record `moment` as their time."""
    with mock.patch("recotui.store.actions.now_utc", lambda: moment), \
            mock.patch("recotui.store.importing.now_utc", lambda: moment):
        yield


def days(n: float, hour: int = 9) -> datetime:
    return (FIXED + timedelta(days=n)).replace(hour=hour)


def case_book() -> ParsedBook:
    dupont = DebtorRecord(
        "C0042", "Boulangerie Dupont SARL", legal_id="12345678900012",
        contacts=(ContactPoint("phone", "office", "+33 1 23 45 67 89"),
                  ContactPoint("phone", "mobile", "+33 6 12 34 56 78"),
                  ContactPoint("email", "accounting", "compta@dupont.example")),
        city="Lyon")
    martin = DebtorRecord("C0043", "Mme Claire Martin", kind=DebtorKind.CONSUMER,
                          contacts=(ContactPoint("phone", "mobile", "+33 6 98 76 54 32"),))
    invoices = [
        InvoiceRecord("C0042", "F-2026-101", TODAY - timedelta(days=125),
                      TODAY - timedelta(days=95), 120_000, 120_000),
        InvoiceRecord("C0042", "F-2026-117", TODAY - timedelta(days=70),
                      TODAY - timedelta(days=40), 85_000, 45_000),
        InvoiceRecord("C0042", "F-2026-130", TODAY - timedelta(days=50),
                      TODAY - timedelta(days=20), 68_000, 68_000),
        InvoiceRecord("C0042", "F-2026-142", TODAY - timedelta(days=20),
                      TODAY + timedelta(days=10), 32_000, 32_000),
        InvoiceRecord("C0043", "F-2026-150", TODAY - timedelta(days=60),
                      TODAY - timedelta(days=30), 9_900, 9_900),
    ]
    return ParsedBook("case.csv", "csv", debtors=[dupont, martin], invoices=invoices)


def add_users(store: Store) -> tuple[uuid.UUID, uuid.UUID]:
    alice = User(username="alice", display_name="Alice Moreau", created_at=FIXED)
    bruno = User(username="bruno", display_name="Bruno Petit", role="supervisor",
                 created_at=FIXED)
    with store.transaction() as session:
        session.add_all([alice, bruno])
    return alice.id, bruno.id


def case_of(store: Store, number: str) -> uuid.UUID:
    with Session(store.engine) as session:
        return session.exec(select(CollectionCase.id).join(Debtor)
                            .where(col(Debtor.number) == number)).one()


def build_case_store(db: Path) -> uuid.UUID:
    """Boulangerie Dupont: four invoices (one disputed, one part-paid, one not yet due), a
    plan with a paid, a late part-paid and two future instalments, a pending promise, a
    callback, notes and calls. Returns its case id."""
    store = Store.open(db)
    try:
        with at(days(-130)):
            apply_book(store, case_book())
        alice, bruno = add_users(store)
        case = case_of(store, "C0042")
        with store.transaction() as session:
            disputed = session.exec(select(Invoice.id)
                                    .where(col(Invoice.number) == "F-2026-130")).one()
        with at(days(-60, 8)):
            actions.escalate(store, case, bruno)
        with at(days(-41, 10)):
            actions.log_call(store, case, alice, disposition="no_answer",
                             phone="+33 1 23 45 67 89")
        with at(days(-40, 14)):
            actions.log_call(store, case, alice, disposition="right_party",
                             phone="+33 1 23 45 67 89", duration_s=312)
        with at(days(-40, 14).replace(minute=6)):
            actions.add_note(store, case, alice, reason="cash_flow",
                             text="Trésorerie tendue après l'hiver, propose un échéancier.")
        with at(days(-40, 14).replace(minute=8)):
            actions.create_plan(store, case, alice, count=4, frequency="monthly",
                                first_date=TODAY - timedelta(days=39),
                                today=TODAY - timedelta(days=40))
        with at(days(-39, 11)):
            actions.record_payment(store, case, None, amount_minor=55_000,
                                   received_on=TODAY - timedelta(days=39), method="transfer")
        with at(days(-12, 15)):
            actions.open_dispute(store, case, alice, invoice_ids=[disputed],
                                 category="delivery", text="Livraison du 3/10 incomplète.")
        with at(days(-9, 11)):
            actions.record_payment(store, case, None, amount_minor=20_000,
                                   received_on=TODAY - timedelta(days=9), method="cheque")
        with at(days(-3, 9)):
            actions.escalate(store, case, bruno)
        with at(days(-3, 15)):
            actions.log_call(store, case, alice, disposition="promise",
                             phone="+33 6 12 34 56 78", duration_s=245,
                             note="Le gérant rappelle vendredi.")
        with at(days(-3, 15).replace(minute=5)):
            actions.record_promise(store, case, alice, amount_minor=30_000,
                                   due_date=TODAY + timedelta(days=3),
                                   today=TODAY - timedelta(days=3))
        with at(days(-3, 15).replace(minute=6)):
            actions.add_note(store, case, alice, reason="awaiting_approval",
                             text="Virement de 300 € attendu vendredi, validation du DAF.")
        with at(days(-3, 15).replace(minute=7)):
            actions.schedule_callback(store, case, alice, at=days(1, 13))
        return case
    finally:
        store.close()


def add_notes(db: Path, case_id: uuid.UUID, n: int) -> None:
    """n more activities, one an hour before FIXED going back; the oldest says so."""
    store = Store.open(db)
    try:
        with store.transaction() as session:
            for i in range(n):
                text = "La toute première note." if i == n - 1 else f"Relance n° {i}."
                session.add(Activity(id=uuid7(), case_id=case_id, kind="note",
                                     client_time=FIXED - timedelta(days=200, hours=i),
                                     payload={"reason": "other", "text": text}))
    finally:
        store.close()


def make_case_app(db: Path, language: str = "fr", **settings) -> RecoApp:  # noqa: ANN003
    return RecoApp(Settings(db=db, language=language, ecb_rates=ECB_2026_H2, **settings),
                   clock=lambda: FIXED)


@pytest.fixture(scope="session")
def case_template(tmp_path_factory) -> tuple[Path, uuid.UUID]:
    db = tmp_path_factory.mktemp("case") / "case.sqlite3"
    return db, build_case_store(db)


def copy_store(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


@pytest.fixture
def case_db(case_template, tmp_path) -> tuple[Path, uuid.UUID]:
    """A copy of the case book, for one test to change as it likes."""
    template, case_id = case_template
    db = tmp_path / "case.sqlite3"
    copy_store(template, db)
    return db, case_id


async def until(pilot, done, timeout: float = 5.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.01)


async def open_case(pilot, case_id: uuid.UUID) -> CaseScreen:
    """Open the case from the queue; return once its whole history is in."""
    await settle(pilot)
    pilot.app.open_case(case_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseScreen)
    await until(pilot, lambda: screen.view is not None and screen.view.history_complete)
    await settle(pilot)
    return screen


def text_of(widget) -> str:  # noqa: ANN001
    """What a widget shows, as plain text."""
    if isinstance(widget, Static | DebtorCard):
        return str(widget.render())
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


# -- what it shows ------------------------------------------------------------------------------


async def test_the_card_shows_who_and_where_the_case_stands(case_db):
    db, case_id = case_db
    app = make_case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        card = text_of(screen.query_one(DebtorCard))
        assert "Boulangerie Dupont SARL" in card and "C0042" in card
        assert "SIRET 123 456 789 00012" in card
        assert "10:00 Europe/Paris" in card  # the debtor's time, from the app clock
        assert "bureau +33 1 23 45 67 89" in card and "mobile +33 6 12 34 56 78" in card
        assert "compta@dupont.example" in card
        assert "français" in card
        assert "Relance 2" in card  # escalated twice
        view = screen.view
        assert view is not None and view.disputed_minor == 68_000
        assert "Solde" in card and "Échu" in card and "En litige 680,00\xa0€" in card


async def test_the_policy_line_says_whether_a_call_is_allowed(case_db):
    db, case_id = case_db
    app = make_case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        status = screen.query_one(ContactStatus)
        # The last conversation was three days ago: its 48 h of cooling-off are over.
        assert screen.decision is not None and screen.decision.allowed
        assert "Appel autorisé" in text_of(status) and status.has_class("-allowed")


async def test_cooling_off_and_outside_hours_block_with_the_reason(case_db):
    db, case_id = case_db
    late = FIXED.replace(hour=20, minute=30)  # 21:30 in Paris
    app = RecoApp(Settings(db=db, language="en", ecb_rates=ECB_2026_H2), clock=lambda: late)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        text = text_of(screen.query_one(ContactStatus))
        assert "Outside calling hours (08:00–20:00 there)" in text
        assert "next call Wed 25 Nov 08:00" in text
        assert screen.query_one(ContactStatus).has_class("-blocked")
    store = Store.open(db)
    with at(FIXED - timedelta(hours=1)):
        actions.log_call(store, case_id, None, disposition="right_party")
    store.close()
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        text = text_of(screen.query_one(ContactStatus))
        assert "Cooling-off after a conversation" in text and "next call Thu 26 Nov" in text


async def test_invoices_with_interest_indemnity_and_claim(case_db):
    db, case_id = case_db
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        invoices = screen.query_one(InvoiceList)
        rows = [invoices.row_text(i, 76).plain for i in range(invoices.row_count)]
        assert [r.split()[0] for r in rows] == ["F-2026-101", "F-2026-117", "F-2026-130",
                                               "F-2026-142"]
        # The 550 € payment went to the oldest invoice, the 200 € cheque after it.
        first = rows[0].split()
        assert first[1:5] == ["2026-07-22", "2026-08-21", "95", "450.00"]
        assert "disputed" in rows[2] and "disputed" not in rows[0]
        assert rows[3].split()[3:] == ["320.00"]  # not due: no days past due, no interest
        narrow = invoices.row_text(2, 46).plain  # at 80 columns: no issue date, a mark
        assert narrow.split() == ["F-2026-130", "2026-11-04", "20", "680.00", "4.53", "!"]
        figures = invoices.figures
        interest = figures.interest
        # Interest runs on the whole invoice until each payment, at ECB + 10 points.
        assert all(v > 0 for k, v in interest.items())
        assert figures.indemnity_minor == 2 * 4000  # two overdue, undisputed invoices
        overdue = 45_000 + 45_000  # F-2026-101 after two payments, F-2026-117
        assert figures.claim_minor == overdue + figures.interest_total_minor + 8000
        assert not figures.interest_assumed  # the 2026-H2 rate came from the settings
        footer = invoices.footer_text(1, 76).plain
        assert footer.startswith("Claim €") and "incl. indemnity €80.00" in footer


async def test_commitments_show_the_promise_and_each_instalment(case_db):
    db, case_id = case_db
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        lines = [line.plain for line in screen.query_one(Commitments).lines]
        assert lines[0].startswith("Promise €300.00 pending")
        assert "by 2026-11-27" in lines[1]
        assert lines[2] == "Plan 4 × monthly"
        statuses = [line.split()[2] for line in lines[3:7]]
        assert statuses == ["paid", "late", "due", "due"]
        assert lines[3] == "2026-10-16 662.50 paid"
        assert lines[7] == "  paid €750.00 of €2,650.00"
        # The part paid of a late instalment shows when there is room for it.
        commitments = screen.query_one(Commitments)
        assert commitments.row_text(4, 40).plain == "2026-11-16 662.50 late 87.50"
        assert commitments.row_text(4, 26).plain == "2026-11-16 662.50 late"


async def test_history_newest_first_with_readable_summaries(case_db):
    db, case_id = case_db
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        timeline = screen.query_one(Timeline)
        lines = [timeline.row_text(i, 120).plain for i in range(timeline.row_count)]
        assert lines[0].startswith("2026-11-21 15:07 Callback")
        assert "Alice Moreau" in lines[0] and "call back 2026-11-25 13:00" in lines[0]
        assert "Awaiting internal approval: Virement de 300 €" in lines[1]
        assert "€300.00 by 2026-11-27" in lines[2]
        assert "Promise to pay · +33 6 12 34 56 78 · 4 min 05 · Le gérant" in lines[3]
        assert "Reminder 1 → Reminder 2" in lines[4] and "Bruno Petit" in lines[4]
        assert "€200.00 · Cheque · received 2026-11-15" in lines[5] and "system" in lines[5]
        assert "Delivery · Livraison du 3/10 incomplète. · 1 invoice(s)" in lines[6]
        assert "4 × monthly" in lines[8]
        assert "Cash-flow difficulties: Trésorerie" in lines[9]
        assert lines[-1].endswith("Preventive → Reminder 1")
        # Only the visible lines were drawn.
        assert text_of(timeline).splitlines()[0].startswith("2026-11-21 15:07")


async def test_slash_shows_the_negotiation_notes_only(case_db):
    db, case_id = case_db
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        timeline = screen.query_one(Timeline)
        await pilot.press("slash")
        assert timeline.row_count == 2 and str(timeline.border_title).startswith("Notes")
        assert all(e.kind == "note" for e in timeline.shown)
        await pilot.press("slash")
        assert timeline.row_count == len(screen.view.history)


async def test_a_thousand_activities_open_and_scroll_to_the_oldest(case_db):
    db, case_id = case_db
    add_notes(db, case_id, 1000)
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await until(pilot, lambda: isinstance(app.screen, CaseScreen)
                    and any(t.row_count for t in app.screen.query(Timeline)))
        screen = app.screen
        timeline = screen.query_one(Timeline)
        # The newest entries paint first, two screens' worth; the rest follows.
        assert timeline.row_count in (50, 1013)
        await until(pilot, lambda: timeline.row_count == 1013)
        assert timeline.has_focus and timeline.cursor == 0
        await pilot.press("G")
        await pilot.pause()
        assert timeline.cursor == 1012
        assert timeline.scroll_y == timeline.max_scroll_y > 0
        shown = text_of(timeline).splitlines()
        assert "La toute première note." in shown[-1]
        await pilot.press("g")
        await pilot.pause()
        assert timeline.scroll_y == 0 and "Callback" in text_of(timeline).splitlines()[0]
        await pilot.press("pagedown", "j")
        await pilot.pause()
        assert timeline.cursor == timeline.body_height + 1


async def test_enter_on_an_entry_shows_it_in_full(case_db):
    db, case_id = case_db
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot, case_id)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryDetail)
        text = str(app.screen.query_one("#entry-detail-text", Static).render())
        assert "Virement de 300 € attendu vendredi, validation du DAF." in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)


async def test_tab_moves_focus_between_the_panes(case_db):
    db, case_id = case_db
    app = make_case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        assert screen.focused is screen.query_one(Timeline)
        await pilot.press("tab")
        assert screen.focused is screen.query_one(InvoiceList)
        await pilot.press("tab")
        assert screen.focused is screen.query_one(Commitments)


# -- actions ------------------------------------------------------------------------------------


class FakeForm(ModalScreen[bool]):
    """Stands in for a form: records what it was opened on and commits at once."""

    opened: list[tuple[str, object]] = []

    def __init__(self, view) -> None:  # noqa: ANN001
        super().__init__()
        self.view = view

    def on_mount(self) -> None:
        FakeForm.opened.append((type(self).__name__, self.view))
        self.dismiss(True)


@pytest.fixture
def fake_forms(monkeypatch):
    FakeForm.opened = []
    made: dict[str, type] = {}

    def load(name: str) -> type:
        return made.setdefault(name, type(f"Fake_{name}", (FakeForm,), {}))

    monkeypatch.setattr("recotui.screens.forms.load_form", load)
    return FakeForm.opened


@pytest.mark.parametrize("key,form", [
    ("c", "call"), ("o", "note"), ("p", "promise"), ("i", "plan"), ("m", "payment"),
    ("d", "dispute"), ("b", "callback"), ("x", "escalate"), ("z", "close"), ("t", "dial"),
    ("f3", "call"), ("f4", "note"), ("f6", "promise"), ("f2", "dial"),
])
async def test_each_action_key_opens_its_form_on_the_view(case_db, fake_forms, key, form):
    db, case_id = case_db
    app = make_case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        await pilot.press(key)
        await settle(pilot)
        assert [name for name, _ in fake_forms] == [f"Fake_{form}"]
        assert fake_forms[0][1] is not None and fake_forms[0][1].id == case_id
        assert app.screen is screen


async def test_a_committed_form_reloads_and_keeps_the_cursor(case_db, monkeypatch):
    db, case_id = case_db

    class AddsANote(ModalScreen[bool]):
        def __init__(self, view) -> None:  # noqa: ANN001
            super().__init__()
            self.view = view

        def on_mount(self) -> None:
            store = Store.open(db)
            with at(FIXED):
                actions.add_note(store, self.view.id, None, reason="forgot", text="Oubli.")
            store.close()
            self.dismiss(True)

    monkeypatch.setattr("recotui.screens.forms.load_form", lambda name: AddsANote)
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        timeline = screen.query_one(Timeline)
        await pilot.press("j", "j", "j")
        before = timeline.current
        await pilot.press("o")
        await settle(pilot)
        assert timeline.row_count == 14 and timeline.shown[0].payload["text"] == "Oubli."
        assert timeline.current == before and timeline.cursor == 4
        # On the newest entry, the cursor stays at the top where new entries come in.
        await pilot.press("g", "o")
        await settle(pilot)
        assert timeline.cursor == 0 and timeline.row_count == 15


async def test_a_closed_case_refuses_actions(case_db, fake_forms):
    db, case_id = case_db
    store = Store.open(db)
    with at(FIXED):
        actions.close_case(store, case_id, None, reason="written_off")
    store.close()
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        assert "Closed (Written off)" in text_of(screen.query_one(DebtorCard))
        await pilot.press("p")
        await settle(pilot)
        assert fake_forms == []
        assert any("closed" in n.message for n in app._notifications)


async def test_dial_opens_a_call_that_n_and_escape_refuse_to_leave(case_db, fake_forms,
                                                                  monkeypatch):
    db, case_id = case_db
    nexts: list[uuid.UUID] = []
    monkeypatch.setattr(RecoApp, "open_next_case",
                        lambda self, current=None: nexts.append(current), raising=False)
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        await pilot.press("t")
        await settle(pilot)
        assert screen.call_open
        assert "Call in progress" in text_of(screen.query_one(ContactStatus))
        await pilot.press("n")
        await pilot.press("escape")
        await settle(pilot)
        assert nexts == [] and app.screen is screen
        messages = [n.message for n in app._notifications]
        assert "Record the call outcome (c) before taking the next case." in messages
        assert "Record the call outcome (c) before leaving this case." in messages
        await pilot.press("t")  # a second dial while the first is open
        await settle(pilot)
        assert [name for name, _ in fake_forms] == ["Fake_dial"]
        await pilot.press("c")
        await settle(pilot)
        assert not screen.call_open
        await pilot.press("n")
        await settle(pilot)
        assert nexts == [case_id]


async def test_dial_is_refused_when_the_policy_blocks(case_db, fake_forms):
    db, case_id = case_db
    late = FIXED.replace(hour=21)
    app = RecoApp(Settings(db=db, language="en"), clock=lambda: late)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot, case_id)
        await pilot.press("t")
        await settle(pilot)
        assert fake_forms == []
        assert any("Outside calling hours" in n.message for n in app._notifications)


async def test_escape_goes_back_to_the_queue(case_db):
    db, case_id = case_db
    app = make_case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot, case_id)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "QueueScreen"


async def test_n_takes_the_next_case_on_the_same_screen(case_db):
    db, case_id = case_db
    app = make_case_app(db, language="en")
    if not hasattr(app, "open_next_case"):
        pytest.skip("the app does not take the next case yet")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        await pilot.press("j", "j", "slash")
        await pilot.press("n")
        await until(pilot, lambda: app.screen.view is not None
                    and app.screen.view.id != case_id)
        await settle(pilot)
        assert app.screen is screen  # the widgets were reused, not mounted again
        assert screen.case_id == screen.view.id != case_id
        assert "Mme Claire Martin" in text_of(screen.query_one(DebtorCard))
        assert "consumer" in text_of(screen.query_one(DebtorCard))
        timeline = screen.query_one(Timeline)
        assert timeline.filter == "all" and timeline.cursor == 0
        # A consumer owes no €40 indemnity; interest runs at the legal rate.
        figures = screen.query_one(InvoiceList).figures
        assert figures.indemnity_minor == 0 and figures.interest_total_minor > 0


async def test_a_missing_form_is_reported_not_raised(case_db, monkeypatch):
    db, case_id = case_db

    def missing(name: str) -> type:
        raise ImportError(name)

    monkeypatch.setattr("recotui.screens.forms.load_form", missing)
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot, case_id)
        await pilot.press("i")
        await settle(pilot)
        assert any("form is not available" in n.message for n in app._notifications)


async def test_keys_can_be_remapped_by_binding_id(case_db, fake_forms):
    db, case_id = case_db
    app = make_case_app(db, keys={"case.note": "f11"})
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot, case_id)
        await pilot.press("o")
        await settle(pilot)
        assert fake_forms == []
        await pilot.press("f11")
        await settle(pilot)
        assert [name for name, _ in fake_forms] == ["Fake_note"]


# -- French -------------------------------------------------------------------------------------

CASE_MODULES = ["recotui/screens/case.py", "recotui/widgets/case_format.py",
                "recotui/widgets/commitments.py", "recotui/widgets/contact_status.py",
                "recotui/widgets/debtor_card.py", "recotui/widgets/invoice_list.py",
                "recotui/widgets/line_list.py", "recotui/widgets/timeline.py"]


def test_every_case_screen_text_has_its_french():
    import ast

    from recotui import i18n
    from recotui.domain import vocab
    from recotui.widgets import case_format

    root = Path(__file__).resolve().parents[2]
    texts: set[str] = set()
    for module in CASE_MODULES:
        for node in ast.walk(ast.parse((root / module).read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "_" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                texts.add(node.args[0].value)
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Binding"
                    and len(node.args) >= 3):
                texts.add(node.args[2].value)
    for table in (case_format.KIND_LABELS, case_format.STAGE_LABELS, case_format.CLOSE_REASONS,
                  case_format.FREQUENCIES, case_format.INSTALMENT_STATUS,
                  case_format.PROMISE_STATUS, case_format.CHANNELS, case_format.CONTACT_LABELS,
                  case_format.DISPUTE_RESOLUTIONS, vocab.DISPOSITIONS, vocab.NON_PAYMENT_REASONS,
                  vocab.DISPUTE_CATEGORIES, vocab.PAYMENT_METHODS):
        texts.update(table.values())
    assert len(texts) > 150
    try:
        i18n.set_language("fr")
        missing = sorted(t for t in texts if i18n._(t) == t and t not in {
            "Note", "Notes", "Total", "mobile", "fax", "Int.", "{count} × {frequency}"})
    finally:
        i18n.set_language("en")
    assert missing == []


async def test_the_real_note_form_records_and_the_history_shows_it(case_db):
    db, case_id = case_db
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        timeline = screen.query_one(Timeline)
        before = timeline.row_count
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is not screen  # the form is up
        await pilot.press("2", "tab", *"Oubli, paiera lundi.", "enter")
        await settle(pilot)
        assert app.screen is screen
        await until(pilot, lambda: timeline.row_count == before + 1)
        first = timeline.row_text(0, 120).plain
        assert first.startswith("2026-11-24 09:00 Note") and "Oubli, paiera lundi." in first


async def test_a_dial_without_an_outcome_keeps_the_call_open_on_reopening(case_db):
    db, case_id = case_db
    store = Store.open(db)
    with store.transaction() as session:
        session.add(Activity(case_id=case_id, kind="dial", client_time=FIXED,
                             payload={"phone": "+33 1 23 45 67 89", "dialler": ""}))
    store.close()
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        assert screen.call_open
        status = text_of(screen.query_one(ContactStatus))
        assert "Call in progress: record its outcome (c) · dialled at 09:00" in status
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
