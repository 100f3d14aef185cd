"""The dunning ladder: which step, if any, a case is due for on a given day.

Pure: the store hands in each case's facts, the run acts on the decision. One step per case
(never per invoice), at most one per run, and never two within the minimum gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from recotui.domain.vocab import LADDER, CaseStatus, PromiseStatus, Stage


class Channel(StrEnum):
    PHONE = "phone"  # a task for an agent: the case is put in the callback queue
    LETTER = "letter"  # a PDF for the post
    EMAIL = "email"  # the PDF by e-mail; by post when the debtor has no usable address


class Anchor(StrEnum):
    DUE = "due"  # days after the oldest open due date (negative: before it)
    PREVIOUS = "previous"  # days after the previous step


class Hold(StrEnum):
    DISPUTE = "dispute"
    PLAN = "plan"
    PROMISE = "promise"


class LadderError(ValueError):
    """A ladder configuration that cannot work; the message names the step."""


@dataclass(frozen=True, slots=True)
class LadderStep:
    name: str  # recorded as the letter's "stage"; names its template
    stage: Stage  # where the case stands once the step is done
    channel: Channel
    days: int
    after: Anchor = Anchor.PREVIOUS
    registered: bool = False  # registered post with acknowledgement of receipt (LRAR)
    deadline_days: int = 8  # the debtor's time to pay, stated in the letter

    @property
    def before_due(self) -> bool:
        """A preventive step: its moment has passed once the invoice is overdue."""
        return self.after == Anchor.DUE and self.days < 0


DEFAULT_STEPS: tuple[LadderStep, ...] = (
    LadderStep("preventive", Stage.PREVENTIVE, Channel.EMAIL, -5, Anchor.DUE),
    LadderStep("relance_1", Stage.RELANCE_1, Channel.EMAIL, 5, Anchor.DUE),
    LadderStep("relance_2", Stage.RELANCE_2, Channel.LETTER, 15),
    LadderStep("mise_en_demeure", Stage.MISE_EN_DEMEURE, Channel.LETTER, 15, registered=True),
    # A proposal only: the case goes to contentieux when someone builds the litigation file.
    LadderStep("contentieux_proposal", Stage.MISE_EN_DEMEURE, Channel.PHONE, 15),
)
DEFAULT_MIN_GAP_DAYS = 10


@dataclass(frozen=True, slots=True)
class Ladder:
    steps: tuple[LadderStep, ...] = DEFAULT_STEPS
    min_gap_days: int = DEFAULT_MIN_GAP_DAYS

    def __post_init__(self) -> None:
        if not self.steps:
            raise LadderError("The ladder needs at least one step.")
        if self.min_gap_days < 1:  # what makes a second run on the same day do nothing
            raise LadderError("min_gap_days must be at least 1.")
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names):
            raise LadderError("Two ladder steps have the same name.")
        ranks = [LADDER.index(s.stage) for s in self.steps]
        if ranks != sorted(ranks):
            raise LadderError("Ladder steps must not go back down the stages.")

    def step(self, name: str) -> LadderStep:
        for s in self.steps:
            if s.name == name:
                return s
        raise LadderError(f"No ladder step is named {name!r}.")

    def index(self, name: str | None) -> int:
        return next((i for i, s in enumerate(self.steps) if s.name == name), -1)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> Ladder:
        """From configuration: {"min_gap_days": 10, "steps": [{"name": ..., ...}, ...]}."""
        unknown = set(mapping) - {"min_gap_days", "steps"}
        if unknown:
            raise LadderError(f"Unknown ladder setting {sorted(unknown)[0]!r}.")
        gap = mapping.get("min_gap_days", DEFAULT_MIN_GAP_DAYS)
        if not isinstance(gap, int) or isinstance(gap, bool):
            raise LadderError(f"min_gap_days must be a whole number, not {gap!r}.")
        raw = mapping.get("steps")
        steps = DEFAULT_STEPS if raw is None else tuple(_step(i, s) for i, s in enumerate(raw))
        return cls(steps, gap)


_STEP_KEYS = {"name", "stage", "channel", "days", "after", "registered", "deadline_days"}


def _step(index: int, raw: Any) -> LadderStep:
    where = f"ladder step {index + 1}"
    if not isinstance(raw, Mapping):
        raise LadderError(f"{where} must be a table.")
    unknown = set(raw) - _STEP_KEYS
    if unknown:
        raise LadderError(f"{where}: unknown key {sorted(unknown)[0]!r}.")
    name = str(raw.get("name", "")).strip()
    if not name or not name.replace("_", "").isalnum():
        raise LadderError(f"{where}: name must be letters, digits or _, not {name!r}.")
    where = f"ladder step {name!r}"
    stage = _choice(where, "stage", raw.get("stage", name), Stage)
    channel = _choice(where, "channel", raw.get("channel", "letter"), Channel)
    after = _choice(where, "after", raw.get("after", "previous"), Anchor)
    numbers = {}
    for key, default in (("days", None), ("deadline_days", 8)):
        value = raw.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise LadderError(f"{where}: {key} must be a whole number, not {value!r}.")
        numbers[key] = value
    if numbers["days"] < 0 and after != Anchor.DUE:
        raise LadderError(f"{where}: only a step after the due date may have negative days.")
    return LadderStep(name, stage, channel, numbers["days"], after,
                      bool(raw.get("registered", False)), numbers["deadline_days"])


def _choice(where: str, key: str, value: Any, kind: type[StrEnum]) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(kind)
        raise LadderError(f"{where}: {key} must be one of {allowed}, not {value!r}.") from None


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the ladder needs to know of a case, as the store keeps it."""

    case_id: Any
    stage: str
    status: str
    balance_minor: int
    overdue_minor: int  # past due, not disputed
    disputed_minor: int
    first_due: date | None  # oldest due date of the open, undisputed invoices
    plan_active: bool
    promise_status: str  # "" | pending | broken
    last_step: str | None = None  # name of the latest ladder letter
    last_step_on: date | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    case_id: Any
    step: LadderStep | None = None
    hold: Hold | None = None
    waiting_until: date | None = None  # the next step is due then
    reason: str = ""  # why nothing is due, for a dry run's explanation
    stage_change: tuple[str, str] | None = field(default=None)  # (from, to)


def decide(ladder: Ladder, facts: CaseFacts, as_of: date) -> Decision:
    """The step this case is due for on as_of, or why none is."""
    cid = facts.case_id
    if facts.status != CaseStatus.OPEN:
        return Decision(cid, reason="closed")
    if facts.balance_minor <= 0:
        return Decision(cid, reason="paid")
    if facts.disputed_minor > 0:
        return Decision(cid, hold=Hold.DISPUTE, reason="dispute")
    if facts.plan_active:
        return Decision(cid, hold=Hold.PLAN, reason="plan")
    if facts.promise_status == PromiseStatus.PENDING:
        return Decision(cid, hold=Hold.PROMISE, reason="promise")
    if facts.first_due is None:
        return Decision(cid, reason="nothing open")
    position = _position(ladder, facts)
    last_on = facts.last_step_on
    for step in ladder.steps[position + 1:]:
        if step.before_due and as_of > facts.first_due:
            continue  # too late for a preventive reminder
        if not step.before_due and facts.overdue_minor <= 0:
            return Decision(cid, reason="not overdue")
        anchor = facts.first_due if step.after == Anchor.DUE or last_on is None else last_on
        when = anchor + timedelta(days=step.days)
        if last_on is not None:
            when = max(when, last_on + timedelta(days=ladder.min_gap_days))
        if as_of < when:
            return Decision(cid, waiting_until=when, reason="not yet")
        change = None
        if LADDER.index(step.stage) > LADDER.index(Stage(facts.stage)):
            change = (facts.stage, str(step.stage))
        return Decision(cid, step=step, stage_change=change)
    return Decision(cid, reason="end of ladder")


def _position(ladder: Ladder, facts: CaseFacts) -> int:
    """Index of the last step done: the latest letter's, or past every step whose stage the
    case has left (an agent escalated by hand). At a step's own stage, its letter is due."""
    done = ladder.index(facts.last_step)
    rank = LADDER.index(Stage(facts.stage))
    for i, step in enumerate(ladder.steps):
        if LADDER.index(step.stage) < rank:
            done = max(done, i)
    return done


def decide_all(ladder: Ladder, cases: Iterable[CaseFacts], as_of: date) -> list[Decision]:
    return [decide(ladder, facts, as_of) for facts in cases]


def tally(decisions: Sequence[Decision]) -> dict[str, int]:
    """Counts for the run's report: steps by name and holds by reason."""
    counts: dict[str, int] = {}
    for d in decisions:
        key = d.step.name if d.step else f"held: {d.hold}" if d.hold else ""
        if key:
            counts[key] = counts.get(key, 0) + 1
    return counts
