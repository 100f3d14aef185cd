"""The codes the book speaks in. Stored as these strings; labels are for display."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    PREVENTIVE = "preventive"
    RELANCE_1 = "relance_1"
    RELANCE_2 = "relance_2"
    MISE_EN_DEMEURE = "mise_en_demeure"
    CONTENTIEUX = "contentieux"


LADDER: tuple[Stage, ...] = tuple(Stage)


def next_stage(stage: str) -> Stage | None:
    """The next rung of the ladder, or None at contentieux."""
    index = LADDER.index(Stage(stage))
    return LADDER[index + 1] if index + 1 < len(LADDER) else None


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class CloseReason(StrEnum):
    PAID = "paid"
    SETTLED = "settled"
    WRITTEN_OFF = "written_off"
    BAILIFF = "bailiff"


class ActivityKind(StrEnum):
    CALL = "call"
    NOTE = "note"
    PROMISE = "promise"
    PLAN = "plan"
    PAYMENT = "payment"
    DISPUTE = "dispute"
    LETTER = "letter"
    CALLBACK = "callback"
    STAGE = "stage"
    ASSIGNMENT = "assignment"
    CLOSE = "close"
    DIAL = "dial"  # a number dialled from the case; the call outcome follows as a CALL
    DISPUTE_RESOLVED = "dispute_resolved"


class PromiseStatus(StrEnum):
    PENDING = "pending"
    KEPT = "kept"
    BROKEN = "broken"
    CANCELLED = "cancelled"


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


# Call outcomes; the defaults of the configurable list. A conversation starts cooling-off.
DISPOSITIONS: dict[str, str] = {
    "no_answer": "No answer",
    "busy": "Busy",
    "voicemail": "Voicemail",
    "wrong_number": "Wrong number",
    "right_party": "Right-party contact",
    "third_party": "Third party",
    "refused": "Refused to pay",
    "dispute_raised": "Dispute raised",
    "promise": "Promise to pay",
    "callback_requested": "Callback requested",
}
CONVERSATION_DISPOSITIONS = frozenset(
    {"right_party", "refused", "dispute_raised", "promise", "callback_requested"}
)

NON_PAYMENT_REASONS: dict[str, str] = {
    "cash_flow": "Cash-flow difficulties",
    "forgot": "Forgot / oversight",
    "invoice_not_received": "Invoice not received",
    "dispute": "Disagrees with the invoice",
    "awaiting_approval": "Awaiting internal approval",
    "insolvency": "Insolvency proceedings",
    "other": "Other",
}

DISPUTE_CATEGORIES: dict[str, str] = {
    "quality": "Quality",
    "delivery": "Delivery",
    "price": "Price",
    "already_paid": "Already paid",
    "not_ordered": "Not ordered",
    "other": "Other",
}

# How a dispute ends; the disputed invoices go back to collection whichever it is, and a
# credit note reaches the book through accounting, not from here.
DISPUTE_RESOLUTIONS: dict[str, str] = {
    "invoice_confirmed": "Invoice confirmed, back to collection",
    "credit_note": "Credit note to be issued",
    "corrected": "Invoice corrected",
    "withdrawn": "Withdrawn by the debtor",
}

STAGE_LABELS: dict[str, str] = {
    "preventive": "Preventive", "relance_1": "Reminder 1", "relance_2": "Reminder 2",
    "mise_en_demeure": "Formal notice", "contentieux": "Litigation",
}

CLOSE_REASONS: dict[str, str] = {
    "paid": "Paid", "settled": "Settled", "written_off": "Written off",
    "bailiff": "Sent to bailiff",
}

FREQUENCIES: dict[str, str] = {"weekly": "weekly", "fortnightly": "fortnightly",
                               "monthly": "monthly"}

PAYMENT_METHODS: dict[str, str] = {
    "transfer": "Bank transfer",
    "card": "Card",
    "cheque": "Cheque",
    "direct_debit": "Direct debit",
    "cash": "Cash",
    "ledger": "Accounting ledger",
}
