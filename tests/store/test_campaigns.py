"""Campaign segments (empty, matching nothing, overlapping), pause, members, bulk reassign:
every case move is an assignment mutation in the outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from recotui.domain.segment import Segment, SegmentError
from recotui.store.actions import ActionRefused
from recotui.store.campaigns import (
    apply_segment,
    campaigns,
    reassign,
    save_campaign,
    segment_cases,
    set_active,
    set_members,
)
from recotui.store.tables import CollectionCase, Outbox
from tests.store.supervisor_fixture import NOW, D, build


@pytest.fixture
def fixture(store):
    return build(store, facts=False)


def matched(store, segment: Segment) -> set[str]:
    from recotui.store.tables import Debtor

    with Session(store.engine) as session:
        ids = {case_id for case_id, _c, _a in segment_cases(session, segment, D)}
        return set(session.scalars(select(Debtor.number).join(
            CollectionCase, CollectionCase.debtor_id == Debtor.id)
            .where(CollectionCase.id.in_(ids))))


def campaign_of(store, case_id):
    with Session(store.engine) as session:
        return session.get(CollectionCase, case_id).campaign_id


def assignments(store) -> int:
    with Session(store.engine) as session:
        return session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.name == "case.assignment"))


def test_each_filter_of_a_segment(store, fixture):
    # A: dpd 34, balance 1 000; B: dpd 130, balance 700; C: dpd 7, 300, consumer, en.
    assert matched(store, Segment()) == {"A", "B", "C"}  # empty: the whole open book
    assert matched(store, Segment(dpd_min=30)) == {"A", "B"}
    assert matched(store, Segment(dpd_min=30, dpd_max=60)) == {"A"}
    assert matched(store, Segment(dpd_max=10)) == {"C"}
    assert matched(store, Segment(balance_min=50_000)) == {"A", "B"}
    assert matched(store, Segment(balance_max=70_000)) == {"B", "C"}
    assert matched(store, Segment(debtor_kind="consumer")) == {"C"}
    assert matched(store, Segment(postcode_prefix="75")) == {"A", "C"}
    assert matched(store, Segment(language="en")) == {"C"}
    assert matched(store, Segment(stages=("preventive",))) == {"A", "B", "C"}
    assert matched(store, Segment(stages=("contentieux",))) == set()


def test_a_segment_that_matches_nothing_moves_nothing(store, fixture):
    empty = save_campaign(store, "Vide", Segment(postcode_prefix="13"), now=NOW)
    before = assignments(store)
    done = apply_segment(store, empty, fixture.users["sue"], now=NOW)
    assert (done.moved, done.already, done.elsewhere) == (0, 0, 0)
    assert assignments(store) == before


def test_overlapping_segments_do_not_steal_cases(store, fixture):
    # Paris holds A and C. "Gros" (balance >= 500) overlaps it on A, and takes B from Lyon
    # only when Lyon is paused.
    big = save_campaign(store, "Gros", Segment(balance_min=50_000), now=NOW)
    done = apply_segment(store, big, fixture.users["sue"], now=NOW)
    assert (done.moved, done.already, done.elsewhere) == (0, 0, 2)
    set_active(store, fixture.campaigns["Lyon"], False)
    before = assignments(store)
    done = apply_segment(store, big, fixture.users["sue"], now=NOW)
    assert (done.moved, done.already, done.elsewhere) == (1, 0, 1)
    assert campaign_of(store, fixture.cases["B"]) == big
    assert campaign_of(store, fixture.cases["A"]) == fixture.campaigns["Paris"]
    assert assignments(store) == before + 1
    again = apply_segment(store, big, fixture.users["sue"], now=NOW)
    assert (again.moved, again.already) == (0, 1)
    taken = apply_segment(store, big, fixture.users["sue"], take=True, now=NOW)
    assert taken.moved == 1 and campaign_of(store, fixture.cases["A"]) == big


def test_a_case_keeps_its_agent_when_it_changes_campaign(store, fixture):
    big = save_campaign(store, "Gros", Segment(balance_min=50_000), now=NOW)
    apply_segment(store, big, fixture.users["sue"], take=True, now=NOW)
    with Session(store.engine) as session:
        case = session.get(CollectionCase, fixture.cases["A"])
        assert case.assigned_agent_id == fixture.users["ann"]


def test_bulk_reassign_is_one_assignment_per_case(store, fixture):
    before = assignments(store)
    done = reassign(store, [fixture.cases["A"], fixture.cases["C"]], fixture.users["sue"],
                    fixture.users["bob"], now=NOW)
    assert done == 2 and assignments(store) == before + 2
    with Session(store.engine) as session:
        for number in ("A", "C"):
            case = session.get(CollectionCase, fixture.cases[number])
            assert case.assigned_agent_id == fixture.users["bob"]
            assert case.campaign_id == fixture.campaigns["Paris"]  # kept
        rows = session.scalars(select(Outbox).where(Outbox.name == "case.assignment")
                               .order_by(Outbox.mutation_id.desc()).limit(2)).all()
        assert {r.args["payload"]["agent_id"] for r in rows} == {fixture.users["bob"].hex}


def test_campaign_definition_pause_and_members(store, fixture):
    segment = Segment(stages=("relance_1", "relance_2"), dpd_min=15, balance_max=500_000,
                      debtor_kind="company", postcode_prefix="69", language="fr")
    cid = save_campaign(store, "Relances Lyon", segment,
                        {"days_past_due": 400, "promise_broken": "500"}, now=NOW)
    set_members(store, cid, [fixture.users["ann"], fixture.users["bob"]])
    set_active(store, cid, False)
    with Session(store.engine) as session:
        info = next(i for i in campaigns(session) if i.id == cid)
    assert info.segment == segment and not info.active
    assert info.weights == {"days_past_due": 400, "promise_broken": 500}
    assert info.members == ("ann", "bob")
    with pytest.raises(ActionRefused):
        save_campaign(store, "Paris", Segment(), now=NOW)  # the name is taken
    with pytest.raises(ActionRefused):
        save_campaign(store, "X", Segment(), {"nope": 3}, now=NOW)
    with pytest.raises(SegmentError):
        Segment(dpd_min=60, dpd_max=30)
    with pytest.raises(SegmentError):
        Segment.from_json({"colour": "blue"})


def test_a_campaigns_weights_score_its_cases(store, fixture):
    """The strategy: a case in a campaign is scored with the campaign's weights over the
    defaults, from its next refresh on."""
    from recotui.domain.priority import DEFAULT_WEIGHTS, score_case
    from recotui.store.actions import add_note
    from recotui.store.case_state import inputs_of

    weights = {"overdue_amount": 0, "days_past_due": 1000}
    save_campaign(store, "Paris", Segment(), weights, campaign_id=fixture.campaigns["Paris"],
                  now=NOW)
    for number in ("A", "B"):  # A is in Paris, B in Lyon (no weights)
        add_note(store, fixture.cases[number], fixture.users["ann"], reason="other",
                 text="rappel", now=NOW)
    with Session(store.engine) as session:
        a = session.get(CollectionCase, fixture.cases["A"])
        b = session.get(CollectionCase, fixture.cases["B"])
        assert a.priority == score_case(inputs_of(a), NOW, {**DEFAULT_WEIGHTS, **weights}).score
        assert a.priority != score_case(inputs_of(a), NOW, DEFAULT_WEIGHTS).score
        assert b.priority == score_case(inputs_of(b), NOW, DEFAULT_WEIGHTS).score
