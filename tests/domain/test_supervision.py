from datetime import UTC, date, datetime, timedelta

import pytest

from recotui.domain.segment import Segment
from recotui.domain.supervision import (
    CountbackPeriod,
    agent_status,
    dso_countback,
    logged_hours,
    month_periods,
    sparkline,
    targets_in_minor,
)

NOW = datetime(2026, 3, 10, 15, tzinfo=UTC)


def test_agent_status_by_time_since_the_last_action():
    assert agent_status(None, NOW) == "off"
    assert agent_status(NOW - timedelta(minutes=15), NOW) == "active"
    assert agent_status(NOW - timedelta(minutes=16), NOW) == "idle"
    assert agent_status(NOW - timedelta(minutes=60), NOW) == "idle"
    assert agent_status(NOW - timedelta(minutes=61), NOW) == "away"


def test_logged_hours_floor_each_day_at_one_hour():
    day = [(NOW - timedelta(hours=3), NOW)]
    assert logged_hours(day) == 3
    assert logged_hours([(NOW, NOW)]) == 1
    assert logged_hours(day + [(NOW, NOW + timedelta(minutes=30))]) == 4


def test_sparkline_scales_to_the_largest():
    assert sparkline([0, 0, 0]) == "▁▁▁"
    assert sparkline([0, 7, 14]) == "▁▅█"  # 3.5 of 7 steps rounds to 4


def test_dso_countback():
    periods = [CountbackPeriod(date(2026, 3, 1), 31, 100), CountbackPeriod(date(2026, 2, 1), 28, 0),
               CountbackPeriod(date(2026, 1, 1), 31, 200)]
    assert dso_countback(0, periods) == 0
    assert dso_countback(50, periods) == 15.5
    assert dso_countback(100, periods) == 31
    assert dso_countback(200, periods) == 31 + 28 + 15.5
    assert dso_countback(301, periods) is None  # runs past the periods given


def test_month_periods_cut_the_first_at_the_as_of_date():
    assert month_periods(date(2026, 3, 10), 3) == [
        (date(2026, 3, 1), date(2026, 3, 10)), (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 1, 1), date(2026, 1, 31))]


def test_targets_in_minor_units():
    assert targets_in_minor({"eur": "25000", "JPY": "1000"}) == {"EUR": 2_500_000, "JPY": 1000}
    with pytest.raises(ValueError):
        targets_in_minor({"EUR": "lots"})


def test_segment_json_round_trip():
    segment = Segment(("relance_1",), 30, None, None, 100_000, "company", "75", "fr")
    assert Segment.from_json(segment.as_json()) == segment
    assert Segment().is_empty and Segment.from_json({}) == Segment()
