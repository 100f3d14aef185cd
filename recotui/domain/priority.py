"""The priority score of a case, with the factors that explain it.

Each factor maps a fact about the case to a signal in [0, 1] (or [-1, 0] for what holds a case
back); its contribution is weight x signal. The score is the sum, in whole points, stored in an
indexed column so the queue is an index scan.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from recotui.domain.vocab import LADDER

STAGES: tuple[str, ...] = tuple(LADDER)

DEFAULT_WEIGHTS: Mapping[str, int] = {
    "overdue_amount": 300,
    "days_past_due": 250,
    "promise_due_today": 200,
    "promise_broken": 350,
    "callback_due": 1000,  # a due callback goes on top of the queue
    "since_last_contact": 150,
    "stage": 100,
    "dispute": 400,  # held back, in proportion to the disputed share
}

# The overdue signal saturates at this amount (log scale), in major units.
OVERDUE_SATURATION = 100_000
DPD_SATURATION_DAYS = 180
CONTACT_SATURATION_DAYS = 30


@dataclass(frozen=True, slots=True)
class Factor:
    name: str
    weight: int
    contribution: int


@dataclass(frozen=True, slots=True)
class PriorityInputs:
    overdue_minor: int
    balance_minor: int
    disputed_minor: int
    oldest_due_date: date | None
    stage: str
    promise_status: str = ""  # "" | pending | broken
    promise_due_date: date | None = None
    callback_at: datetime | None = None
    last_contact_at: datetime | None = None
    minor_per_major: int = 100


@dataclass(frozen=True, slots=True)
class PriorityScore:
    score: int
    factors: tuple[Factor, ...]

    def as_rows(self) -> list[list[object]]:
        """JSON-friendly form stored beside the score."""
        return [[f.name, f.weight, f.contribution] for f in self.factors]

    @classmethod
    def from_rows(cls, score: int, rows: list[list[object]]) -> PriorityScore:
        return cls(score, tuple(Factor(str(n), int(w), int(c)) for n, w, c in rows))


def _signals(case: PriorityInputs, now: datetime) -> dict[str, float]:
    today = now.date()
    overdue_major = max(case.overdue_minor, 0) / case.minor_per_major
    dpd = (today - case.oldest_due_date).days if case.oldest_due_date else 0
    if case.last_contact_at is None:
        since_contact = 1.0
    else:
        days = (now - case.last_contact_at).total_seconds() / 86_400
        since_contact = min(max(days, 0.0) / CONTACT_SATURATION_DAYS, 1.0)
    stage_index = STAGES.index(case.stage) if case.stage in STAGES else 0
    disputed_share = (
        case.disputed_minor / case.balance_minor if case.balance_minor > 0 else 0.0
    )
    return {
        "overdue_amount": min(math.log10(1 + overdue_major) / math.log10(OVERDUE_SATURATION), 1.0),
        "days_past_due": min(max(dpd, 0) / DPD_SATURATION_DAYS, 1.0),
        "promise_due_today": float(
            case.promise_status == "pending" and case.promise_due_date == today
        ),
        "promise_broken": float(case.promise_status == "broken"),
        "callback_due": float(case.callback_at is not None and case.callback_at <= now),
        "since_last_contact": since_contact,
        "stage": stage_index / (len(STAGES) - 1),
        "dispute": -min(max(disputed_share, 0.0), 1.0),
    }


def score_case(
    case: PriorityInputs, now: datetime, weights: Mapping[str, int] = DEFAULT_WEIGHTS
) -> PriorityScore:
    """Score a case at `now` (aware). Factors come out in a fixed order, largest effect first."""
    signals = _signals(case, now)
    factors = [
        Factor(name, weights.get(name, 0), round(weights.get(name, 0) * signal))
        for name, signal in signals.items()
    ]
    factors.sort(key=lambda f: -abs(f.contribution))
    return PriorityScore(sum(f.contribution for f in factors), tuple(factors))
