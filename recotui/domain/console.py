"""What the supervisor console shows, as plain values: built by the store (or read from the
server's JSON), handed to the widgets. `as_json` / `from_json` are the wire form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class CampaignBurn:
    key: str  # campaign id hex, "" for the cases in no campaign
    name: str
    active: bool
    open: int  # open cases now
    worked: int  # cases an agent worked today
    blocked: int  # open cases held: waiting on a promise or callback date, or in dispute
    remaining: int  # open, not held, not yet worked today


@dataclass(frozen=True, slots=True)
class MoneyToday:
    currency: str
    promised: int  # minor units of promises made today
    collected: int  # payments received today
    target: int | None  # the day's collection target, when configured


@dataclass(frozen=True, slots=True)
class BrokenPromise:
    case_id: str
    debtor: str
    agent: str
    amount: int
    currency: str
    due_date: date


@dataclass(frozen=True, slots=True)
class AgingRow:
    currency: str
    buckets: dict[str, int]
    total: int


@dataclass(frozen=True, slots=True)
class AgentRow:
    key: str  # user id hex
    name: str
    status: str  # active | idle | away | off
    last_action_at: datetime | None
    cases_worked: int
    calls: int
    right_party: int
    call_seconds: int
    logged_hours: float
    promises: int
    promised: dict[str, int]  # currency → minor units
    collected: dict[str, int]
    spark: tuple[int, ...]  # calls per day, oldest first, today last

    @property
    def calls_per_hour(self) -> float | None:
        return self.calls / self.logged_hours if self.logged_hours else None

    @property
    def rpc_rate(self) -> float | None:
        return self.right_party / self.calls if self.calls else None

    @property
    def handle_s(self) -> float | None:
        return self.call_seconds / self.calls if self.calls else None


@dataclass(frozen=True, slots=True)
class Console:
    now: datetime
    day: date
    campaigns: tuple[CampaignBurn, ...]
    money: tuple[MoneyToday, ...]
    kept: int  # promises due in the kept-rate window that were kept
    broken_count: int  # ... and broken
    broken: tuple[BrokenPromise, ...]
    aging: tuple[AgingRow, ...]
    agents: tuple[AgentRow, ...]
    kept_window_days: int = 30
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kept_rate(self) -> float | None:
        settled = self.kept + self.broken_count
        return self.kept / settled if settled else None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["now"], data["day"] = self.now.isoformat(), self.day.isoformat()
        for row in data["broken"]:
            row["due_date"] = row["due_date"].isoformat()
        for row in data["agents"]:
            at = row["last_action_at"]
            row["last_action_at"] = at.isoformat() if at else None
            row["spark"] = list(row["spark"])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Console:
        def when(text: str | None) -> datetime | None:
            return datetime.fromisoformat(text) if text else None

        return cls(
            now=datetime.fromisoformat(data["now"]), day=date.fromisoformat(data["day"]),
            campaigns=tuple(CampaignBurn(**c) for c in data["campaigns"]),
            money=tuple(MoneyToday(**m) for m in data["money"]),
            kept=data["kept"], broken_count=data["broken_count"],
            broken=tuple(BrokenPromise(**dict(b, due_date=date.fromisoformat(b["due_date"])))
                         for b in data["broken"]),
            aging=tuple(AgingRow(**a) for a in data["aging"]),
            agents=tuple(AgentRow(**dict(a, last_action_at=when(a["last_action_at"]),
                                         spark=tuple(a["spark"]))) for a in data["agents"]),
            kept_window_days=data.get("kept_window_days", 30), extra=data.get("extra", {}),
        )


@dataclass(frozen=True, slots=True)
class CaseLine:
    """A case behind a figure."""

    case_id: str
    debtor: str
    number: str
    currency: str
    balance: int
    overdue: int
    oldest_due_date: date | None
    stage: str
    agent: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["oldest_due_date"] = self.oldest_due_date.isoformat() if self.oldest_due_date else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseLine:
        due = data.get("oldest_due_date")
        return cls(**dict(data, oldest_due_date=date.fromisoformat(due) if due else None))
