"""The console's reads off the stat_* aggregates that SQLite triggers keep (migration 0004):
a few hundred rows a refresh, whatever the size of the book."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from recotui.domain.aging import bucket_totals
from recotui.domain.console import AgentRow, AgingRow
from recotui.domain.supervision import agent_status, logged_hours
from recotui.store.tables import (
    Activity,
    Campaign,
    CollectionCase,
    StatAgentCase,
    StatAgentDay,
    StatAging,
    StatCaseDay,
    StatOpen,
    User,
)


def _bounds(day: date) -> tuple[datetime, datetime]:
    from recotui.store.supervisor_reads import day_bounds

    return day_bounds(day)


def _span(session: Session, author: uuid.UUID, day: date) -> tuple[Any, Any]:
    """First and last action of an agent on a day, off ix_activity_author_time."""
    since, until = _bounds(day)
    return session.execute(select(func.min(Activity.client_time), func.max(Activity.client_time))
                           .where(col(Activity.author_id) == author,
                                  col(Activity.client_time) >= since,
                                  col(Activity.client_time) < until)).one()


def agent_rows_from_stats(session: Session, start: date, end: date, now: datetime,
                          spark_days: int) -> list[AgentRow]:
    from recotui.store.supervisor_reads import _when, last_action

    first_day = min(start, end - timedelta(days=max(spark_days - 1, 0)))
    acc: dict[uuid.UUID, dict[str, Any]] = {}
    for row in session.scalars(select(StatAgentDay).where(
            col(StatAgentDay.day) >= first_day, col(StatAgentDay.day) <= end)):
        a = acc.setdefault(row.author_id, {"spark": {}, "days": set(), "calls": 0, "talks": 0,
                                           "secs": 0, "promises": 0, "promised": {},
                                           "collected": {}})
        a["spark"][row.day] = a["spark"].get(row.day, 0) + row.calls
        if not start <= row.day <= end or row.facts <= 0:
            continue
        a["days"].add(row.day)
        a["calls"] += row.calls
        a["talks"] += row.talks
        a["secs"] += row.call_s
        a["promises"] += row.promises
        for key, value in (("promised", row.promised), ("collected", row.collected)):
            if value:
                a[key][row.currency] = a[key].get(row.currency, 0) + value
    worked = dict(session.execute(
        select(StatAgentCase.author_id, func.count(func.distinct(StatAgentCase.case_id)))
        .where(col(StatAgentCase.author_id).in_(list(acc)), col(StatAgentCase.day) >= start,
               col(StatAgentCase.day) <= end)
        .group_by(StatAgentCase.author_id)).all()) if acc else {}
    users = {u.id: u for u in session.scalars(select(User).where(
        col(User.id).in_(list(acc)) | ((col(User.role) == "agent") & col(User.active))))}
    days = [end - timedelta(days=n) for n in range(spark_days - 1, -1, -1)]
    until = _bounds(end)[1]
    rows = []
    for user_id, user in users.items():
        a = acc.get(user_id)
        name = user.display_name or user.username
        if a is None or not a["days"]:
            rows.append(AgentRow(user_id.hex, name, "off", None, 0, 0, 0, 0, 0.0, 0, {}, {},
                                 tuple((a or {"spark": {}})["spark"].get(d, 0) for d in days)))
            continue
        spans = [tuple(map(_when, _span(session, user_id, d))) for d in sorted(a["days"])]
        spans = [s for s in spans if s[0] is not None]
        last = last_action(session, user_id, min(until, now + timedelta(microseconds=1)))
        rows.append(AgentRow(
            user_id.hex, name, agent_status(last, now), last, worked.get(user_id, 0),
            a["calls"], a["talks"], a["secs"], round(logged_hours(spans), 2), a["promises"],
            a["promised"], a["collected"], tuple(a["spark"].get(d, 0) for d in days)))
    rows.sort(key=lambda r: r.name.casefold())
    return rows


def burn_counts(session: Session, day: date, now: datetime) -> tuple[dict, dict]:
    """campaign id → (open, held), and → cases worked on `day`. Open counts come from
    stat_open; held ones are counted per campaign on the ix_case_burn and ix_case_disputed
    indexes (they depend on the time)."""
    keys = {row.campaign_key: row.open_cases for row in session.scalars(select(StatOpen))}
    ids = {c.hex: c for c in session.scalars(select(Campaign.id))}
    out = {}
    for key, n in keys.items():
        if n <= 0:
            continue
        campaign = ids.get(key) if key else None
        if key and campaign is None:
            campaign = uuid.UUID(hex=key)
        same = (col(CollectionCase.campaign_id) == campaign if campaign is not None
                else col(CollectionCase.campaign_id).is_(None))
        waiting = session.scalar(select(func.count()).select_from(CollectionCase).where(
            col(CollectionCase.status) == "open", same,
            col(CollectionCase.next_action_at) > now))
        disputed = session.scalar(select(func.count()).select_from(CollectionCase).where(
            col(CollectionCase.status) == "open", col(CollectionCase.disputed_minor) > 0, same,
            (col(CollectionCase.next_action_at).is_(None))
            | (col(CollectionCase.next_action_at) <= now)))
        out[campaign] = (n, waiting + disputed)
    worked = dict(session.execute(
        select(StatCaseDay.campaign_id, func.count()).where(col(StatCaseDay.day) == day)
        .group_by(StatCaseDay.campaign_id)).all())
    return out, worked


def aging_from_stats(session: Session, day: date) -> list[AgingRow]:
    per: dict[str, list[tuple[date, int]]] = {}
    for row in session.scalars(select(StatAging).where(col(StatAging.open_minor) > 0)):
        per.setdefault(row.currency, []).append((row.due_date, row.open_minor))
    out = []
    for currency in sorted(per):
        buckets = bucket_totals(per[currency], day)
        out.append(AgingRow(currency, buckets, sum(buckets.values())))
    return out
