"""The Textual app: opens the store and the agent's queue.

Screens reach shared services through the app: `store`, `settings`, `user_id`, `now()`,
`store_session()` for reads, and `open_case()` / `open_next_case()` for the campaign loop.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import get_current_worker

from recotui import i18n
from recotui.config import Settings
from recotui.i18n import _

SYNC_EVERY_S = 5.0
SYNC_MAX_BACKOFF_S = 60.0
CLAIM_LEASE_S = 15 * 60  # a case taken with `n` is the agent's for this long
PREFETCH_MAX_AGE_S = 600.0  # a case read ahead older than this is read again


class RecoApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "recotui"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("f9", "supervise", "Supervisor console", show=False, id="app.supervise"),
    ]

    # SyncState of the background sync, None when no server is configured.
    sync_state = reactive(None, always_update=True)

    def __init__(self, settings: Settings, *, clock: Callable[[], datetime] | None = None,
                 mode: str = "agent", remote: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.mode = mode  # "agent" opens the queue, "supervisor" the console
        self.remote = remote  # (server, token): the console reads the server's figures
        self._console_source = None
        self._sync_wanted = threading.Event()
        self._sync_client = None  # recotui.sync.SyncClient while the sync worker runs
        self._closing = False
        self.settings = settings
        self._store = None
        self._store_ready = threading.Event()
        self.user_id: uuid.UUID | None = None
        self._clock = clock or (lambda: datetime.now(UTC))
        self.queue_scope = None  # QueueScope, set on mount: the agent's cases, else the book
        self.queue_scope_label = ""
        self.worked: set[uuid.UUID] = set()  # cases taken with `n` this session
        i18n.set_language(settings.language)
        if settings.theme:
            self.theme = settings.theme

    def now(self) -> datetime:
        """Aware UTC now; tests pass a fixed clock so screens render the same every run."""
        return self._clock()

    @property
    def contact_policy(self):  # noqa: ANN201 - domain ContactPolicy, imported lazily
        from recotui.domain.contact_policy import ContactPolicy

        return ContactPolicy.from_mapping(self.settings.contact_policy)

    def on_mount(self) -> None:
        from recotui.screens.queue import QueueScreen
        from recotui.store.queue_reads import QueueScope, find_user_id, store_is_current

        self.set_keymap(self.settings.keys)
        if store_is_current(self.settings.db):
            # The queue reads plain sqlite3; SQLAlchemy loads once the first page is up.
            self.call_after_refresh(self._open_store)
        else:  # new or older store: create or migrate it before anything reads it
            self._open_store_now()
        self.queue_scope = QueueScope()
        if self.settings.user:
            with self.queue_reads() as conn:
                user_id = find_user_id(conn, self.settings.user)
            if user_id is None:
                self.notify(_("No user “{name}” in this store: showing the whole book.")
                            .format(name=self.settings.user), severity="warning")
            else:
                self.user_id = user_id
                self.queue_scope, self.queue_scope_label = QueueScope(agent_id=user_id), _("mine")
        if self.mode == "supervisor":
            from recotui.screens.supervisor import SupervisorScreen

            self.push_screen(SupervisorScreen())
        else:
            self.push_screen(QueueScreen())

    # -- the supervisor console ---------------------------------------------------------

    @property
    def console_source(self):  # noqa: ANN201 - recotui.console_client.LocalConsole | Remote…
        if self._console_source is None:
            from recotui.console_client import LocalConsole, RemoteConsole
            from recotui.domain.supervision import targets_in_minor

            targets = targets_in_minor(self.settings.daily_targets)
            self._console_source = (RemoteConsole(*self.remote, targets) if self.remote
                                    else LocalConsole(self.store_session, targets))
        return self._console_source

    @property
    def export_dir(self) -> Path:
        """Where `e` writes a table's CSV: the current directory."""
        return Path.cwd()

    def action_supervise(self) -> None:
        from recotui.screens.supervisor import SupervisorScreen

        if not isinstance(self.screen, SupervisorScreen):
            self.push_screen(SupervisorScreen())

    @work(thread=True, group="open-store")
    def _open_store(self) -> None:
        self._open_store_now()

    def _open_store_now(self) -> None:
        from recotui.store.store import Store

        if self._store is None:
            self._store = Store.open(self.settings.db)
        self._store_ready.set()
        if self.settings.server_url and self.settings.token:
            self.call_later(self._sync_loop)

    def request_sync(self) -> None:
        """Sync now rather than at the next tick (after an action, say)."""
        self._sync_wanted.set()

    @work(thread=True, group="sync", exit_on_error=False)
    def _sync_loop(self) -> None:
        """Push and pull in the background for as long as the app runs; back off while the
        server cannot be reached. Everything keeps working offline meanwhile."""
        from recotui.store.replica import pending_count
        from recotui.sync import SyncClient, SyncError
        from recotui.widgets.sync_status import SyncState

        client = self._sync_client = SyncClient(self.store, self.settings.server_url,
                                                self.settings.token, timeout=15)
        worker, failures, last_sync = get_current_worker(), 0, None
        try:
            while not worker.is_cancelled and not self._closing:
                try:
                    result = client.round()
                except SyncError as exc:
                    failures += 1
                    state = SyncState(False, pending_count(self.store), last_sync, str(exc))
                else:
                    failures, last_sync = 0, self.now()
                    state = SyncState(True, pending_count(self.store), last_sync)
                    if result.refused:
                        self.call_from_thread(self._tell_refused, result.refused)
                    if result.cases or result.removed:
                        self.call_from_thread(self._book_changed)
                self.call_from_thread(setattr, self, "sync_state", state)
                wait = SYNC_EVERY_S if failures == 0 else min(SYNC_MAX_BACKOFF_S, 2 ** failures)
                self._sync_wanted.wait(wait)
                self._sync_wanted.clear()
                if self._closing:
                    break
        finally:
            self._sync_client = None
            client.close()

    def _claim(self, case_id: uuid.UUID) -> bool:
        """Lease the case on the server so no other agent calls the same debtor; False when
        another agent holds it. Offline, the agent works on: the claim is the server's to
        settle when the facts arrive."""
        client = self._sync_client
        if client is None or self.sync_state is None or not self.sync_state.online:
            return True
        from recotui.store.replica import record_claims
        from recotui.sync import SyncError

        try:
            claims = client.claim([case_id], CLAIM_LEASE_S)
        except SyncError:
            return True
        record_claims(self.store, claims, self.user_id)
        return bool(claims)

    def _tell_refused(self, refused: list[tuple[int, str]]) -> None:
        for _mutation_id, reason in refused[:3]:
            self.notify(_("The server: {reason}").format(reason=reason), severity="warning",
                        timeout=10)

    def _book_changed(self) -> None:
        """Pulled changes: the screen on top reads again. A new replica learns its users
        from the first pull: the agent's own queue can be shown from then on."""
        if self.user_id is None and self.settings.user:
            from recotui.store.queue_reads import QueueScope, find_user_id

            with self.queue_reads() as conn:
                self.user_id = find_user_id(conn, self.settings.user)
            if self.user_id is not None:
                self.queue_scope, self.queue_scope_label = (QueueScope(agent_id=self.user_id),
                                                            _("mine"))
        reload = getattr(self.screen, "action_reload", None)
        if reload is not None:
            reload()

    @property
    def store(self):  # noqa: ANN201 - recotui.store.store.Store, imported off the start path
        """The SQLAlchemy store; waits the few hundred ms it may still be loading.

        Import the store's modules only once this (or store_session) has returned: the
        thread opening the store imports SQLAlchemy meanwhile, and a second thread importing
        it at the same time can be handed a partly initialised module (an ImportError).
        """
        if not self._store_ready.wait(timeout=60):
            raise RuntimeError("the store did not open")
        return self._store

    @contextmanager
    def store_session(self) -> Iterator:
        engine = self.store.engine  # first: see App.store
        from sqlmodel import Session

        with Session(engine) as session:
            yield session

    @contextmanager
    def queue_reads(self) -> Iterator:
        """A plain sqlite3 connection for the queue's reads (recotui.store.queue_reads)."""
        from recotui.store.queue_reads import connect

        conn = connect(self.settings.db)
        try:
            yield conn
        finally:
            conn.close()

    def open_case(self, case_id: uuid.UUID, *, replace: bool = False) -> None:
        self.store  # noqa: B018 - the case screen imports the store's modules: see App.store
        from recotui.screens.case import CaseScreen

        if replace:
            self.switch_screen(CaseScreen(case_id))
        else:
            self.push_screen(CaseScreen(case_id))

    # -- the campaign loop --------------------------------------------------------------

    def action_next_case(self) -> None:
        self.open_next_case()

    def open_next_case(self, current: uuid.UUID | None = None) -> None:
        """Open the highest-priority case the contact policy allows now, skipping the cases
        already taken this session; the current case, if any, is done."""
        if current is not None:
            self.worked.add(current)
            if self._show_prefetched():
                return
        self._find_next_case(self.screen if current is not None else None)

    def _show_prefetched(self) -> bool:
        """Show the case the screen read ahead, if it is still the one to open and nothing
        changed it since: no worker, no read, only the queue's few-ms check. Not while the
        server is to be asked for the claim."""
        from recotui.store.queue_reads import case_stamp, next_callable_case

        prefetched = getattr(self.screen, "prefetched", None)
        if prefetched is None or self._sync_client is not None:
            return False
        case_id, stamp, read, read_at = prefetched
        if time.monotonic() - read_at > PREFETCH_MAX_AGE_S:
            return False
        with self.queue_reads() as conn:
            row, _scanned = next_callable_case(conn, self.queue_scope, self.contact_policy,
                                               self.now(), exclude=frozenset(self.worked))
            if row is None or row.case_id != case_id or case_stamp(conn, case_id) != stamp:
                return False
        self.worked.add(case_id)
        self.screen.show_case(case_id, (read[0], self.now()))
        return True

    @work(thread=True, exclusive=True, group="next-case")
    def _find_next_case(self, from_screen: Screen | None) -> None:
        from recotui.store.queue_reads import next_callable_case

        skipped: set[uuid.UUID] = set()
        while True:
            with self.queue_reads() as conn:
                row, scanned = next_callable_case(
                    conn, self.queue_scope, self.contact_policy, self.now(),
                    exclude=frozenset(self.worked | skipped))
            if row is None or self._claim(row.case_id):
                break
            skipped.add(row.case_id)  # another agent holds it: the next one
        # The case screen's read in this same thread: one hop to the event loop fewer.
        read_case = getattr(from_screen, "read_case", None)
        read = read_case(row.case_id) if row is not None and read_case is not None else None
        self.call_from_thread(self._open_found, row, scanned, from_screen, read)

    def _open_found(self, row, scanned: int, from_screen: Screen | None, read) -> None:  # noqa: ANN001
        if row is None:
            self.notify(_("No case can be called now ({n} looked at). Back to the queue.")
                        .format(n=scanned), severity="warning")
            if from_screen is not None:
                self.pop_screen()
            return
        self.worked.add(row.case_id)
        show_case = getattr(self.screen, "show_case", None)
        if from_screen is self.screen and show_case is not None:
            show_case(row.case_id, read)  # same screen, new data: no remount of its widgets
        else:
            self.open_case(row.case_id, replace=from_screen is not None)

    def choose_scope(self, then: Callable[[], None]) -> None:
        """Let the agent switch between their cases, a campaign and the whole book."""
        from recotui.screens.pick import PickScreen
        from recotui.store.queue_reads import QueueScope, list_campaigns

        with self.queue_reads() as conn:
            campaigns = list_campaigns(conn)
        choices = [(_("Whole book"), (QueueScope(), ""))]
        if self.user_id is not None:
            choices.append((_("My cases"), (QueueScope(agent_id=self.user_id), _("mine"))))
        choices += [(name, (QueueScope(campaign_id=cid), name)) for cid, name in campaigns]
        current = next((i for i, (_l, (scope, _n)) in enumerate(choices)
                        if scope == self.queue_scope), 0)

        def chosen(value) -> None:  # noqa: ANN001
            if value is not None:
                self.queue_scope, self.queue_scope_label = value
                then()

        self.push_screen(PickScreen(_("Show the queue of"), choices, current), chosen)

    # -- help and the command palette ---------------------------------------------------

    def action_help(self) -> None:
        from recotui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the current screen, by name, then Textual's own."""
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            yield SystemCommand(binding.description, self.get_key_display(binding),
                                lambda action=binding.action, target=active.node:
                                    self.call_later(target.run_action, action))
        yield from super().get_system_commands(screen)

    def on_unmount(self) -> None:
        # Wake the sync worker from its wait so it ends now: the process waits for its thread.
        self._closing = True
        self._sync_wanted.set()
        if self._console_source is not None:
            self._console_source.close()
        if self._store is not None:
            self._store.close()


def run_app(settings: Settings) -> int:
    app = RecoApp(settings)
    app.run()
    return app.return_code or 0
