"""The console's reads off the stat_* aggregates that SQLite triggers keep (migration 0004):
a few hundred rows a refresh, whatever the size of the book."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
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
    """First and last worked fact of an agent on a day (an assignment or a letter is not
    work), off ix_activity_author_time."""
    from recotui.store.supervisor_reads import WORK_KINDS

    since, until = _bounds(day)
    return session.execute(select(func.min(Activity.client_time), func.max(Activity.client_time))
                           .where(col(Activity.author_id) == author,
                                  col(Activity.client_time) >= since,
                                  col(Activity.client_time) < until,
                                  col(Activity.kind).in_(WORK_KINDS))).one()


def agent_rows_from_stats(session: Session, start: date, end: date, now: datetime,
                          spark_days: int) -> list[AgentRow]:
    from recotui.store.supervisor_reads import _when, last_action

    first_day = min(start, end - timedelta(days=max(spark_days - 1, 0)))
    acc: dict[uuid.UUID, dict[str, Any]] = {}
    t = StatAgentDay
    for row in session.execute(select(
            t.author_id, t.day, t.currency, t.facts, t.cases, t.calls, t.talks, t.call_s,
            t.promises, t.promised, t.collected).where(
            col(t.day) >= first_day, col(t.day) <= end)):
        a = acc.setdefault(row.author_id, {"spark": {}, "days": set(), "calls": 0, "talks": 0,
                                           "secs": 0, "promises": 0, "promised": {},
                                           "collected": {}, "cases": 0})
        a["spark"][row.day] = a["spark"].get(row.day, 0) + row.calls
        if not start <= row.day <= end or row.facts <= 0:
            continue
        a["days"].add(row.day)
        a["cases"] += row.cases
        a["calls"] += row.calls
        a["talks"] += row.talks
        a["secs"] += row.call_s
        a["promises"] += row.promises
        for key, value in (("promised", row.promised), ("collected", row.collected)):
            if value:
                a[key][row.currency] = a[key].get(row.currency, 0) + value
    if start == end:  # one day: kept in stat_agent_day
        worked = {author: a["cases"] for author, a in acc.items()}
    else:  # a case worked on two days counts once
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
        # Literal terms and INDEXED BY: SQLite only uses a partial index for a query whose
        # WHERE spells out the index's own, and would rather walk ix_case_burn.
        disputed = session.execute(text(
            "SELECT count(*) FROM collection_case INDEXED BY ix_case_disputed "
            "WHERE status = 'open' AND disputed_minor > 0 AND "
            + ("campaign_id = :campaign" if campaign is not None else "campaign_id IS NULL")
            + " AND (next_action_at IS NULL OR next_action_at <= :now)"),
            {"campaign": campaign.hex if campaign is not None else None,
             "now": now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")}).scalar_one()
        out[campaign] = (n, waiting + disputed)
    worked = dict(session.execute(
        select(StatCaseDay.campaign_id, func.count()).where(col(StatCaseDay.day) == day)
        .group_by(StatCaseDay.campaign_id)).all())
    return out, worked


def aging_from_stats(session: Session, day: date) -> list[AgingRow]:
    per: dict[str, list[tuple[date, int]]] = {}
    for currency, due, amount in session.execute(
            select(StatAging.currency, StatAging.due_date, StatAging.open_minor)
            .where(col(StatAging.open_minor) > 0)):
        per.setdefault(currency, []).append((due, amount))
    out = []
    for currency in sorted(per):
        buckets = bucket_totals(per[currency], day)
        out.append(AgingRow(currency, buckets, sum(buckets.values())))
    return out


def promised_on(session: Session, day: date) -> dict[str, int]:
    """currency → promises made on `day` (by anyone), in minor units."""
    return {c: int(v) for c, v in session.execute(
        select(StatAgentDay.currency, func.sum(StatAgentDay.promised))
        .where(col(StatAgentDay.day) == day).group_by(StatAgentDay.currency)) if v}
