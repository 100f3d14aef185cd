"""The Textual app: opens the store and the agent's queue.

Screens reach shared services through the app: `store`, `settings`, `user_id`, `now()`,
`store_session()` for reads, and `open_case()` / `open_next_case()` for the campaign loop.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from textual.app import App

from recotui import i18n
from recotui.config import Settings


class RecoApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "recotui"

    def __init__(self, settings: Settings, *, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.store = None
        self.user_id: uuid.UUID | None = None
        self._clock = clock or (lambda: datetime.now(UTC))
        i18n.set_language(settings.language)

    def now(self) -> datetime:
        """Aware UTC now; tests pass a fixed clock so screens render the same every run."""
        return self._clock()

    @property
    def contact_policy(self):  # noqa: ANN201 - domain ContactPolicy, imported lazily
        from recotui.domain.contact_policy import ContactPolicy

        return ContactPolicy.from_mapping(self.settings.contact_policy)

    def on_mount(self) -> None:
        from recotui.screens.queue import QueueScreen
        from recotui.store.store import Store

        self.store = Store.open(self.settings.db)
        if self.settings.user:
            from recotui.store.queries import find_user

            with self.store_session() as session:
                user = find_user(session, self.settings.user)
            self.user_id = user.id if user else None
        self.push_screen(QueueScreen())

    @contextmanager
    def store_session(self) -> Iterator:
        from sqlmodel import Session

        with Session(self.store.engine) as session:
            yield session

    def open_case(self, case_id: uuid.UUID) -> None:
        from recotui.screens.case import CaseScreen

        self.push_screen(CaseScreen(case_id))

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()


def run_app(settings: Settings) -> int:
    app = RecoApp(settings)
    app.run()
    return app.return_code or 0
