"""Who the debtor is and where the case stands, in as few lines as the width allows:

    Boulangerie Dupont SARL · C0001 · SIRET 123 456 789 00012 · français · consent ✓
    14:32 Europe/Paris · office +33 1 23 45 67 89 · compta@dupont.fr
    Reminder 2 · Balance 3 400,00 € · Overdue 2 400,00 € · Disputed 1 000,00 € · Alice

Each line is a group of items joined by " · ", wrapped between items, never inside one.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from recotui.domain.contact_policy import debtor_zone
from recotui.i18n import _
from recotui.store.case_view import CaseView
from recotui.widgets.case_format import (
    CLOSE_REASONS,
    CONTACT_LABELS,
    STAGE_LABELS,
    fmt_legal_id,
    fmt_money,
    label,
    legal_id_kind,
)

SEPARATOR = " · "
Item = tuple[Text, bool]  # the text, and whether it may be left out when it would add a line


def language_name(code: str, ui_language: str) -> str:
    try:
        from babel import Locale

        return Locale.parse(code).get_display_name(ui_language) or code
    except (ValueError, TypeError, LookupError):
        return code


def local_time(now: datetime, timezone: str) -> str:
    try:
        return f"{now.astimezone(debtor_zone(timezone)):%H:%M} {timezone}"
    except ValueError:
        return _("unknown time zone {zone}").format(zone=timezone)


def pack(groups: list[list[Item]], width: int) -> list[Text]:
    """Lines of at most `width` cells; each group starts a line and wraps between items."""
    lines: list[Text] = []
    width = max(width, 1)
    for group in groups:
        line: Text | None = None
        for text, optional in group:
            if line is None:
                line = Text()
                line.append_text(text)  # the item's style stays on the item
            elif line.cell_len + len(SEPARATOR) + text.cell_len <= width:
                line.append(SEPARATOR, "dim")
                line.append_text(text)
            elif not optional:
                lines.append(line)
                line = Text()
                line.append_text(text)
        if line is not None:
            lines.append(line)
    return lines


class DebtorCard(Widget):
    DEFAULT_CSS = """
    DebtorCard {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    """

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.groups: list[list[Item]] = [[(Text(_("Loading…"), "dim"), False)]]

    def show(self, view: CaseView, *, now: datetime, language: str) -> None:
        d = view.debtor
        money = lambda minor: fmt_money(minor, view.currency, language)  # noqa: E731
        identity: list[Item] = [(Text(d.name, "bold"), False), (Text(d.number), False)]
        if d.legal_id:
            kind = legal_id_kind(d.legal_id)
            identity.append((Text(f"{kind} {fmt_legal_id(d.legal_id)}".strip()), False))
        if d.kind == "consumer":
            identity.append((Text(_("consumer")), False))
        identity.append((Text(language_name(d.language, language)), False))
        if d.do_not_call:
            identity.append((Text(_("DO NOT CALL"), "bold red"), False))
        if not d.contact_consent:
            identity.append((Text(_("no contact consent"), "bold red"), False))
        else:
            identity.append((Text(_("consent ✓"), "green"), True))

        reach: list[Item] = [(Text(local_time(now, d.timezone), "bold"), False)]
        for contact in d.contacts:
            text = Text()
            if contact.kind == "phone":
                text.append(label(CONTACT_LABELS, contact.label) + " ", "dim")
                text.append(contact.value, "strike red" if contact.do_not_call else "")
                if contact.do_not_call:
                    text.append(" " + _("(do not call)"), "red")
            else:
                if contact.label not in ("main", ""):
                    text.append(label(CONTACT_LABELS, contact.label) + " ", "dim")
                text.append(contact.value)
            reach.append((text, False))
        if not d.contacts:
            reach.append((Text(_("no phone or e-mail"), "dim"), False))

        stage = Text(label(STAGE_LABELS, view.stage), "bold reverse")
        case: list[Item] = [(stage, False)]
        if view.status == "closed":
            closed = _("Closed")
            if view.closed_reason:
                closed += f" ({label(CLOSE_REASONS, view.closed_reason)})"
            case.append((Text(closed, "bold red"), False))
        case.append((Text.assemble(_("Balance") + " ", (money(view.balance_minor), "bold")),
                     False))
        case.append((Text.assemble(_("Overdue") + " ", (money(view.overdue_minor), "bold red")),
                     False))
        case.append((Text.assemble(
            _("Disputed") + " ",
            (money(view.disputed_minor), "magenta" if view.disputed_minor else "")), False))
        if view.assigned_agent:
            case.append((Text(view.assigned_agent, "dim"), True))
        if view.campaign:
            case.append((Text(view.campaign, "dim"), True))
        self.groups = [identity, reach, case]
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(pack(self.groups, width))

    def render(self) -> Text:
        text = Text("\n").join(pack(self.groups, self.content_region.width))
        text.no_wrap, text.overflow = True, "ellipsis"
        return text
