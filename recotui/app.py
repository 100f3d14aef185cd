"""The Textual app: opens the store and the agent's queue."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from textual.app import App

from recotui.config import Settings


class RecoApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "recotui"

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.store = None

    def on_mount(self) -> None:
        from recotui.screens.queue import QueueScreen
        from recotui.store.store import Store

        self.store = Store.open(self.settings.db)
        self.push_screen(QueueScreen())

    @contextmanager
    def store_session(self) -> Iterator:
        from sqlmodel import Session

        with Session(self.store.engine) as session:
            yield session

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()


def run_app(settings: Settings) -> int:
    app = RecoApp(settings)
    app.run()
    return app.return_code or 0
