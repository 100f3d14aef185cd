"""The contact policy's verdict in the UI language, short enough for one line at 80 columns.

The domain explains itself in English; French is built here from the reason and the time
calls open again, in the debtor's zone.
"""

from __future__ import annotations

from datetime import datetime

from recotui.domain.contact_policy import BlockReason, ContactDecision, debtor_zone

FR_REASONS = {
    BlockReason.DO_NOT_CALL: "Ne pas appeler : débiteur opposé au démarchage",
    BlockReason.OUTSIDE_HOURS: "Hors des heures d'appel",
    BlockReason.ATTEMPT_CAP: "Plafond de tentatives atteint",
    BlockReason.COOLING_OFF: "Délai de repos après une conversation",
}
FR_DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")


def policy_text(decision: ContactDecision, timezone: str, now: datetime, language: str) -> str:
    if language != "fr":
        return decision.message
    zone = debtor_zone(timezone)
    local_now = now.astimezone(zone)
    if decision.allowed:
        return f"Appel autorisé : {local_now:%H:%M} ({zone.key})"
    text = FR_REASONS.get(decision.reason, "Appel bloqué")
    if decision.next_allowed_at is None:
        return text
    local = decision.next_allowed_at.astimezone(zone)
    when = f"{local:%H:%M}"
    if local.date() != local_now.date():
        when = f"{FR_DAYS[local.weekday()]} {local:%d/%m} {when}"
    return f"{text} ; prochain appel {when} ({zone.key})"
