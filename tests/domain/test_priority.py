from datetime import UTC, date, datetime, timedelta

from recotui.domain.priority import DEFAULT_WEIGHTS, PriorityInputs, PriorityScore, score_case

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def case(**kw) -> PriorityInputs:
    base = dict(
        overdue_minor=100_000, balance_minor=100_000, disputed_minor=0,
        oldest_due_date=date(2026, 1, 9), stage="relance_1",
    )
    return PriorityInputs(**(base | kw))


def test_factors_explain_the_score():
    result = score_case(case(), NOW)
    assert result.score == sum(f.contribution for f in result.factors)
    by_name = {f.name: f for f in result.factors}
    # 1 000 € overdue: log10(1001)/log10(100000) = 0.6001 → 300 * 0.6001 = 180
    assert by_name["overdue_amount"].contribution == 180
    # 60 days past due of 180 → 250 / 3 = 83
    assert by_name["days_past_due"].contribution == 83
    # never contacted: full weight
    assert by_name["since_last_contact"].contribution == DEFAULT_WEIGHTS["since_last_contact"]
    # relance_1 is stage 1 of 4
    assert by_name["stage"].contribution == 25
    assert result.factors[0].name == "overdue_amount"  # largest effect first


def test_broken_promise_and_due_callback_raise_the_score():
    plain = score_case(case(), NOW).score
    assert score_case(case(promise_status="broken"), NOW).score == plain + 350
    due = score_case(case(callback_at=NOW - timedelta(minutes=1)), NOW).score
    later = score_case(case(callback_at=NOW + timedelta(hours=1)), NOW).score
    assert due == plain + 1000 and later == plain


def test_promise_due_today_only_on_its_day():
    today = score_case(case(promise_status="pending", promise_due_date=NOW.date()), NOW)
    tomorrow = score_case(
        case(promise_status="pending", promise_due_date=NOW.date() + timedelta(days=1)), NOW
    )
    assert today.score - tomorrow.score == 200


def test_dispute_holds_a_case_back_in_proportion():
    half = score_case(case(disputed_minor=50_000), NOW)
    assert {f.name: f.contribution for f in half.factors}["dispute"] == -200


def test_recent_contact_lowers_urgency():
    fresh = score_case(case(last_contact_at=NOW - timedelta(days=3)), NOW)
    assert {f.name: f.contribution for f in fresh.factors}["since_last_contact"] == 15


def test_rows_round_trip():
    result = score_case(case(promise_status="broken"), NOW)
    assert PriorityScore.from_rows(result.score, result.as_rows()) == result
