from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recotui.domain.contact_policy import (
    BlockReason,
    ContactDecision,
    ContactPolicy,
    check_contact,
)

PARIS = "Europe/Paris"
NEW_YORK = "America/New_York"
POLICY = ContactPolicy()


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def check(
    now: datetime,
    *,
    zone: str = PARIS,
    attempts: tuple[datetime, ...] = (),
    last_conversation_at: datetime | None = None,
    do_not_call: bool = False,
    policy: ContactPolicy = POLICY,
) -> ContactDecision:
    return check_contact(
        policy,
        now=now,
        debtor_timezone=zone,
        attempts=attempts,
        last_conversation_at=last_conversation_at,
        do_not_call=do_not_call,
    )


# June 2025 in Paris is CEST (UTC+2): Mon 9, Tue 10, Wed 11, Thu 12, Fri 13, Sat 14, Sun 15.


def test_allowed_in_hours() -> None:
    decision = check(utc(2025, 6, 11, 8, 0))  # Wed 10:00 in Paris
    assert decision == ContactDecision(True, None, "Call allowed: 10:00 in Europe/Paris", None)


def test_do_not_call_wins_over_everything_and_has_no_next_time() -> None:
    decision = check(
        utc(2025, 6, 8, 23, 0),  # Sunday night, also outside hours
        last_conversation_at=utc(2025, 6, 8, 10, 0),
        do_not_call=True,
    )
    assert not decision.allowed
    assert decision.reason is BlockReason.DO_NOT_CALL
    assert decision.next_allowed_at is None
    assert "do-not-call" in decision.message


def test_outside_hours_in_the_evening() -> None:
    decision = check(utc(2025, 6, 9, 19, 5))  # Mon 21:05 CEST
    assert decision.reason is BlockReason.OUTSIDE_HOURS
    assert decision.message.startswith(
        "Outside calling hours: 21:05 in Europe/Paris (allowed 08:00–20:00)"
    )
    assert decision.message.endswith("next call Tue 10 Jun 08:00")
    assert decision.next_allowed_at == utc(2025, 6, 10, 6, 0)  # Tue 08:00 CEST


def test_hours_start_included_end_excluded() -> None:
    assert check(utc(2025, 6, 10, 6, 0)).allowed  # Tue 08:00
    assert check(utc(2025, 6, 10, 17, 59)).allowed  # Tue 19:59
    assert not check(utc(2025, 6, 10, 18, 0)).allowed  # Tue 20:00
    assert check(utc(2025, 6, 14, 10, 59)).allowed  # Sat 12:59
    saturday_one_pm = check(utc(2025, 6, 14, 11, 0))  # Sat 13:00: closed until Monday
    assert saturday_one_pm.next_allowed_at == utc(2025, 6, 16, 6, 0)


def test_sunday_is_closed() -> None:
    decision = check(utc(2025, 6, 15, 10, 0))  # Sun 12:00
    assert "(no calls on Sunday)" in decision.message
    assert decision.next_allowed_at == utc(2025, 6, 16, 6, 0)  # Mon 08:00 CEST


def test_cooling_off_after_a_conversation() -> None:
    # Conversation Tue 10:00 CEST; 48 h later is Thu 10:00 CEST = 08:00 UTC, inside hours.
    spoke = utc(2025, 6, 10, 8, 0)
    decision = check(utc(2025, 6, 11, 8, 0), last_conversation_at=spoke)
    assert decision.reason is BlockReason.COOLING_OFF
    assert decision.next_allowed_at == utc(2025, 6, 12, 8, 0)
    assert decision.message == (
        "Cooling-off after a conversation until Thu 12 Jun 10:00 in Europe/Paris; "
        "next call Thu 12 Jun 10:00"
    )
    assert check(utc(2025, 6, 12, 8, 0), last_conversation_at=spoke).allowed  # just over


def test_attempt_cap_in_a_rolling_window() -> None:
    now = utc(2025, 6, 11, 8, 0)  # Wed 10:00 CEST
    oldest = utc(2025, 6, 5, 9, 0)  # Thu 11:00 CEST the week before
    attempts = (oldest, *(utc(2025, 6, day, 9, 0) for day in (6, 9, 10)),
                utc(2025, 6, 10, 14, 0), utc(2025, 6, 11, 7, 0), utc(2025, 6, 11, 7, 30))
    assert len(attempts) == 7
    decision = check(now, attempts=attempts)
    assert decision.reason is BlockReason.ATTEMPT_CAP
    # The oldest leaves the window 7 days after it: Thu 12 Jun 09:00 UTC = 11:00 CEST.
    assert decision.next_allowed_at == oldest + timedelta(days=7)
    assert decision.message == (
        "Attempt cap: 7 calls in the last 7 days; next call Thu 12 Jun 11:00 in Europe/Paris"
    )
    assert check(now, attempts=attempts[1:]).allowed  # 6 calls


def test_attempt_exactly_one_window_ago_no_longer_counts() -> None:
    now = utc(2025, 6, 11, 8, 0)
    attempts = (now - timedelta(days=7), *(now - timedelta(hours=h) for h in range(1, 7)))
    assert check(now, attempts=attempts).allowed


def test_over_the_cap_waits_until_enough_attempts_have_aged_out() -> None:
    # 9 calls with a cap of 7: allowed again when the 3rd oldest leaves the window.
    now = utc(2025, 6, 11, 8, 0)
    attempts = tuple(utc(2025, 6, 5, 9, 0) + timedelta(hours=h) for h in range(9))
    decision = check(now, attempts=attempts)
    assert decision.next_allowed_at == attempts[2] + timedelta(days=7)  # Thu 12 Jun 13:00 CEST


def test_future_attempts_are_not_counted() -> None:
    now = utc(2025, 6, 11, 8, 0)
    assert check(now, attempts=tuple(now + timedelta(minutes=m) for m in range(1, 10))).allowed


def test_cooling_off_ending_late_evening_waits_for_the_next_morning() -> None:
    # Conversation Mon 22:00 CEST; cooling-off ends Wed 22:00 CEST (20:00 UTC), after hours,
    # so the next call is Thu 08:00 CEST = 06:00 UTC.
    decision = check(utc(2025, 6, 11, 8, 0), last_conversation_at=utc(2025, 6, 9, 20, 0))
    assert decision.reason is BlockReason.COOLING_OFF
    assert decision.next_allowed_at == utc(2025, 6, 12, 6, 0)
    assert decision.message == (
        "Cooling-off after a conversation until 22:00 in Europe/Paris; next call Thu 12 Jun 08:00"
    )


def test_cooling_off_ending_friday_night_waits_for_saturday_morning() -> None:
    # Ends Fri 13 Jun 22:00 CEST -> Sat 09:00 CEST = 07:00 UTC.
    decision = check(utc(2025, 6, 12, 8, 0), last_conversation_at=utc(2025, 6, 11, 20, 0))
    assert decision.next_allowed_at == utc(2025, 6, 14, 7, 0)


def test_cooling_off_and_cap_together_take_the_later_then_hours() -> None:
    # Cooling-off ends Wed 12:00 CEST; the cap ends Thu 21:00 CEST (after hours) -> Fri 08:00.
    now = utc(2025, 6, 11, 8, 0)
    oldest = utc(2025, 6, 5, 19, 0)
    attempts = (oldest, *(now - timedelta(hours=h) for h in range(1, 7)))
    decision = check(now, attempts=attempts, last_conversation_at=utc(2025, 6, 9, 10, 0))
    assert decision.reason is BlockReason.COOLING_OFF  # first in checking order
    assert decision.next_allowed_at == utc(2025, 6, 13, 6, 0)


def test_spring_forward_in_paris() -> None:
    # Sat 29 Mar 2025 13:30 CET (12:30 UTC) is after Saturday hours; clocks go forward on
    # Sunday 30 Mar, so Monday 08:00 CEST is 06:00 UTC, not 07:00.
    decision = check(utc(2025, 3, 29, 12, 30))
    assert decision.message.startswith("Outside calling hours: 13:30 in Europe/Paris")
    assert decision.next_allowed_at == utc(2025, 3, 31, 6, 0)
    assert not check(utc(2025, 3, 31, 5, 30)).allowed  # Mon 07:30 CEST
    assert check(utc(2025, 3, 31, 6, 0)).allowed  # Mon 08:00 CEST
    assert not check(utc(2025, 3, 28, 6, 30)).allowed  # Fri 07:30 CET
    assert check(utc(2025, 3, 28, 7, 0)).allowed  # Fri 08:00 CET


def test_fall_back_in_paris() -> None:
    # Sat 25 Oct 2025 14:00 CEST (12:00 UTC); clocks go back on Sunday 26 Oct, so Monday
    # 08:00 CET is 07:00 UTC.
    decision = check(utc(2025, 10, 25, 12, 0))
    assert decision.next_allowed_at == utc(2025, 10, 27, 7, 0)


def test_debtor_in_new_york() -> None:
    # Mon 9 Jun 21:00 EDT (UTC-4) = Tue 01:00 UTC: too late there -> Tue 08:00 EDT = 12:00 UTC.
    decision = check(utc(2025, 6, 10, 1, 0), zone=NEW_YORK)
    assert decision.reason is BlockReason.OUTSIDE_HOURS
    assert decision.message.startswith("Outside calling hours: 21:00 in America/New_York")
    assert decision.next_allowed_at == utc(2025, 6, 10, 12, 0)
    # Tue 19:00 EDT is fine in New York although it is 01:00 in Paris.
    assert check(utc(2025, 6, 10, 23, 0), zone=NEW_YORK).allowed
    assert not check(utc(2025, 6, 10, 23, 0), zone=PARIS).allowed
    # In January New York is on EST (UTC-5): Mon 07:30 EST -> 08:00 EST = 13:00 UTC.
    assert check(utc(2025, 1, 6, 12, 30), zone=NEW_YORK).next_allowed_at == utc(2025, 1, 6, 13)


def test_now_in_another_zone_is_the_same_instant() -> None:
    paris_now = datetime(2025, 6, 9, 21, 5, tzinfo=ZoneInfo(PARIS))
    assert check(paris_now) == check(utc(2025, 6, 9, 19, 5))


def test_unknown_zone_and_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="Unknown time zone"):
        check(utc(2025, 6, 11, 8, 0), zone="Europe/Atlantis")
    with pytest.raises(ValueError, match="Unknown time zone"):
        check(utc(2025, 6, 11, 8, 0), zone="Europe")
    with pytest.raises(ValueError, match="aware"):
        check(datetime(2025, 6, 11, 8, 0))
    with pytest.raises(ValueError, match="aware"):
        check(utc(2025, 6, 11, 8, 0), attempts=(datetime(2025, 6, 10, 8, 0),))


def test_policy_without_any_hours_never_allows() -> None:
    decision = check(utc(2025, 6, 11, 8, 0), policy=ContactPolicy(allowed_hours={}))
    assert not decision.allowed
    assert decision.reason is BlockReason.OUTSIDE_HOURS
    assert decision.next_allowed_at is None


def test_default_policy_values() -> None:
    assert POLICY.max_attempts == 7
    assert POLICY.attempt_window == timedelta(days=7)
    assert POLICY.cooling_off == timedelta(hours=48)
    assert POLICY.allowed_hours[1] == (time(8), time(20))
    assert POLICY.allowed_hours[6] == (time(9), time(13))
    assert 7 not in POLICY.allowed_hours
    assert hash(POLICY) == hash(ContactPolicy())


def test_from_mapping() -> None:
    policy = ContactPolicy.from_mapping(
        {
            "hours": {"mon": "09:00-18:00", "Tuesday": "9:30 – 17:00", "wed": "closed"},
            "max_attempts": 3,
            "window_days": 7,
            "cooling_off_hours": 24,
        }
    )
    assert dict(policy.allowed_hours) == {1: (time(9), time(18)), 2: (time(9, 30), time(17))}
    assert policy.max_attempts == 3
    assert policy.cooling_off == timedelta(hours=24)
    assert ContactPolicy.from_mapping({}) == ContactPolicy()


@pytest.mark.parametrize(
    "data",
    [
        {"hours": {"mon": "20:00-08:00"}},
        {"hours": {"mon": "8h-20h"}},
        {"hours": {"mon": "25:00-26:00"}},
        {"hours": {"funday": "08:00-20:00"}},
        {"hours": "08:00-20:00"},
        {"max_attempts": 0},
        {"max_attempts": 2.5},
        {"max_attempts": "7"},
        {"window_days": 0},
        {"cooling_off_hours": -1},
        {"cooling_hours": 48},
    ],
)
def test_from_mapping_refuses_bad_settings(data: dict) -> None:
    with pytest.raises(ValueError):
        ContactPolicy.from_mapping(data)


@settings(max_examples=300)
@given(
    st.datetimes(datetime(2024, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC)),
    st.sampled_from([PARIS, NEW_YORK, "Asia/Kolkata", "Australia/Sydney"]),
    st.lists(st.integers(0, 14 * 24 * 60), max_size=12),
    st.one_of(st.none(), st.integers(0, 4 * 24 * 60)),
)
def test_next_allowed_at_is_the_first_allowed_moment(
    now: datetime, zone: str, attempt_ages: list[int], conversation_age: int | None
) -> None:
    attempts = tuple(now - timedelta(minutes=age) for age in attempt_ages)
    spoke = None if conversation_age is None else now - timedelta(minutes=conversation_age)
    decision = check(now, zone=zone, attempts=attempts, last_conversation_at=spoke)
    if decision.allowed:
        assert decision.next_allowed_at is None
        return
    when = decision.next_allowed_at
    assert when is not None and when > now
    assert check(when, zone=zone, attempts=attempts, last_conversation_at=spoke).allowed
    just_before = max(now, when - timedelta(seconds=1))
    assert not check(just_before, zone=zone, attempts=attempts, last_conversation_at=spoke).allowed
