"""The case screen: everything an agent needs to negotiate, on one 80x24 screen.

    debtor card (who, contacts, local time, stage and amounts)
    contact policy line (may I call now? if not, why and from when)
    invoices (with late interest and the claim)  |  promise and plan
    history timeline, newest first (or the negotiation notes only, with /)
    footer: the action keys

The screen loads a CaseView in a worker and hands plain values to its widgets. Each action key
opens a modal form (recotui/screens/forms); when the form has committed, the view is reloaded
with the cursors where they were.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime
from functools import partial

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from recotui.domain.book import DebtorKind
from recotui.domain.contact_policy import ContactDecision, check_contact
from recotui.domain.interest import (
    ECB_MAIN_REFINANCING_RATES,
    RateTable,
    late_interest,
    recovery_indemnity_minor,
)
from recotui.i18n import _
from recotui.screens.base import RecoModal, RecoScreen
from recotui.store.case_view import CaseView, HistoryEntry
from recotui.widgets.case_format import KIND_LABELS, fmt_datetime, label
from recotui.widgets.commitments import Commitments
from recotui.widgets.contact_status import ContactStatus
from recotui.widgets.debtor_card import DebtorCard
from recotui.widgets.invoice_list import InvoiceFigures, InvoiceList
from recotui.widgets.line_list import LineList
from recotui.widgets.timeline import Timeline

CLOCK_TICK_S = 30.0
FIRST_READ_WAIT_S = 0.1  # how long the first paint may wait for the case to be read
PREFETCH_AFTER_S = 0.3  # once the case is painted and its history is in
READ_START_WAIT_S = 0.005  # ... once the read's thread has started, if it starts by then
# The first read takes the newest history entries, two screens' worth, so the screen paints
# as fast with 10,000 entries as with 10; the rest follows in a second read, shortly after.
FIRST_HISTORY_SCREENS = 2
REST_AFTER_S = 0.05
MIDDLE_SHARE = 0.4  # of the screen's height, at most, for the invoices and the plan


def invoice_figures(view: CaseView, today, ecb_rates: RateTable) -> InvoiceFigures:  # noqa: ANN001
    """Late interest per invoice (L441-10 / legal rate), the €40 indemnity (D441-5) per
    overdue invoice, and the claim: overdue undisputed amounts plus those two."""
    try:
        kind = DebtorKind(view.debtor.kind)
    except ValueError:
        kind = DebtorKind.COMPANY
    interest: dict[uuid.UUID, int] = {}
    assumed = False
    total = overdue = count = 0
    for inv in view.invoices:
        if inv.open_minor <= 0 or inv.due_date >= today:
            continue
        if inv.currency == "EUR":  # the rate table and the indemnity are in euros
            result = late_interest(inv.amount_minor, inv.due_date, today, debtor_kind=kind,
                                   payments=inv.payments, ecb_rates=ecb_rates)
            interest[inv.id] = result.amount_minor
            if not inv.disputed:
                assumed = assumed or result.assumed
        if not inv.disputed:
            overdue += inv.open_minor
            total += interest.get(inv.id, 0)
            count += 1
    indemnity = recovery_indemnity_minor(kind, count) if view.currency == "EUR" else 0
    return InvoiceFigures(interest, assumed, total, indemnity, overdue + total + indemnity)


class EntryDetail(RecoModal):
    """One history entry in full: what a line of the timeline had to cut."""

    DEFAULT_CSS = """
    EntryDetail { align: center middle; }
    #entry-detail {
        width: 70; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", id="case.detail.close")]

    def __init__(self, entry: HistoryEntry, summary: str, language: str) -> None:
        super().__init__()
        self.entry, self.summary, self.language = entry, summary, language

    def compose(self) -> ComposeResult:
        e = self.entry
        with Vertical(id="entry-detail"):
            yield Static(Text.assemble(
                (label(KIND_LABELS, e.kind), "bold"), " · ",
                fmt_datetime(e.client_time, self.language), " · ", e.author or _("system")))
            if e.needs_review:
                yield Static(Text(_("Recorded after the claim was lost: to be reviewed."),
                                  "bold red"))
            yield Static(self.summary, id="entry-detail-text")
            yield Static(_("Esc closes"), classes="hint")


class CaseScreen(RecoScreen):
    DEFAULT_CSS = """
    CaseScreen { layout: vertical; }
    #case-middle { height: auto; }
    #case-middle > LineList { height: 100%; }
    CaseScreen Timeline { min-height: 4; }
    #case-missing { display: none; padding: 1 2; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="case.back", show=False),
        Binding("t,f2", "form('dial')", "Dial", id="case.dial"),
        Binding("c,f3", "form('call')", "Outcome", id="case.call"),
        Binding("o,f4", "form('note')", "Note", id="case.note"),
        Binding("p,f6", "form('promise')", "Promise", id="case.promise"),
        Binding("i,f7", "form('plan')", "Plan", id="case.plan", show=False),
        Binding("m,f8", "form('payment')", "Payment", id="case.payment"),
        Binding("d,f10", "form('dispute')", "Dispute", id="case.dispute", show=False),
        Binding("b,f9", "form('callback')", "Callback", id="case.callback"),
        Binding("n,f12", "next_case", "Next", id="case.next"),
        Binding("x", "form('escalate')", "Escalate", id="case.escalate", show=False),
        Binding("z", "form('close')", "Close case", id="case.close", show=False),
        Binding("r,f5", "reload", "Refresh", id="case.refresh", show=False),
        Binding("slash", "toggle_notes", "Notes only", id="case.notes", show=False),
        Binding("l", "letter", "Letter", id="case.letter", show=False),
        Binding("L", "dossier", "Litigation file", id="case.dossier", show=False),
    ]

    def __init__(self, case_id: uuid.UUID) -> None:
        super().__init__()
        self.case_id = case_id
        self.view: CaseView | None = None
        self.decision: ContactDecision | None = None
        self.call_open = False
        self.loaded_at: datetime | None = None
        # A read hands its result here, then asks the event loop to show it.
        self._arrived: tuple[CaseView | None, datetime] | None = None
        self._arrival = threading.Event()
        self._reading = threading.Event()  # a read's thread has started
        self._ready = False  # on_mount has run: the widgets are there
        self._first_history = 50
        # The likely next case, read ahead while the agent works this one: (id, its stamp
        # when read, (view, now), monotonic time of the read). `n` shows it if still true.
        self.prefetched: tuple[uuid.UUID, str | None, tuple, float] | None = None

    def compose(self) -> ComposeResult:
        self._first_history = max(self.app.size.height * FIRST_HISTORY_SCREENS, 50)
        self.load(first=True)  # the read runs while the widgets mount
        yield DebtorCard(id="case-card")
        yield ContactStatus(id="case-status")
        yield Static("", id="case-missing")
        with Horizontal(id="case-middle"):
            yield InvoiceList(id="case-invoices")
            yield Commitments(id="case-commitments")
        yield Timeline(id="case-timeline")
        yield Footer(compact=True, show_command_palette=False)

    @property
    def timeline(self) -> Timeline:
        return self.query_one(Timeline)

    def on_mount(self) -> None:
        self.timeline.focus()
        self.set_interval(CLOCK_TICK_S, self._tick)
        self._ready = True
        # The first read started in compose(). Rather than paint an empty screen and then the
        # case, wait for it a moment: with the event loop waiting, the read has the GIL to
        # itself and is done in a few ms (racing the mount for it, it takes 5x longer). Only
        # if its thread is running: the event loop hands a worker to its thread, and may not
        # have yet.
        if (self._reading.wait(READ_START_WAIT_S)
                and self._arrival.wait(FIRST_READ_WAIT_S)):
            self._deliver()

    def show_case(self, case_id: uuid.UUID,
                  read: tuple[CaseView | None, datetime] | None = None) -> None:
        """Show another case on this screen (the next case, `n`): the widgets stay mounted and
        only their data changes, which is much quicker than a new screen. `read`: the case as
        `read_case` gave it, when the caller read it already."""
        if self.call_open:
            self.notify(_("Record the call outcome (c) before taking the next case."),
                        severity="warning")
            return
        # The old case stays on screen until the new one is read (a few ms): no blank frame.
        self.case_id = case_id
        self._first_history = max(self.size.height * FIRST_HISTORY_SCREENS, 50)
        if read is not None and read[0] is not None and read[0].id == case_id:
            self._show(*read)
        else:
            self.load(first=True)

    # -- loading -------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.load()

    def read_case(self, case_id: uuid.UUID, first: bool = True) -> tuple[CaseView | None, datetime]:
        """The case as this screen shows it, read now; safe from any thread."""
        from recotui.store.case_view import case_view

        now = self.app.now()
        with self.app.store_session() as session:
            return case_view(session, case_id, now=now,
                             history_limit=self._first_history if first else None), now

    @work(thread=True, exclusive=True, group="case-view")
    def load(self, first: bool = False) -> None:
        """Read the case. The first time, the newest entries of the history come first and
        the rest once they are painted; a reload (after a form) reads it all at once."""
        self._reading.set()
        self._arrived = self.read_case(self.case_id, first)
        self._arrival.set()
        self.app.call_from_thread(self._deliver)

    def _deliver(self) -> None:
        """Show what the last read brought, once: from on_mount or from the loop."""
        if not self._ready:
            return  # on_mount will show it
        arrived, self._arrived = self._arrived, None
        self._arrival.clear()
        if arrived is not None:
            self._show(*arrived)

    @work(thread=True, exclusive=True, group="case-view")
    def load_rest(self, view: CaseView) -> None:
        from recotui.store.case_view import full_history

        with self.app.store_session() as session:
            full = full_history(session, view)
        self.app.call_from_thread(self._show_history, full)

    def _show_history(self, view: CaseView) -> None:
        if self.view is None or self.view.id != view.id or self.view.history_complete:
            return  # a reload came in between and read it all
        self.view = view
        if view.open_dial_at is not None:
            self.call_open = True
        self._show_timeline()

    def _show_timeline(self) -> None:
        view, settings = self.view, self.app.settings
        self.timeline.show(view.history, language=settings.language, currency=view.currency,
                           names=view.names, dispositions=settings.dispositions,
                           reasons=settings.reasons)

    def _show(self, view: CaseView | None, now: datetime) -> None:
        if view is None:
            missing = self.query_one("#case-missing", Static)
            missing.update(_("This case does not exist any more. Esc goes back to the queue."))
            missing.display = True
            self.view = None
            return
        if self.view is not None and self.view.id != view.id:  # another case (show_case)
            self.call_open = False
            self.timeline.set_filter("all")
            for pane in self.query(LineList):
                pane.cursor = 0
                pane.scroll_to(y=0, animate=False, immediate=True)
        self.view, self.loaded_at = view, now
        if view.open_dial_at is not None:
            self.call_open = True  # dialled, here or elsewhere, and no outcome logged yet
        settings = self.app.settings
        language = settings.language
        self._show_card(now)
        today = now.astimezone().date()
        rates = ECB_MAIN_REFINANCING_RATES
        if settings.ecb_rates:
            rates = rates.merged(settings.ecb_rates)
        self.query_one(InvoiceList).show(
            view.open_invoices + tuple(i for i in view.invoices if i.open_minor <= 0),
            invoice_figures(view, today, rates), today=today, language=language,
            currency=view.currency)
        self.query_one(Commitments).show(view.promise, view.plan, today=today,
                                         language=language, currency=view.currency)
        self._fit_middle()
        self._show_timeline()
        if not view.history_complete:  # the rest once this frame is out
            self.set_timer(REST_AFTER_S, partial(self.load_rest, view))
        self.prefetched = None
        self.set_timer(PREFETCH_AFTER_S, self.prefetch_next)

    @work(thread=True, exclusive=True, group="case-prefetch")
    def prefetch_next(self) -> None:
        """Read the case `n` would open now, so that `n` shows it without waiting for a read."""
        from recotui.store.queue_reads import case_stamp, next_callable_case

        app = self.app
        with app.queue_reads() as conn:
            row, _scanned = next_callable_case(
                conn, app.queue_scope, app.contact_policy, app.now(),
                exclude=frozenset(app.worked | {self.case_id}))
            if row is None:
                return
            stamp = case_stamp(conn, row.case_id)
        self.prefetched = (row.case_id, stamp, self.read_case(row.case_id), time.monotonic())

    def _fit_middle(self) -> None:
        """Invoices and plan side by side, both as tall as the taller needs, within a share of
        the screen; the history takes the rest."""
        wanted = max(pane.virtual_size.height + 2 for pane in (
            self.query_one(InvoiceList), self.query_one(Commitments)))
        self.query_one("#case-middle").styles.height = max(
            min(wanted, int(self.size.height * MIDDLE_SHARE)), 4)

    def on_resize(self) -> None:
        if self.view is not None:
            self._fit_middle()

    def _show_card(self, now: datetime) -> None:
        view = self.view
        if view is None:
            return
        language = self.app.settings.language
        self.query_one(DebtorCard).show(view, now=now, language=language)
        policy = self.app.contact_policy
        try:
            self.decision = check_contact(
                policy, now=now, debtor_timezone=view.debtor.timezone,
                attempts=view.call_attempts, last_conversation_at=view.last_conversation_at,
                do_not_call=view.debtor.do_not_call)
        except ValueError:
            self.decision = None
        attempts = sum(1 for a in view.call_attempts if now - policy.attempt_window < a <= now)
        self.query_one(ContactStatus).show(
            self.decision, policy=policy, now=now, timezone=view.debtor.timezone,
            attempts=attempts, language=language, call_open=self.call_open,
            call_since=view.open_dial_at, closed=view.status == "closed")

    def _tick(self) -> None:
        """The debtor's clock and the calling rules move on without a reload."""
        self._show_card(self.app.now())

    # -- actions -------------------------------------------------------------------------------

    def _workable_view(self) -> CaseView | None:
        """The case shown, if something may be recorded on it; else says why and None."""
        view = self.view
        if view is None:
            self.notify(_("The case is still loading."), severity="warning")
        elif view.status == "closed":
            self.notify(_("This case is closed: nothing more can be recorded on it."),
                        severity="warning")
        else:
            return view
        return None

    def action_form(self, name: str) -> None:
        view = self._workable_view()
        if view is None:
            return
        if name == "dial":
            if self.call_open:
                self.notify(_("A call is already in progress: record its outcome (c) first."),
                            severity="warning")
                return
            if self.decision is None or not self.decision.allowed:
                self.notify(str(self.query_one(ContactStatus).render()),
                            title=_("Calling is not allowed now"), severity="warning")
                return
        from recotui.screens.forms import load_form

        try:
            form = load_form(name)
        except (ImportError, AttributeError, KeyError):
            self.notify(_("This form is not available yet: {form}.").format(form=name),
                        severity="error")
            return
        self.app.push_screen(form(view), callback=partial(self._form_done, name))

    def _form_done(self, name: str, committed: bool | None) -> None:
        if not committed:
            return
        if name == "dial":
            self.call_open = True
        elif name == "call":
            self.call_open = False
        self._show_card(self.app.now())
        self.load()

    def action_next_case(self) -> None:
        if self.call_open:
            self.notify(_("Record the call outcome (c) before taking the next case."),
                        severity="warning")
            return
        opener = getattr(self.app, "open_next_case", None)
        if opener is None:
            self.notify(_("Taking the next case is not available."), severity="error")
            return
        opener(current=self.case_id)

    def action_back(self) -> None:
        if self.call_open:
            self.notify(_("Record the call outcome (c) before leaving this case."),
                        severity="warning")
            return
        self.app.pop_screen()

    def action_toggle_notes(self) -> None:
        self.timeline.cycle_filter()
        self.timeline.focus()

    def on_line_list_row_selected(self, message: LineList.RowSelected) -> None:
        if isinstance(message.widget, Timeline):
            entry = message.widget.current
            if entry is not None:
                self.app.push_screen(EntryDetail(entry, message.widget.summary(entry),
                                                 self.app.settings.language))

    def action_letter(self, which: str = "letter") -> None:
        """`l`: preview and send the letter of the current stage; `L`: the litigation file.
        The forms are in recotui/screens/letter.py; the case is read again once they commit."""
        view = self._workable_view()
        if view is None:
            return
        from recotui.screens.letter import DossierForm, LetterForm

        form = LetterForm if which == "letter" else DossierForm
        self.app.push_screen(form(view), callback=lambda done: self.load() if done else None)

    def action_dossier(self) -> None:
        self.action_letter("dossier")
