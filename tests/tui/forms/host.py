"""A tiny app that hosts one action form over a fixed book and a fixed clock, providing the
services RecoApp provides to screens: store, settings, user_id, now(), contact_policy."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select
from textual.app import App
from textual.widgets import Input, Static

from recotui import i18n
from recotui.config import Settings
from recotui.domain.book import ContactPoint, DebtorRecord, InvoiceRecord, ParsedBook
from recotui.domain.contact_policy import ContactPolicy
from recotui.screens.forms import load_form
from recotui.store.case_view import case_view
from recotui.store.importing import apply_book
from recotui.store.store import Store
from recotui.store.tables import (
    Activity,
    CollectionCase,
    Debtor,
    DebtorContact,
    Outbox,
)

# Tuesday 10 March 2026, 09:00 UTC (10:00 in Paris): inside the default calling hours.
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
ALWAYS_OPEN = {"hours": {day: "00:00-23:59"
                         for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}


def fixed_book() -> ParsedBook:
    """C001: two open invoices, 1 200,00 € due in January and 200,00 € left of 300,00 € due in
    February, three phones of which one is do-not-call. C002: one invoice, no phone."""
    return ParsedBook(
        source="forms.csv", format="csv",
        debtors=[
            DebtorRecord("C001", "Dupont SARL", timezone="Europe/Paris", contacts=(
                ContactPoint("phone", "office", "+33 1 23 45 67 89"),
                ContactPoint("phone", "mobile", "+33 6 12 34 56 78"),
                ContactPoint("phone", "home", "+33 4 00 00 00 00"),
                ContactPoint("email", "accounting", "compta@dupont.example"),
            )),
            DebtorRecord("C002", "Garage Martin", timezone="America/Martinique"),
        ],
        invoices=[
            InvoiceRecord("C001", "F-1", date(2025, 12, 1), date(2026, 1, 5), 120_000, 120_000),
            InvoiceRecord("C001", "F-2", date(2026, 1, 10), date(2026, 2, 9), 30_000, 20_000),
            InvoiceRecord("C002", "F-3", date(2026, 1, 20), date(2026, 2, 19), 5_000, 5_000),
        ],
    )


def build_store(db: Path) -> None:
    store = Store.open(db)
    apply_book(store, fixed_book())
    with Session(store.engine) as session, session.begin():
        home = session.exec(select(DebtorContact).where(
            col(DebtorContact.value) == "+33 4 00 00 00 00")).one()
        home.do_not_call = True
    store.close()


class FormHost(App):
    """Pushes `form` for the case of `debtor` on mount; `result` is what it dismissed with."""

    CSS = "Screen { background: $background; }"

    def __init__(self, db: Path, form: str, *, debtor: str = "C001", language: str = "en",
                 clock: datetime = NOW, user_id: uuid.UUID | None = None,
                 **settings: Any) -> None:
        super().__init__()
        settings.setdefault("contact_policy", ALWAYS_OPEN)
        self.settings = Settings(db=db, language=language, **settings)
        i18n.set_language(language)
        self.form_name, self.debtor_number = form, debtor
        self.clock = clock
        self.user_id = user_id
        self.store = Store.open(db)
        self.result: Any = "pending"
        self.form = None

    def now(self) -> datetime:
        return self.clock

    @property
    def contact_policy(self) -> ContactPolicy:
        return ContactPolicy.from_mapping(self.settings.contact_policy)

    @contextmanager
    def store_session(self) -> Iterator[Session]:
        with Session(self.store.engine) as session:
            yield session

    def compose(self):
        yield Static("case screen")

    def on_mount(self) -> None:
        with self.store_session() as session:
            case_id = case_of(session, self.debtor_number).id
            view = case_view(session, case_id, now=self.now())
        self.form = load_form(self.form_name)(view)
        self.push_screen(self.form, self._done)

    def _done(self, result: Any) -> None:
        self.result = result

    def on_unmount(self) -> None:
        self.store.close()


def case_of(session: Session, number: str) -> CollectionCase:
    return session.exec(select(CollectionCase).join(Debtor)
                        .where(col(Debtor.number) == number)).one()


def facts(store: Store, kind: str | None = None) -> list[Activity]:
    with Session(store.engine) as session:
        statement = select(Activity).order_by(col(Activity.client_time), col(Activity.id))
        if kind:
            statement = statement.where(col(Activity.kind) == kind)
        return list(session.exec(statement))


def outbox(store: Store) -> list[Outbox]:
    with Session(store.engine) as session:
        return list(session.exec(select(Outbox).order_by(col(Outbox.mutation_id))))


async def settle(pilot) -> None:  # noqa: ANN001
    """Let the form's worker finish and the screen repaint."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def case_id(store: Store, number: str = "C001") -> uuid.UUID:
    with Session(store.engine) as session:
        return case_of(session, number).id


async def fill(pilot, selector: str, text: str) -> None:  # noqa: ANN001
    """Focus a text field, clear it and type, key by key."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*text)


async def save(pilot, key: str = "enter") -> None:  # noqa: ANN001
    await pilot.press(key)
    await settle(pilot)
