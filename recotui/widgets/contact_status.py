"""One line under the debtor card: may the agent call now, and if not, why and from when.
While a call is in progress it says so, and that the outcome must be recorded."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from recotui.domain.contact_policy import BlockReason, ContactDecision, ContactPolicy, debtor_zone
from recotui.i18n import _

_BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def when_label(moment: datetime, now: datetime, timezone: str, language: str) -> str:
    """The debtor's local time, with the day when it is not today: "08:00", "mar. 25 nov. 08:00"."""
    from babel.dates import format_datetime

    zone = debtor_zone(timezone)
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    pattern = "HH:mm" if local.date() == today else "EEE d MMM HH:mm"
    return format_datetime(local, pattern, tzinfo=zone, locale=_BABEL_LOCALES.get(language, "en"))


def hours_today(policy: ContactPolicy, now: datetime, timezone: str) -> str:
    hours = policy.allowed_hours.get(now.astimezone(debtor_zone(timezone)).isoweekday())
    if hours is None:
        return _("no calls today")
    return f"{hours[0]:%H:%M}–{hours[1]:%H:%M}"


def decision_text(decision: ContactDecision, *, policy: ContactPolicy, now: datetime,
                  timezone: str, attempts: int, language: str) -> Text:
    if decision.allowed:
        return Text.assemble(("✓ " + _("Call allowed now"), "bold"), " · ",
                             _("calling hours today {hours}").format(
                                 hours=hours_today(policy, now, timezone)))
    if decision.reason == BlockReason.DO_NOT_CALL:
        why = _("Do not call: the debtor is marked do-not-call")
    elif decision.reason == BlockReason.COOLING_OFF:
        why = _("Cooling-off after a conversation")
    elif decision.reason == BlockReason.ATTEMPT_CAP:
        why = _("Attempt cap: {count} calls in {days} days").format(
            count=attempts, days=policy.attempt_window.days)
    else:
        why = _("Outside calling hours ({hours} there)").format(
            hours=hours_today(policy, now, timezone))
    text = Text("✗ " + why, "bold")
    if decision.next_allowed_at is not None:
        text.append(" · " + _("next call {when}").format(
            when=when_label(decision.next_allowed_at, now, timezone, language)))
    return text


class ContactStatus(Static):
    DEFAULT_CSS = """
    ContactStatus {
        height: auto;
        padding: 0 1;
        &.-allowed { background: $success-muted; }
        &.-blocked { background: $error-muted; }
        &.-call-open { background: $warning-muted; }
    }
    """

    def show(self, decision: ContactDecision | None, *, policy: ContactPolicy, now: datetime,
             timezone: str, attempts: int, language: str, call_open: bool = False,
             call_since: datetime | None = None, closed: bool = False) -> None:
        if decision is None:
            text = Text(_("Unknown time zone {zone}: cannot check the calling rules").format(
                zone=timezone), "bold")
        else:
            text = decision_text(decision, policy=policy, now=now, timezone=timezone,
                                 attempts=attempts, language=language)
        if call_open:  # the calling rules were checked when it was dialled
            text = Text("● " + _("Call in progress: record its outcome (c)"), "bold")
            if call_since is not None:
                text.append(" · " + _("dialled at {time}").format(
                    time=f"{call_since.astimezone():%H:%M}"))
        elif closed:
            text = Text(_("This case is closed."), "bold")
        self.set_class(call_open, "-call-open")
        self.set_class(not call_open and decision is not None and decision.allowed and not closed,
                       "-allowed")
        self.set_class(not call_open and (decision is None or not decision.allowed or closed),
                       "-blocked")
        self.update(text)
