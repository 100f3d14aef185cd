"""Campaigns: list, define (a saved segment and priority weights), pause or resume, pick the
agents, move the matching cases in. And the reassignment picker the case lists use."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from recotui.domain.segment import Segment, SegmentError
from recotui.i18n import _, pgettext
from recotui.screens.base import RecoModal, RecoScreen
from recotui.widgets.live_table import Column, LiveTable

COLUMNS = (Column("Campaign", 20), Column("State", 8), Column("Open", 7, True),
           Column("Agents", 14), Column("Segment", 30))
FIELDS = (("name", "Name"), ("stages", "Stages (comma-separated)"),
          ("dpd", "Days past due, min-max"), ("balance", "Balance, min-max"),
          ("debtor_kind", "Debtor kind (company or consumer)"),
          ("postcode_prefix", "Postcode prefix"), ("language", "Language"),
          ("weights", "Priority weights, e.g. days_past_due=400 promise_broken=500"))


def segment_text(segment: Segment) -> str:
    parts = []
    if segment.stages:
        parts.append("/".join(segment.stages))
    for label, low, high in (("dpd", segment.dpd_min, segment.dpd_max),
                             ("bal", segment.balance_min, segment.balance_max)):
        if low is not None or high is not None:
            parts.append(f"{label} {'' if low is None else low}-{'' if high is None else high}")
    parts += [v for v in (segment.debtor_kind, segment.postcode_prefix and
                          f"cp {segment.postcode_prefix}…", segment.language) if v]
    return " ".join(parts) or _("(every open case)")


def _range(text: str, money: bool) -> tuple[int | None, int | None]:
    if not text.strip():
        return None, None
    low, _sep, high = text.partition("-")

    def one(value: str) -> int | None:
        value = value.strip()
        if not value:
            return None
        number = Decimal(value.replace(",", ".").replace(" ", ""))
        return int(number * 100) if money else int(number)

    return one(low), one(high)


def parse_form(values: dict[str, str]) -> tuple[str, Segment, dict[str, str]]:
    """(name, segment, weights) from the form's text; raises ValueError with the reason.
    Balances are in major units (two decimals)."""
    try:
        dpd = _range(values.get("dpd", ""), money=False)
        balance = _range(values.get("balance", ""), money=True)
    except (InvalidOperation, ValueError):
        raise ValueError(_("A range is two numbers, min-max; either may be left out.")) from None
    stages = tuple(s.strip() for s in values.get("stages", "").split(",") if s.strip())
    try:
        segment = Segment(stages, dpd[0], dpd[1], balance[0], balance[1],
                          values.get("debtor_kind", "").strip(),
                          values.get("postcode_prefix", "").strip(),
                          values.get("language", "").strip())
    except SegmentError as exc:
        raise ValueError(str(exc)) from None
    weights = {}
    for item in values.get("weights", "").replace(",", " ").split():
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(_("Write each weight as factor=number."))
        weights[name.strip()] = value.strip()
    return values.get("name", "").strip(), segment, weights


class CampaignForm(RecoModal):
    """Dismisses with (name, segment, weights), or None."""

    DEFAULT_CSS = """
    CampaignForm { align: center middle; }
    #campaign-form { width: 72; height: auto; max-height: 100%; border: round $accent;
                     background: $surface; padding: 0 1; }
    #campaign-form Input { height: 1; border: none; }
    #campaign-error { color: $error; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="campaign.cancel"),
                Binding("ctrl+s,f2", "save", "Save", id="campaign.save")]

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__()
        self.values = values

    def compose(self) -> ComposeResult:
        with Vertical(id="campaign-form"):
            yield Static(f"[b]{_('Campaign')}[/b]")
            for key, label in FIELDS:
                yield Label(_(label))
                yield Input(self.values.get(key, ""), id=f"campaign-{key}")
            yield Static("", id="campaign-error")
            yield Static(_("Enter on the last field or Ctrl+S saves · Esc cancels"),
                         classes="hint")

    def action_save(self) -> None:
        values = {key: self.query_one(f"#campaign-{key}", Input).value for key, _l in FIELDS}
        try:
            self.dismiss(parse_form(values))
        except ValueError as exc:
            self.query_one("#campaign-error", Static).update(str(exc))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if event.input.id == f"campaign-{FIELDS[-1][0]}":
            self.action_save()
        else:
            self.focus_next()


class CampaignsScreen(RecoScreen):
    DEFAULT_CSS = """
    #campaigns-header { height: 1; background: $primary; color: $text; padding: 0 1; }
    #table-campaign-list { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="campaigns.back"),
        Binding("n", "new", "New", id="campaigns.new"),
        Binding("enter", "edit", "Edit", id="campaigns.edit"),
        Binding("p", "pause", "Pause/resume", id="campaigns.pause"),
        Binding("g", "members", "Agents", id="campaigns.agents"),
        Binding("s", "apply", "Take segment", id="campaigns.apply"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.infos = []

    def compose(self) -> ComposeResult:
        yield Static(_("Campaigns"), id="campaigns-header")
        yield LiveTable([Column(pgettext("console", c.label), c.width, c.right)
                         for c in COLUMNS], id="table-campaign-list")
        yield Footer(show_command_palette=False)

    @property
    def table(self) -> LiveTable:
        return self.query_one(LiveTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="campaigns")
    def load(self) -> None:
        with self.app.store_session() as session:  # first: see App.store
            from recotui.store.campaigns import campaigns

            infos = campaigns(session)
        self.app.call_from_thread(self._show, infos)

    def _show(self, infos) -> None:  # noqa: ANN001
        self.infos = infos
        self.table.show_rows([(i.id.hex, (
            i.name[:20], _("active") if i.active else _("paused"),
            f"{i.open_cases:,}".replace(",", " "), ", ".join(i.members)[:14],
            segment_text(i.segment)[:30])) for i in infos])

    @property
    def current(self):  # noqa: ANN201
        key = self.table.current_key
        return next((i for i in self.infos if i.id.hex == key), None)

    def _form(self, info) -> None:  # noqa: ANN001
        values = {}
        if info is not None:
            s = info.segment
            values = {
                "name": info.name, "stages": ", ".join(s.stages),
                "dpd": "" if s.dpd_min is None and s.dpd_max is None else
                       f"{'' if s.dpd_min is None else s.dpd_min}-"
                       f"{'' if s.dpd_max is None else s.dpd_max}",
                "balance": "" if s.balance_min is None and s.balance_max is None else
                           f"{'' if s.balance_min is None else s.balance_min / 100:g}-"
                           f"{'' if s.balance_max is None else s.balance_max / 100:g}",
                "debtor_kind": s.debtor_kind, "postcode_prefix": s.postcode_prefix,
                "language": s.language,
                "weights": " ".join(f"{k}={v}" for k, v in info.weights.items())}

        def saved(result) -> None:  # noqa: ANN001
            if result is not None:
                self._save(result, info.id if info is not None else None)

        self.app.push_screen(CampaignForm(values), saved)

    def _save(self, result, campaign_id: uuid.UUID | None) -> None:  # noqa: ANN001
        from recotui.store.actions import ActionRefused
        from recotui.store.campaigns import save_campaign

        name, segment, weights = result
        try:
            save_campaign(self.app.store, name, segment, weights, campaign_id=campaign_id,
                          now=self.app.now())
        except ActionRefused as exc:
            self.notify(_(exc.template).format(**exc.params), severity="error")
            return
        self.notify(_("Campaign saved."), timeout=3)
        self.load()

    def action_new(self) -> None:
        self._form(None)

    def action_edit(self) -> None:
        if self.current is not None:
            self._form(self.current)

    def action_pause(self) -> None:
        from recotui.store.campaigns import set_active

        info = self.current
        if info is not None:
            set_active(self.app.store, info.id, not info.active)
            self.notify(_("Campaign resumed.") if not info.active else _("Campaign paused."),
                        timeout=3)
            self.load()

    def action_members(self) -> None:
        from recotui.screens.pick import PickScreen
        from recotui.store.campaigns import agents, set_members

        info = self.current
        if info is None:
            return
        with self.app.store_session() as session:
            everyone = agents(session)
        with self.app.store_session() as session:
            from sqlalchemy import select

            from recotui.store.tables import CampaignMember

            members = set(session.scalars(select(CampaignMember.user_id).where(
                CampaignMember.campaign_id == info.id)))
        choices = [(("● " if uid in members else "○ ") + name, uid) for uid, name in everyone]

        def chosen(user_id) -> None:  # noqa: ANN001
            if user_id is not None:
                set_members(self.app.store, info.id, members ^ {user_id})
                self.load()

        self.app.push_screen(PickScreen(_("Agents of {name} (Enter adds or removes)")
                                        .format(name=info.name), choices), chosen)

    def action_apply(self) -> None:
        if self.current is not None:
            self._apply(self.current.id)

    @work(thread=True, exclusive=True, group="campaigns-apply")
    def _apply(self, campaign_id: uuid.UUID) -> None:
        from recotui.store.campaigns import apply_segment

        done = apply_segment(self.app.store, campaign_id, self.app.user_id, now=self.app.now())
        self.app.call_from_thread(
            self.notify, _("{moved} cases moved in; {already} were in it; {elsewhere} left in "
                           "another campaign.").format(moved=done.moved, already=done.already,
                                                       elsewhere=done.elsewhere), timeout=8)
        self.app.call_from_thread(self.load)
        self.app.call_from_thread(self.app.request_sync)


def reassign_cases(screen: Screen, case_ids: list[uuid.UUID],
                   then: Callable[[int], None]) -> None:
    """Ask for the agent, then give them the cases: one assignment mutation per case."""
    from recotui.screens.pick import PickScreen
    from recotui.store.campaigns import agents, reassign

    app = screen.app
    with app.store_session() as session:
        choices = [(name, uid) for uid, name in agents(session)]
    choices.append((_("Nobody (unassigned)"), "none"))

    def chosen(agent) -> None:  # noqa: ANN001
        if agent is None:
            return
        count = reassign(app.store, case_ids, app.user_id,
                         None if agent == "none" else agent, now=app.now())
        app.notify(_("{n} cases reassigned.").format(n=count), timeout=4)
        app.request_sync()
        then(count)

    app.push_screen(PickScreen(_("Give {n} cases to").format(n=len(case_ids)), choices),
                    chosen)
