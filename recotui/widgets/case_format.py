"""Text for the case screen's widgets: dates, money and labels by language, and a one-line
summary of each kind of activity. Pure functions of plain values; no widget, no store."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from recotui.domain.money import Money, format_amount, format_money
from recotui.domain.vocab import (  # noqa: F401 - STAGE_LABELS... are shown from here too
    CLOSE_REASONS,
    DISPUTE_CATEGORIES,
    DISPUTE_RESOLUTIONS,
    FREQUENCIES,
    PAYMENT_METHODS,
    STAGE_LABELS,
)
from recotui.i18n import _

# Source strings are English; recotui/locale/fr_case.py has the French.
KIND_LABELS = {
    "call": "Call", "note": "Note", "promise": "Promise", "plan": "Plan",
    "payment": "Payment", "dispute": "Dispute", "letter": "Letter", "callback": "Callback",
    "stage": "Stage", "assignment": "Assignment", "close": "Case closed", "dial": "Dialled",
    "dispute_resolved": "Resolved",
}
INSTALMENT_STATUS = {"due": "due", "paid": "paid", "partial": "partial", "late": "late"}
PROMISE_STATUS = {"pending": "pending", "kept": "kept", "broken": "broken",
                  "cancelled": "cancelled"}
CHANNELS = {"letter": "by post", "email": "by e-mail", "registered": "by registered post"}
CONTACT_LABELS = {
    "main": "main", "office": "office", "mobile": "mobile", "accounting": "accounting",
    "home": "home", "work": "work", "fax": "fax", "billing": "billing",
}


def label(table: Mapping[str, str], code: str) -> str:
    """The translated label of a code, or the code itself when the table does not know it."""
    text = table.get(code)
    return _(text) if text else code


def fmt_date(day: date | None, language: str) -> str:
    if day is None:
        return ""
    return day.strftime("%d/%m/%Y" if language == "fr" else "%Y-%m-%d")


def fmt_datetime(moment: datetime | None, language: str) -> str:
    """In the agent's local time zone."""
    if moment is None:
        return ""
    local = moment.astimezone()
    return f"{fmt_date(local.date(), language)} {local:%H:%M}"


def fmt_money(minor: int, currency: str, language: str) -> str:
    return format_money(Money(minor, currency), language)


def fmt_amount(minor: int, currency: str, language: str) -> str:
    """Without the currency sign, for columns."""
    return format_amount(Money(minor, currency), language)


def fmt_legal_id(legal_id: str) -> str:
    """SIREN as 123 456 789, SIRET as 123 456 789 00012; anything else as given."""
    digits = legal_id.replace(" ", "")
    if digits.isdigit() and len(digits) in (9, 14):
        return f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}".rstrip()
    return legal_id


def legal_id_kind(legal_id: str) -> str:
    digits = legal_id.replace(" ", "")
    return {9: "SIREN", 14: "SIRET"}.get(len(digits), "") if digits.isdigit() else ""


def _duration(seconds: int) -> str:
    if seconds <= 0:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs:02d}" if minutes else f"{secs} s"


def _date_text(value: Any, language: str) -> str:
    try:
        return fmt_date(date.fromisoformat(str(value)), language)
    except ValueError:
        return str(value or "")


def _datetime_text(value: Any, language: str) -> str:
    try:
        return fmt_datetime(datetime.fromisoformat(str(value)), language)
    except ValueError:
        return str(value or "")


def _name(names: Mapping[str, str], value: Any) -> str:
    if not value:
        return ""
    try:
        key = uuid.UUID(str(value)).hex
    except ValueError:
        return str(value)
    return names.get(key, key[:8])


def summarize(kind: str, payload: Mapping[str, Any], *, language: str, currency: str,
              names: Mapping[str, str] | None = None,
              dispositions: Mapping[str, str] | None = None,
              reasons: Mapping[str, str] | None = None) -> str:
    """What an activity says, on one line: "Promise to pay · 4 min 12 · Will pay on Monday"."""
    names = names or {}
    p = payload
    money_of = lambda key: fmt_money(int(p.get(key) or 0), str(p.get("currency") or currency),  # noqa: E731
                                     language)
    parts: list[str]
    if kind == "call":
        parts = [label(dispositions or {}, str(p.get("disposition", ""))), str(p.get("phone", "")),
                 _duration(int(p.get("duration_s") or 0)), str(p.get("note", ""))]
    elif kind == "note":
        reason = label(reasons or {}, str(p.get("reason", "")))
        text = str(p.get("text", ""))
        return f"{reason}: {text}" if text else reason
    elif kind == "promise":
        parts = [_("{amount} by {date}").format(amount=money_of("amount_minor"),
                                              date=_date_text(p.get("due_date"), language))]
    elif kind == "plan":
        parts = [
            _("{count} × {frequency}").format(
                count=p.get("count", "?"),
                frequency=label(FREQUENCIES, str(p.get("frequency", "")))),
            money_of("total_minor"),
            _("from {date}").format(date=_date_text(p.get("first_date"), language)),
        ]
        if p.get("down_payment_minor"):
            parts.append(_("down payment {amount}").format(amount=money_of("down_payment_minor")))
    elif kind == "payment":
        parts = [money_of("amount_minor"), label(PAYMENT_METHODS, str(p.get("method", ""))),
                 _("received {date}").format(date=_date_text(p.get("received_on"), language))]
    elif kind == "dispute":
        count = len(p.get("invoice_ids") or ())
        parts = [label(DISPUTE_CATEGORIES, str(p.get("category", ""))), str(p.get("text", "")),
                 _("{count} invoice(s)").format(count=count) if count else ""]
    elif kind == "dispute_resolved":
        count = len(p.get("invoice_ids") or ())
        parts = [label(DISPUTE_RESOLUTIONS, str(p.get("resolution", ""))), str(p.get("text", "")),
                 _("{count} invoice(s)").format(count=count) if count else ""]
    elif kind == "dial":
        parts = [str(p.get("phone", "")), str(p.get("dialler", ""))]
    elif kind == "callback":
        parts = [_("call back {when}").format(when=_datetime_text(p.get("at"), language))]
    elif kind == "stage":
        parts = [f"{label(STAGE_LABELS, str(p.get('from', '')))} → "
                 f"{label(STAGE_LABELS, str(p.get('to', '')))}"]
    elif kind == "letter":
        parts = [label(STAGE_LABELS, str(p.get("stage", ""))),
                 label(CHANNELS, str(p.get("channel", "")))]
    elif kind == "assignment":
        agent, campaign = _name(names, p.get("agent_id")), _name(names, p.get("campaign_id"))
        parts = [_("to {agent}").format(agent=agent) if agent else _("unassigned"), campaign]
    elif kind == "close":
        parts = [label(CLOSE_REASONS, str(p.get("reason", "")))]
    else:
        parts = [f"{key}={value}" for key, value in p.items()]
    return " · ".join(part for part in parts if part)
