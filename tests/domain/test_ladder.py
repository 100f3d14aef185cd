from datetime import date, timedelta

import pytest

from recotui.domain.ladder import (
    DEFAULT_STEPS,
    CaseFacts,
    Channel,
    Decision,
    Hold,
    Ladder,
    LadderError,
    decide,
    tally,
)

DUE = date(2026, 3, 2)
LADDER = Ladder()


def facts(**changes) -> CaseFacts:
    base = dict(case_id="c1", stage="preventive", status="open", balance_minor=120_000,
                overdue_minor=120_000, disputed_minor=0, first_due=DUE, plan_active=False,
                promise_status="")
    base.update(changes)
    return CaseFacts(**base)


def step_on(f: CaseFacts, day: date) -> str | None:
    d = decide(LADDER, f, day)
    return d.step.name if d.step else None


def test_preventive_reminder_five_days_before_the_due_date():
    f = facts(overdue_minor=0)
    assert step_on(f, DUE - timedelta(days=6)) is None
    d = decide(LADDER, f, DUE - timedelta(days=5))
    assert d.step.name == "preventive" and d.step.channel == Channel.EMAIL
    assert d.stage_change is None  # the case is at preventive already


def test_a_case_found_overdue_skips_the_preventive_reminder():
    assert step_on(facts(), DUE + timedelta(days=4)) is None
    d = decide(LADDER, facts(), DUE + timedelta(days=5))
    assert d.step.name == "relance_1"
    assert d.stage_change == ("preventive", "relance_1")


def test_the_whole_ladder_one_step_per_run_with_gaps():
    """Walks a case up the ladder day by day, as daily runs would."""
    f = facts(overdue_minor=0)
    done: list[tuple[str, date]] = []
    day = DUE - timedelta(days=10)
    while day < DUE + timedelta(days=200):
        overdue = 120_000 if day > DUE else 0
        f = facts(overdue_minor=overdue, stage=f.stage, last_step=f.last_step,
                  last_step_on=f.last_step_on)
        d = decide(LADDER, f, day)
        if d.step:
            done.append((d.step.name, day))
            stage = d.stage_change[1] if d.stage_change else f.stage
            f = facts(stage=stage, last_step=d.step.name, last_step_on=day)
            # idempotent: the same day again gives nothing
            assert decide(LADDER, f, day).step is None
        day += timedelta(days=1)
    assert done == [
        ("preventive", DUE - timedelta(days=5)),
        ("relance_1", DUE + timedelta(days=5)),
        ("relance_2", DUE + timedelta(days=20)),
        ("mise_en_demeure", DUE + timedelta(days=35)),
        ("contentieux_proposal", DUE + timedelta(days=50)),
    ]
    assert f.stage == "mise_en_demeure"  # the proposal does not move the case


def test_minimum_gap_between_steps_even_when_the_timing_says_sooner():
    ladder = Ladder(DEFAULT_STEPS, min_gap_days=30)
    f = facts(stage="relance_1", last_step="relance_1", last_step_on=DUE + timedelta(days=5))
    d = decide(ladder, f, DUE + timedelta(days=20))
    assert d.step is None and d.waiting_until == DUE + timedelta(days=35)
    assert decide(ladder, f, DUE + timedelta(days=35)).step.name == "relance_2"


@pytest.mark.parametrize(("change", "hold"), [
    ({"disputed_minor": 500}, Hold.DISPUTE),
    ({"plan_active": True}, Hold.PLAN),
    ({"promise_status": "pending"}, Hold.PROMISE),
])
def test_holds(change, hold):
    d = decide(LADDER, facts(**change), DUE + timedelta(days=60))
    assert d.step is None and d.hold == hold


def test_a_broken_promise_does_not_hold():
    assert step_on(facts(promise_status="broken"), DUE + timedelta(days=60)) == "relance_1"


@pytest.mark.parametrize("change", [{"balance_minor": 0, "overdue_minor": 0},
                                    {"status": "closed"}, {"first_due": None}])
def test_paid_closed_or_empty_cases_get_nothing(change):
    assert step_on(facts(**change), DUE + timedelta(days=60)) is None


def test_not_overdue_after_a_preventive_letter_waits():
    f = facts(overdue_minor=0, last_step="preventive", last_step_on=DUE - timedelta(days=5))
    assert decide(LADDER, f, DUE + timedelta(days=10)).reason == "not overdue"


def test_a_case_escalated_by_hand_gets_the_letter_of_its_stage_without_a_stage_change():
    f = facts(stage="mise_en_demeure", last_step="relance_1",
              last_step_on=DUE + timedelta(days=5))
    d = decide(LADDER, f, DUE + timedelta(days=20))
    assert d.step.name == "mise_en_demeure" and d.step.registered
    assert d.stage_change is None


def test_contentieux_is_the_end_of_the_ladder():
    d = decide(LADDER, facts(stage="contentieux"), DUE + timedelta(days=400))
    assert d.step is None and d.reason == "end of ladder"


def test_from_mapping_reads_steps_and_reports_bad_ones():
    ladder = Ladder.from_mapping({"min_gap_days": 7, "steps": [
        {"name": "relance_1", "channel": "email", "days": 3, "after": "due"},
        {"name": "mise_en_demeure", "days": 10, "registered": True, "deadline_days": 15},
    ]})
    assert [s.name for s in ladder.steps] == ["relance_1", "mise_en_demeure"]
    assert ladder.steps[1].registered and ladder.steps[1].deadline_days == 15
    assert ladder.min_gap_days == 7
    with pytest.raises(LadderError, match="'relance_9'.*stage"):
        Ladder.from_mapping({"steps": [{"name": "relance_9", "days": 3}]})
    with pytest.raises(LadderError, match="channel"):
        Ladder.from_mapping({"steps": [{"name": "relance_1", "days": 3, "channel": "fax"}]})
    with pytest.raises(LadderError, match="go back down"):
        Ladder.from_mapping({"steps": [{"name": "relance_2", "days": 3},
                                       {"name": "relance_1", "days": 3}]})
    with pytest.raises(LadderError, match="at least 1"):
        Ladder.from_mapping({"min_gap_days": 0})
    with pytest.raises(LadderError, match="days must be a whole number"):
        Ladder.from_mapping({"steps": [{"name": "relance_1"}]})


def test_tally_counts_steps_and_holds():
    ds = [Decision("a", step=DEFAULT_STEPS[1]), Decision("b", step=DEFAULT_STEPS[1]),
          Decision("c", hold=Hold.PLAN), Decision("d", reason="paid")]
    assert tally(ds) == {"relance_1": 2, "held: plan": 1}
