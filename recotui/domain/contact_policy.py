"""When a debtor may be called: hours in their time zone, attempt cap, cooling-off, opt-out."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAY_KEYS: dict[str, int] = {
    "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7,
}
_DAY_NAMES = {number: key.capitalize() for key, number in WEEKDAY_KEYS.items()}
_FULL_DAY_NAMES = {
    1: "Monday", 2: "Tuesday", 3: "Wednesday", 4: "Thursday", 5: "Friday", 6: "Saturday",
    7: "Sunday",
}
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_HOURS_TEXT = re.compile(r"(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})")
_CLOSED_TEXT = {"", "closed", "none", "-"}
_POLICY_KEYS = {"hours", "max_attempts", "window_days", "cooling_off_hours"}


def _default_hours() -> Mapping[int, tuple[time, time]]:
    weekday = (time(8, 0), time(20, 0))
    return {1: weekday, 2: weekday, 3: weekday, 4: weekday, 5: weekday, 6: (time(9), time(13))}


@dataclass(frozen=True, slots=True)
class ContactPolicy:
    """Example defaults; each business sets its own in configuration."""

    # ISO weekday (1 = Monday) -> (start, end) in the debtor's local time, end excluded.
    # A missing day has no calls at all (Sunday by default).
    allowed_hours: Mapping[int, tuple[time, time]] = field(default_factory=_default_hours)
    max_attempts: int = 7
    attempt_window: timedelta = timedelta(days=7)
    cooling_off: timedelta = timedelta(hours=48)  # after a right-party conversation

    def __post_init__(self) -> None:
        hours: dict[int, tuple[time, time]] = {}
        for weekday, (start, end) in sorted(self.allowed_hours.items()):
            if weekday not in _FULL_DAY_NAMES:
                raise ValueError(f"Weekday must be 1 (Monday) to 7 (Sunday), not {weekday!r}.")
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("Calling hours are local wall-clock times, without a zone.")
            if not start < end:
                raise ValueError(
                    f"Calling hours on {_FULL_DAY_NAMES[weekday]} must start before they end."
                )
            hours[weekday] = (start, end)
        object.__setattr__(self, "allowed_hours", MappingProxyType(hours))
        if self.max_attempts < 1:
            raise ValueError("The attempt cap must be at least 1.")
        if self.attempt_window <= timedelta(0):
            raise ValueError("The attempt window must be longer than zero.")
        if self.cooling_off < timedelta(0):
            raise ValueError("The cooling-off period must not be negative.")

    def __hash__(self) -> int:
        return hash(
            (tuple(self.allowed_hours.items()), self.max_attempts, self.attempt_window,
             self.cooling_off)
        )

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> ContactPolicy:
        """From configuration: {"hours": {"mon": "08:00-20:00", ...}, "max_attempts": 7,
        "window_days": 7, "cooling_off_hours": 48}. Missing keys keep the defaults; a given
        "hours" table replaces the whole week, and a day left out (or "closed") has no calls.
        """
        unknown = sorted(set(data) - _POLICY_KEYS)
        if unknown:
            raise ValueError(f"Unknown contact policy setting: {', '.join(unknown)}.")
        defaults = cls()
        hours = defaults.allowed_hours
        if "hours" in data:
            hours = _parse_week(data["hours"])
        return cls(
            allowed_hours=hours,
            max_attempts=_number(data, "max_attempts", defaults.max_attempts, whole=True),
            attempt_window=timedelta(
                days=_number(data, "window_days", defaults.attempt_window.days)
            ),
            cooling_off=timedelta(
                hours=_number(
                    data, "cooling_off_hours", defaults.cooling_off.total_seconds() / 3600
                )
            ),
        )


def _parse_week(value: object) -> dict[int, tuple[time, time]]:
    if not isinstance(value, Mapping):
        raise ValueError('Contact policy "hours" must be a table like {mon = "08:00-20:00"}.')
    week: dict[int, tuple[time, time]] = {}
    for key, text in value.items():
        weekday = WEEKDAY_KEYS.get(str(key).strip().lower()[:3])
        if weekday is None:
            raise ValueError(f'Unknown weekday "{key}" in calling hours; use mon ... sun.')
        if str(text).strip().lower() in _CLOSED_TEXT:
            continue
        match = _HOURS_TEXT.fullmatch(str(text).strip())
        if match is None:
            raise ValueError(f'Calling hours for {key} "{text}" are not like 08:00-20:00.')
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        try:
            week[weekday] = (time(h1, m1), time(h2, m2))
        except ValueError:
            raise ValueError(f'Calling hours for {key} "{text}" are not valid times.') from None
    return week


def _number(data: Mapping[str, object], key: str, default: float, *, whole: bool = False) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f'Contact policy "{key}" must be a number, not "{value}".')
    if whole and value != int(value):
        raise ValueError(f'Contact policy "{key}" must be a whole number, not "{value}".')
    return int(value) if whole else value


class BlockReason(StrEnum):
    DO_NOT_CALL = "do_not_call"
    OUTSIDE_HOURS = "outside_hours"
    ATTEMPT_CAP = "attempt_cap"
    COOLING_OFF = "cooling_off"


@dataclass(frozen=True, slots=True)
class ContactDecision:
    allowed: bool
    reason: BlockReason | None  # the first rule that blocks, in checking order
    message: str
    next_allowed_at: datetime | None  # UTC, when every rule is met; None if allowed or never


def check_contact(
    policy: ContactPolicy,
    *,
    now: datetime,
    debtor_timezone: str,
    attempts: Sequence[datetime],
    last_conversation_at: datetime | None,
    do_not_call: bool,
) -> ContactDecision:
    """Whether a call may be placed now, and if not, why and from when.

    Checked in order: do-not-call, cooling-off, attempt cap, calling hours. The first rule
    that blocks names the reason; next_allowed_at is the first moment all rules are met.
    """
    zone = debtor_zone(debtor_timezone)
    now = _utc(now, "now")
    if do_not_call:
        return ContactDecision(
            False, BlockReason.DO_NOT_CALL, "Do not call: this debtor is marked do-not-call.", None
        )

    # Rules that only pass with time: (reason, when it passes, what it says).
    waits: list[tuple[BlockReason, datetime, str]] = []
    if last_conversation_at is not None:
        cooling_end = _utc(last_conversation_at, "last_conversation_at") + policy.cooling_off
        if now < cooling_end:
            waits.append(
                (BlockReason.COOLING_OFF, cooling_end,
                 f"Cooling-off after a conversation until {_label(cooling_end, zone, now)} "
                 f"in {zone.key}")
            )
    window_start = now - policy.attempt_window
    recent = sorted(a for a in (_utc(t, "attempts") for t in attempts) if window_start < a <= now)
    if len(recent) >= policy.max_attempts:
        # Calls are allowed again once enough of these have left the rolling window.
        cap_end = recent[len(recent) - policy.max_attempts] + policy.attempt_window
        waits.append(
            (BlockReason.ATTEMPT_CAP, cap_end,
             f"Attempt cap: {len(recent)} calls in the last {_duration(policy.attempt_window)}")
        )

    earliest = max([now, *(when for _, when, _ in waits)])
    next_at = _next_opening(policy, zone, earliest)
    local_now = now.astimezone(zone)
    if not waits and next_at == now:
        return ContactDecision(True, None, f"Call allowed: {local_now:%H:%M} in {zone.key}", None)

    if waits:
        reason, _, text = waits[0]
    else:
        reason = BlockReason.OUTSIDE_HOURS
        text = (
            f"Outside calling hours: {local_now:%H:%M} in {zone.key} "
            f"({_hours_of_day(policy, local_now.isoweekday())})"
        )
    if next_at is None:
        return ContactDecision(False, reason, f"{text}; no calling hours are set.", None)
    where = "" if zone.key in text else f" in {zone.key}"
    next_call = f"next call {_label(next_at, zone, now)}{where}"
    return ContactDecision(False, reason, f"{text}; {next_call}", next_at)


def debtor_zone(name: str) -> ZoneInfo:
    """The debtor's time zone; an unknown name is a ValueError, as for any bad input."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f'Unknown time zone "{name}".') from None


def _utc(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be a time-zone-aware datetime.")
    return moment.astimezone(UTC)


def _next_opening(policy: ContactPolicy, zone: ZoneInfo, after: datetime) -> datetime | None:
    """The first instant at or after `after` inside calling hours, or None when there are none.

    Hours are wall-clock times in the debtor's zone, so a DST change moves them in UTC.
    """
    local = after.astimezone(zone)
    for offset in range(8):  # today, then a full week ahead
        day: date = local.date() + timedelta(days=offset)
        hours = policy.allowed_hours.get(day.isoweekday())
        if hours is None:
            continue
        start, end = hours
        if offset == 0 and start <= local.time() < end:
            return after
        opening = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
        if opening > after:
            return opening
    return None


def _hours_of_day(policy: ContactPolicy, weekday: int) -> str:
    hours = policy.allowed_hours.get(weekday)
    if hours is None:
        return f"no calls on {_FULL_DAY_NAMES[weekday]}"
    return f"allowed {hours[0]:%H:%M}–{hours[1]:%H:%M}"


def _label(moment: datetime, zone: ZoneInfo, now: datetime) -> str:
    """Local time, with the day when it is not today's: "22:00" or "Thu 12 Jun 08:00"."""
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return clock
    year = f" {local.year}" if local.year != today.year else ""
    day = f"{_DAY_NAMES[local.isoweekday()]} {local.day} {_MONTH_NAMES[local.month - 1]}{year}"
    return f"{day} {clock}"


def _duration(span: timedelta) -> str:
    if span % timedelta(days=1) == timedelta(0):
        days = span.days
        return f"{days} day{'s' if days != 1 else ''}"
    hours = span / timedelta(hours=1)
    return f"{hours:g} hours"
