"""Campaigns: a saved segment, priority weights as the strategy, agents, pause and resume;
moving cases into a campaign and between agents.

Cases change only through `assign_case` (one "case.assignment" mutation per case, with its
activity and outbox row), and the campaign itself (name, segment, weights, paused, members)
through the campaign mutations (store/campaign_mutations.py): every change syncs and is
audited on the server.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session, col

from recotui.domain.ids import uuid7
from recotui.domain.segment import Segment
from recotui.store.actions import ActionRefused, assign_case
from recotui.store.campaign_mutations import apply_campaign_mutation
from recotui.store.replica import forget_reference
from recotui.store.store import Store, enqueue, now_utc
from recotui.store.tables import Campaign, CampaignMember, CollectionCase, Debtor, User


@dataclass(frozen=True, slots=True)
class CampaignInfo:
    id: uuid.UUID
    name: str
    description: str
    active: bool
    segment: Segment
    weights: dict[str, int]
    members: tuple[str, ...]  # usernames
    open_cases: int


@dataclass(frozen=True, slots=True)
class Applied:
    moved: int  # cases now in the campaign
    already: int  # matched, and in it before
    elsewhere: int  # matched, but left in another active campaign


def _change(store: Store, name: str, args: dict[str, Any], now: datetime | None) -> None:
    """Applied here and queued for the server, in one transaction."""
    args = dict(args, client_time=(now or now_utc()).isoformat())
    with store.transaction() as session:
        apply_campaign_mutation(session, name, args)
        enqueue(session, store, name, args)
        forget_reference(session)


def save_campaign(store: Store, name: str, segment: Segment, weights: Mapping[str, Any] = {},
                  *, description: str = "", campaign_id: uuid.UUID | None = None,
                  now: datetime | None = None) -> uuid.UUID:
    """Create a campaign, or change one's name, segment and weights."""
    now = now or now_utc()
    campaign_id = campaign_id or uuid7()
    _change(store, "campaign.save", {
        "campaign_id": campaign_id.hex, "name": name, "description": description,
        "segment": segment.as_json(), "weights": dict(weights),
        "created_at": now.isoformat()}, now)
    return campaign_id


def set_active(store: Store, campaign_id: uuid.UUID, active: bool,
               now: datetime | None = None) -> None:
    """Pause (False) or resume (True): a paused campaign is not offered to agents."""
    _change(store, "campaign.active", {"campaign_id": campaign_id.hex, "active": active}, now)


def set_members(store: Store, campaign_id: uuid.UUID, user_ids: Iterable[uuid.UUID],
                now: datetime | None = None) -> None:
    """The agents who work the campaign (they see its cases)."""
    _change(store, "campaign.members", {"campaign_id": campaign_id.hex,
                                        "user_ids": [u.hex for u in dict.fromkeys(user_ids)]},
            now)


def campaigns(session: Session) -> list[CampaignInfo]:
    counts = dict(session.execute(
        select(CollectionCase.campaign_id, func.count()).where(
            col(CollectionCase.status) == "open").group_by(CollectionCase.campaign_id)).all())
    members: dict[uuid.UUID, list[str]] = {}
    for campaign_id, username in session.execute(
            select(CampaignMember.campaign_id, User.username)
            .join(User, col(User.id) == col(CampaignMember.user_id)).order_by(User.username)):
        members.setdefault(campaign_id, []).append(username)
    return [CampaignInfo(c.id, c.name, c.description, c.active, Segment.from_json(c.segment),
                         dict(c.weights or {}), tuple(members.get(c.id, ())),
                         counts.get(c.id, 0))
            for c in session.scalars(select(Campaign).order_by(Campaign.name))]


def segment_where(segment: Segment, today: date) -> list[Any]:
    """The segment as conditions on open cases joined to their debtor."""
    where: list[Any] = [col(CollectionCase.status) == "open"]
    oldest = col(CollectionCase.oldest_due_date)
    if segment.stages:
        where.append(col(CollectionCase.stage).in_(segment.stages))
    if segment.dpd_min is not None and segment.dpd_min > 0:
        where.append(and_(oldest.is_not(None), oldest <= today - timedelta(days=segment.dpd_min)))
    if segment.dpd_max is not None:
        where.append(or_(oldest.is_(None), oldest >= today - timedelta(days=segment.dpd_max)))
    if segment.balance_min is not None:
        where.append(col(CollectionCase.balance_minor) >= segment.balance_min)
    if segment.balance_max is not None:
        where.append(col(CollectionCase.balance_minor) <= segment.balance_max)
    if segment.debtor_kind:
        where.append(col(Debtor.kind) == segment.debtor_kind)
    if segment.postcode_prefix:
        where.append(col(Debtor.postcode).startswith(segment.postcode_prefix))
    if segment.language:
        where.append(col(Debtor.language) == segment.language)
    return where


def segment_cases(session: Session, segment: Segment, today: date
                  ) -> list[tuple[uuid.UUID, uuid.UUID | None, uuid.UUID | None]]:
    """(case, its campaign, its agent) of the open cases the segment matches."""
    return [tuple(r) for r in session.execute(
        select(CollectionCase.id, CollectionCase.campaign_id, CollectionCase.assigned_agent_id)
        .join(Debtor, col(Debtor.id) == col(CollectionCase.debtor_id))
        .where(*segment_where(segment, today)).order_by(CollectionCase.id))]


def apply_segment(store: Store, campaign_id: uuid.UUID, actor_id: uuid.UUID | None, *,
                  take: bool = False, now: datetime | None = None) -> Applied:
    """Move the open cases the campaign's segment matches into it, each keeping its agent.
    A case in another active campaign stays there unless `take`: overlapping segments do
    not steal each other's cases."""
    now = now or now_utc()
    with Session(store.engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise ActionRefused("This campaign does not exist.")
        segment = Segment.from_json(campaign.segment)
        active = {c for c in session.scalars(select(Campaign.id).where(col(Campaign.active)))}
        matched = segment_cases(session, segment, now.date())
    moved = already = elsewhere = 0
    for case_id, current, agent in matched:
        if current == campaign_id:
            already += 1
            continue
        if current is not None and current in active and not take:
            elsewhere += 1
            continue
        assign_case(store, case_id, actor_id, agent_id=agent, campaign_id=campaign_id, now=now)
        moved += 1
    return Applied(moved, already, elsewhere)


def reassign(store: Store, case_ids: Sequence[uuid.UUID], actor_id: uuid.UUID | None,
             agent_id: uuid.UUID | None, *, now: datetime | None = None) -> int:
    """Give these cases to another agent (None: to nobody), each keeping its campaign. One
    assignment mutation per case."""
    with Session(store.engine) as session:
        campaigns_of = dict(session.execute(
            select(CollectionCase.id, CollectionCase.campaign_id)
            .where(col(CollectionCase.id).in_(list(case_ids)))).all())
    done = 0
    for case_id in case_ids:
        if case_id not in campaigns_of:
            continue
        assign_case(store, case_id, actor_id, agent_id=agent_id,
                    campaign_id=campaigns_of[case_id], now=now)
        done += 1
    return done


def agents(session: Session) -> list[tuple[uuid.UUID, str]]:
    return [(u.id, u.display_name or u.username) for u in session.scalars(
        select(User).where(col(User.active), col(User.role) == "agent").order_by(User.username))]
