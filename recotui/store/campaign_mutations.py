"""A supervisor's changes to a campaign as mutations: applied locally with an outbox row in
the same transaction, and by the server when pushed, where they are audited like any other.

    campaign.save     {campaign_id, name, description, segment, weights, created_at}
    campaign.active   {campaign_id, active}
    campaign.members  {campaign_id, user_ids}

Campaigns and their members are reference data, sent whole with every pull; a change of
members also changes which agents see the campaign's cases, which the server logs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session, col

from recotui.domain.priority import DEFAULT_WEIGHTS
from recotui.store.mutators import ActionRefused, Malformed
from recotui.store.tables import Campaign, CampaignMember, User

PREFIX = "campaign."


def check_weights(weights: Mapping[str, Any]) -> dict[str, int]:
    unknown = set(weights) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ActionRefused("Unknown priority factor(s): {names}.",
                            names=", ".join(sorted(unknown)))
    try:
        return {k: int(v) for k, v in weights.items()}
    except (TypeError, ValueError):
        raise ActionRefused("A priority weight must be a whole number.") from None


def _id(args: Mapping[str, Any], key: str = "campaign_id") -> uuid.UUID:
    try:
        return uuid.UUID(hex=args[key])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise Malformed(f"{key}: a UUID in hex is required") from None


def _campaign(session: Session, args: Mapping[str, Any]) -> Campaign:
    campaign = session.get(Campaign, _id(args))
    if campaign is None:
        raise ActionRefused("This campaign does not exist.")
    return campaign


def _save(session: Session, args: Mapping[str, Any]) -> Any:
    campaign_id = _id(args)
    name = str(args.get("name") or "").strip()
    if not name:
        raise ActionRefused("Give the campaign a name.")
    segment, weights = args.get("segment"), args.get("weights")
    if not isinstance(segment, dict) or not isinstance(weights, dict):
        raise Malformed("segment and weights: objects are required")
    checked = check_weights(weights)
    same_name = session.scalars(select(Campaign).where(col(Campaign.name) == name)).first()
    if same_name is not None and same_name.id != campaign_id:
        raise ActionRefused("A campaign named {name} exists already.", name=name)
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        try:
            created = datetime.fromisoformat(args["created_at"])
        except (KeyError, TypeError, ValueError):
            raise Malformed("created_at: an ISO 8601 time is required") from None
        campaign = Campaign(id=campaign_id, name=name, created_at=created)
        session.add(campaign)
    campaign.name = name
    campaign.description = str(args.get("description") or campaign.description)
    campaign.segment, campaign.weights = segment, checked
    session.flush()
    return None


def _active(session: Session, args: Mapping[str, Any]) -> Any:
    active = args.get("active")
    if not isinstance(active, bool):
        raise Malformed("active: true or false is required")
    _campaign(session, args).active = active
    return None


def _members(session: Session, args: Mapping[str, Any]) -> Any:
    """The agents removed, whose copies must lose the campaign's cases."""
    campaign = _campaign(session, args)
    raw = args.get("user_ids")
    if not isinstance(raw, list):
        raise Malformed("user_ids: a list is required")
    wanted = list(dict.fromkeys(_id({"u": u}, "u") for u in raw))
    known = set(session.scalars(select(User.id).where(col(User.id).in_(wanted))))
    if missing := [u for u in wanted if u not in known]:
        raise ActionRefused("No user {user}.", user=missing[0].hex)
    before = set(session.scalars(select(CampaignMember.user_id).where(
        col(CampaignMember.campaign_id) == campaign.id)))
    session.execute(delete(CampaignMember).where(col(CampaignMember.campaign_id) == campaign.id))
    session.add_all(CampaignMember(campaign_id=campaign.id, user_id=u) for u in wanted)
    session.flush()
    return before - set(wanted)


APPLY: dict[str, Callable[[Session, Mapping[str, Any]], Any]] = {
    f"{PREFIX}save": _save, f"{PREFIX}active": _active, f"{PREFIX}members": _members}


def apply_campaign_mutation(session: Session, name: str, args: Any) -> Any:
    """Apply it in the caller's transaction; ActionRefused or Malformed write nothing. For
    `campaign.members`, the set of agents removed."""
    if name not in APPLY:
        raise Malformed(f"unknown mutation {name!r}")
    if not isinstance(args, Mapping):
        raise Malformed("args: an object is required")
    with session.begin_nested():
        return APPLY[name](session, args)
