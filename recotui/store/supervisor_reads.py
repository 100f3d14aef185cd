"""The supervisor console's reads, on a SQLAlchemy session: the same code serves a local
store (SQLite) and the server's book (SQLite or PostgreSQL).

Each read walks an index: the day's facts by time (ix_activity_time), today's payments by
date (ix_payment_received), open and held cases per campaign (ix_case_burn), promises by
status and due date (ix_promise_status_due), open amounts by due date (ix_invoice_aging).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, exists, func, or_, select
from sqlmodel import Session, col

from recotui.domain.aging import AGING_BUCKETS
from recotui.domain.console import (
    AgentRow,
    AgingRow,
    BrokenPromise,
    CampaignBurn,
    CaseLine,
    Console,
    MoneyToday,
)
from recotui.domain.supervision import agent_status, logged_hours
from recotui.domain.vocab import CONVERSATION_DISPOSITIONS
from recotui.store.queries import aging_totals
from recotui.store.tables import (
    Activity,
    Campaign,
    CollectionCase,
    Debtor,
    Invoice,
    Payment,
    Promise,
    User,
)

# Facts that count as working a case (not letters, which the ladder sends, nor assignments).
WORK_KINDS = ("call", "note", "promise", "plan", "payment", "dispute", "callback", "stage",
              "close", "dial", "dispute_resolved")
SPARK_DAYS = 7
KEPT_WINDOW_DAYS = 30
BROKEN_DAYS = 7
DRILL_LIMIT = 200


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=UTC)
    return start, start + timedelta(days=1)


def _day(value: Any) -> date:
    return value if isinstance(value, date) and not isinstance(value, datetime) \
        else date.fromisoformat(str(value)[:10])


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _when(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite's min()/max() of a time column hand back its text
        value = datetime.fromisoformat(value)
    return _aware(value)


# -- per agent -----------------------------------------------------------------------------


def agent_rows(session: Session, start: date, end: date, now: datetime,
               campaign_id: uuid.UUID | None = None, spark_days: int = 0) -> list[AgentRow]:
    """Each agent's figures over the days start..end (inclusive). `spark_days` more days
    before `end` are read for the calls-per-day sparkline."""
    if campaign_id is None and has_stats(session):
        from recotui.store.supervisor_stats import agent_rows_from_stats

        return agent_rows_from_stats(session, start, end, now, spark_days)
    first_day = min(start, end - timedelta(days=max(spark_days - 1, 0)))
    since, until = day_bounds(first_day)[0], day_bounds(end)[1]
    payload = col(Activity.payload)
    is_call = col(Activity.kind) == "call"
    talk = and_(is_call, payload["disposition"].as_string().in_(CONVERSATION_DISPOSITIONS))
    amount = payload["amount_minor"].as_integer()
    day = func.date(col(Activity.client_time))
    where = [col(Activity.client_time) >= since, col(Activity.client_time) < until,
             col(Activity.author_id).is_not(None), col(Activity.kind).in_(WORK_KINDS)]
    if campaign_id is not None:
        where.append(col(CollectionCase.campaign_id) == campaign_id)
    statement = (
        select(Activity.author_id, day, CollectionCase.currency,
               func.min(Activity.client_time), func.max(Activity.client_time),
               func.sum(case((is_call, 1), else_=0)), func.sum(case((talk, 1), else_=0)),
               func.sum(case((is_call, payload["duration_s"].as_integer()), else_=0)),
               func.sum(case((col(Activity.kind) == "promise", 1), else_=0)),
               func.sum(case((col(Activity.kind) == "promise", amount), else_=0)),
               func.sum(case((col(Activity.kind) == "payment", amount), else_=0)))
        .join(CollectionCase, col(CollectionCase.id) == col(Activity.case_id))
        .where(*where).group_by(Activity.author_id, day, CollectionCase.currency))
    acc: dict[uuid.UUID, dict[str, Any]] = {}
    for author, d, currency, first, last, calls, rpc, secs, promises, promised, collected \
            in session.execute(statement):
        d, first, last = _day(d), _when(first), _when(last)
        calls, rpc, secs, promises, promised, collected = (
            int(v or 0) for v in (calls, rpc, secs, promises, promised, collected))
        a = acc.setdefault(author, {"spans": {}, "spark": {}, "calls": 0, "rpc": 0, "secs": 0,
                                    "promises": 0, "promised": {}, "collected": {},
                                    "last": None})
        a["spark"][d] = a["spark"].get(d, 0) + (calls or 0)
        a["last"] = max(a["last"] or last, last)
        if not start <= d <= end:
            continue
        lo, hi = a["spans"].get(d, (first, last))
        a["spans"][d] = (min(lo, first), max(hi, last))
        a["calls"] += calls or 0
        a["rpc"] += rpc or 0
        a["secs"] += secs or 0
        a["promises"] += promises or 0
        for key, value in (("promised", promised), ("collected", collected)):
            if value:
                a[key][currency] = a[key].get(currency, 0) + value
    worked = _cases_worked(session, day_bounds(start)[0], day_bounds(end)[1], campaign_id)
    users = {u.id: u for u in session.scalars(select(User).where(
        or_(col(User.id).in_(list(acc)), and_(col(User.role) == "agent",
                                              col(User.active).is_(True)))))}
    days = [end - timedelta(days=n) for n in range(spark_days - 1, -1, -1)]
    rows = []
    for user_id, user in users.items():
        a = acc.get(user_id)
        if a is None or not a["spans"]:
            # No worked fact in start..end: off, even with some in the sparkline's days
            # before `start` (those keep their place in the sparkline), as the aggregates say.
            spark = a["spark"] if a is not None else {}
            rows.append(AgentRow(user_id.hex, user.display_name or user.username, "off", None,
                                 0, 0, 0, 0, 0.0, 0, {}, {},
                                 tuple(spark.get(d, 0) for d in days)))
            continue
        last = last_action(session, user_id, min(until, now + timedelta(microseconds=1)))
        rows.append(AgentRow(
            user_id.hex, user.display_name or user.username, agent_status(last, now),
            last, worked.get(user_id, 0), a["calls"], a["rpc"], a["secs"],
            round(logged_hours(list(a["spans"].values())), 2), a["promises"],
            a["promised"], a["collected"], tuple(a["spark"].get(d, 0) for d in days)))
    rows.sort(key=lambda r: r.name.casefold())
    return rows


def last_action(session: Session, author: uuid.UUID, until: datetime) -> datetime | None:
    """The agent's last fact before `until`, off ix_activity_author_time."""
    last = session.scalar(select(func.max(Activity.client_time)).where(
        col(Activity.author_id) == author, col(Activity.client_time) < until))
    return None if last is None else _when(last)


def _cases_worked(session: Session, since: datetime, until: datetime,
                  campaign_id: uuid.UUID | None) -> dict[uuid.UUID, int]:
    statement = (select(Activity.author_id, func.count(distinct(Activity.case_id)))
                 .where(col(Activity.client_time) >= since, col(Activity.client_time) < until,
                        col(Activity.author_id).is_not(None),
                        col(Activity.kind).in_(WORK_KINDS))
                 .group_by(Activity.author_id))
    if campaign_id is not None:
        statement = statement.join(CollectionCase, col(CollectionCase.id) == Activity.case_id) \
            .where(col(CollectionCase.campaign_id) == campaign_id)
    return dict(session.execute(statement).all())


# -- burn-down ------------------------------------------------------------------------------


def has_stats(session: Session) -> bool:
    """The stat_* tables are kept by triggers on SQLite only (migration 0004)."""
    return session.get_bind().dialect.name == "sqlite"


def _held(now: datetime) -> Any:
    return or_(col(CollectionCase.next_action_at) > now, col(CollectionCase.disputed_minor) > 0)


def campaign_burn(session: Session, day: date, now: datetime) -> list[CampaignBurn]:
    if has_stats(session):
        from recotui.store.supervisor_stats import burn_counts

        open_cases, worked = burn_counts(session, day, now)
    else:
        open_cases, worked = _burn_counts(session, day, now)
    return burn_rows(session, open_cases, worked)


def _burn_counts(session: Session, day: date, now: datetime) -> tuple[dict, dict]:
    """campaign id → (open, held), and → cases worked today, from the base tables."""
    held = _held(now)
    open_cases = {cid: (n, int(h or 0)) for cid, n, h in session.execute(
        select(CollectionCase.campaign_id, func.count(), func.sum(case((held, 1), else_=0)))
        .where(col(CollectionCase.status) == "open").group_by(CollectionCase.campaign_id))}
    since, until = day_bounds(day)
    today = (select(Activity.case_id).where(
        col(Activity.client_time) >= since, col(Activity.client_time) < until,
        col(Activity.author_id).is_not(None), col(Activity.kind).in_(WORK_KINDS)))
    worked = dict(session.execute(
        select(CollectionCase.campaign_id, func.count())
        .where(col(CollectionCase.id).in_(today)).group_by(CollectionCase.campaign_id)).all())
    return open_cases, worked


def burn_rows(session: Session, open_cases: dict, worked: dict) -> list[CampaignBurn]:
    campaigns = {c.id: c for c in session.scalars(select(Campaign))}
    keys = [c for c in sorted(campaigns, key=lambda k: campaigns[k].name.casefold())
            if campaigns[c].active or open_cases.get(c, (0,))[0] or c in worked]
    if open_cases.get(None, (0,))[0] or None in worked:
        keys.append(None)
    rows = []
    for key in keys:
        n, h = open_cases.get(key, (0, 0))
        c = campaigns.get(key)
        rows.append(CampaignBurn(key.hex if key else "", c.name if c else "",
                                 c.active if c else True, n, worked.get(key, 0), h, n - h))
    return rows


# -- today's money, promises -------------------------------------------------------------


def money_today(session: Session, day: date, targets: Mapping[str, int]) -> list[MoneyToday]:
    since, until = day_bounds(day)
    if has_stats(session):
        from recotui.store.supervisor_stats import promised_on

        promised = promised_on(session, day)
    else:
        promised = _promised_on(session, since, until)
    collected = dict(session.execute(
        select(Payment.currency, func.sum(Payment.amount_minor))
        .where(col(Payment.received_on) == day).group_by(Payment.currency)).all())
    currencies = sorted(set(promised) | set(collected) | set(targets))
    return [MoneyToday(c, int(promised.get(c) or 0), int(collected.get(c) or 0), targets.get(c))
            for c in currencies]


def _promised_on(session: Session, since: datetime, until: datetime) -> dict[str, int]:
    return dict(session.execute(
        select(CollectionCase.currency,
               func.sum(col(Activity.payload)["amount_minor"].as_integer()))
        .join(CollectionCase, col(CollectionCase.id) == col(Activity.case_id))
        .where(col(Activity.client_time) >= since, col(Activity.client_time) < until,
               col(Activity.kind) == "promise", col(Activity.author_id).is_not(None))
        .group_by(CollectionCase.currency)).all())


def promise_outcomes(session: Session, first: date, last: date,
                     campaign_id: uuid.UUID | None = None) -> dict[str, tuple[int, int]]:
    """status → (count, amount) of the promises due first..last (inclusive)."""
    statement = (select(Promise.status, func.count(), func.sum(Promise.amount_minor))
                 .where(col(Promise.due_date) >= first, col(Promise.due_date) <= last)
                 .group_by(Promise.status))
    if campaign_id is not None:
        statement = statement.join(CollectionCase, col(CollectionCase.id) == Promise.case_id) \
            .where(col(CollectionCase.campaign_id) == campaign_id)
    return {s: (n, int(a or 0)) for s, n, a in session.execute(statement)}


def settled_counts(session: Session, first: date, last: date) -> tuple[int, int]:
    """(kept, broken) of the promises due first..last: one index range each."""
    def count(status: str) -> int:
        return session.scalar(select(func.count()).select_from(Promise).where(
            col(Promise.status) == status, col(Promise.due_date) >= first,
            col(Promise.due_date) <= last)) or 0

    return count("kept"), count("broken")


def broken_promises(session: Session, day: date, days: int = BROKEN_DAYS,
                    limit: int = 50) -> list[BrokenPromise]:
    # The newest first, off ix_promise_status_due; only those shown are joined.
    order = (col(Promise.due_date).desc(), col(Promise.amount_minor).desc())
    shown = (select(Promise.id).where(col(Promise.status) == "broken",
                                      col(Promise.due_date) >= day - timedelta(days=days),
                                      col(Promise.due_date) <= day)
             .order_by(*order).limit(limit).scalar_subquery())
    statement = (
        select(Promise.case_id, Debtor.name, User.username, Promise.amount_minor,
               Promise.currency, Promise.due_date)
        .join(CollectionCase, col(CollectionCase.id) == col(Promise.case_id))
        .join(Debtor, col(Debtor.id) == col(CollectionCase.debtor_id))
        .outerjoin(User, col(User.id) == col(Promise.created_by))
        .where(col(Promise.id).in_(shown))
        .order_by(*order))
    return [BrokenPromise(cid.hex, name, agent or "", amount, currency, _day(due))
            for cid, name, agent, amount, currency, due in session.execute(statement)]


def console(session: Session, now: datetime, targets: Mapping[str, int] | None = None
            ) -> Console:
    """Everything the console shows at `now` (aware UTC); the day is now's UTC date."""
    day = now.astimezone(UTC).date()
    kept, broken = settled_counts(session, day - timedelta(days=KEPT_WINDOW_DAYS), day)
    return Console(
        now=now, day=day,
        campaigns=tuple(campaign_burn(session, day, now)),
        money=tuple(money_today(session, day, targets or {})),
        kept=kept, broken_count=broken,
        broken=tuple(broken_promises(session, day)),
        aging=tuple(aging_rows(session, day)),
        agents=tuple(agent_rows(session, day, day, now, spark_days=SPARK_DAYS)),
        kept_window_days=KEPT_WINDOW_DAYS,
    )


def aging_rows(session: Session, day: date) -> list[AgingRow]:
    if has_stats(session):
        from recotui.store.supervisor_stats import aging_from_stats

        return aging_from_stats(session, day)
    return [AgingRow(t.currency, {b: int(v) for b, v in t.buckets.items()}, int(t.total))
            for t in aging_totals(session, day)]


# -- drill-down: the cases behind a figure ------------------------------------------------

_BUCKET_DAYS = {"not_due": (None, 0), "1-30": (1, 30), "31-60": (31, 60), "61-90": (61, 90),
                "91-180": (91, 180), "181+": (181, None)}


def _case_lines(session: Session, where: list[Any], limit: int = DRILL_LIMIT,
                order: Any = None) -> list[CaseLine]:
    statement = (
        select(CollectionCase.id, Debtor.name, Debtor.number, CollectionCase.currency,
               CollectionCase.balance_minor, CollectionCase.overdue_minor,
               CollectionCase.oldest_due_date, CollectionCase.stage, User.username)
        .join(Debtor, col(Debtor.id) == col(CollectionCase.debtor_id))
        .outerjoin(User, col(User.id) == col(CollectionCase.assigned_agent_id))
        .where(*where)
        .order_by(*(order if order is not None else (col(CollectionCase.priority).desc(),
                                                     col(CollectionCase.id).desc())))
        .limit(limit))
    return [CaseLine(cid.hex, name, number, cur, bal, over, _day(due) if due else None, stage,
                     agent or "")
            for cid, name, number, cur, bal, over, due, stage, agent in session.execute(statement)]


def drill(session: Session, what: str, key: str, now: datetime) -> list[CaseLine]:
    """The cases behind a figure: `what` is agent (key: user id; cases worked today),
    campaign (key: id or ""; its open cases), bucket (key: an aging bucket; open cases with an
    open invoice in it), promised (promises made today) or collected (paid today)."""
    day = now.astimezone(UTC).date()
    since, until = day_bounds(day)
    in_day = [col(Activity.client_time) >= since, col(Activity.client_time) < until]
    if what == "agent":
        ids = select(Activity.case_id).where(
            *in_day, col(Activity.author_id) == uuid.UUID(hex=key),
            col(Activity.kind).in_(WORK_KINDS))
        return _case_lines(session, [col(CollectionCase.id).in_(ids)])
    if what == "promised":
        ids = select(Activity.case_id).where(*in_day, col(Activity.kind) == "promise")
        return _case_lines(session, [col(CollectionCase.id).in_(ids)])
    if what == "collected":
        ids = select(Payment.case_id).where(col(Payment.received_on) == day)
        return _case_lines(session, [col(CollectionCase.id).in_(ids)])
    if what == "campaign":
        campaign = col(CollectionCase.campaign_id)
        return _case_lines(session, [col(CollectionCase.status) == "open",
                                     campaign == uuid.UUID(hex=key) if key else campaign.is_(None)])
    if what == "bucket":
        if key not in AGING_BUCKETS:
            raise ValueError(f"unknown bucket {key!r}")
        low, high = _BUCKET_DAYS[key]
        due = [col(Invoice.case_id) == col(CollectionCase.id), col(Invoice.open_minor) > 0]
        if low is not None:  # dpd >= low  ⇔  due_date <= day - low
            due.append(col(Invoice.due_date) <= day - timedelta(days=low))
        if high is not None:
            due.append(col(Invoice.due_date) >= day - timedelta(days=high))
        return _case_lines(session, [col(CollectionCase.status) == "open",
                                     exists().where(*due)])
    raise ValueError(f"unknown figure {what!r}")


# -- reports over a period -----------------------------------------------------------------


def campaign_id_of(session: Session, name: str) -> uuid.UUID | None:
    return session.scalars(select(Campaign.id).where(col(Campaign.name) == name)).first()


def aging_of_campaign(session: Session, as_of: date, campaign_id: uuid.UUID) -> list[AgingRow]:
    """Open amounts by currency and bucket for the cases of one campaign."""
    from recotui.domain.aging import bucket_totals

    rows: dict[str, list[tuple[date, int]]] = {}
    for currency, due, amount in session.execute(
            select(Invoice.currency, Invoice.due_date, func.sum(Invoice.open_minor))
            .join(CollectionCase, col(CollectionCase.id) == col(Invoice.case_id))
            .where(col(Invoice.open_minor) > 0, col(CollectionCase.campaign_id) == campaign_id)
            .group_by(Invoice.currency, Invoice.due_date)):
        rows.setdefault(currency, []).append((_day(due), int(amount)))
    out = []
    for currency in sorted(rows):
        buckets = bucket_totals(rows[currency], as_of)
        out.append(AgingRow(currency, buckets, sum(buckets.values())))
    return out


def activity_by_day(session: Session, start: date, end: date,
                    campaign_id: uuid.UUID | None = None) -> dict[date, dict[str, int]]:
    """day → kind → facts recorded that day; calls that reached the debtor are counted again
    as "conversation"."""
    since, until = day_bounds(start)[0], day_bounds(end)[1]
    payload = col(Activity.payload)
    talk = and_(col(Activity.kind) == "call",
                payload["disposition"].as_string().in_(CONVERSATION_DISPOSITIONS))
    day = func.date(col(Activity.client_time))
    statement = (select(day, Activity.kind, func.count(), func.sum(case((talk, 1), else_=0)))
                 .where(col(Activity.client_time) >= since, col(Activity.client_time) < until)
                 .group_by(day, Activity.kind))
    if campaign_id is not None:
        statement = statement.join(CollectionCase, col(CollectionCase.id) == Activity.case_id) \
            .where(col(CollectionCase.campaign_id) == campaign_id)
    out: dict[date, dict[str, int]] = {}
    for d, kind, n, talks in session.execute(statement):
        counts = out.setdefault(_day(d), {})
        counts[kind] = counts.get(kind, 0) + n
        if talks:
            counts["conversation"] = counts.get("conversation", 0) + int(talks)
    return out


def promises_made(session: Session, start: date, end: date,
                  campaign_id: uuid.UUID | None = None) -> dict[str, dict[str, tuple[int, int]]]:
    """currency → status → (count, amount) of the promises made start..end, and "paid" →
    (count of those with a payment, amount paid towards them)."""
    since, until = day_bounds(start)[0], day_bounds(end)[1]
    statement = (select(Promise.currency, Promise.status, func.count(),
                        func.sum(Promise.amount_minor), func.sum(Promise.paid_minor),
                        func.sum(case((col(Promise.paid_minor) > 0, 1), else_=0)))
                 .where(col(Promise.created_at) >= since, col(Promise.created_at) < until)
                 .group_by(Promise.currency, Promise.status))
    if campaign_id is not None:
        statement = statement.join(CollectionCase, col(CollectionCase.id) == Promise.case_id) \
            .where(col(CollectionCase.campaign_id) == campaign_id)
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for currency, status, n, amount, paid, paying in session.execute(statement):
        per = out.setdefault(currency, {})
        per[status] = (n, int(amount or 0))
        count, total = per.get("paid", (0, 0))
        per["paid"] = (count + int(paying or 0), total + int(paid or 0))
    return out


def sales_and_receivables(session: Session, first: date, as_of: date,
                          campaign_id: uuid.UUID | None = None
                          ) -> dict[str, tuple[int, dict[date, int]]]:
    """currency → (open receivables of invoices issued by `as_of`, invoiced amount per issue
    date first..as_of)."""
    where = [col(Invoice.issue_date) <= as_of]
    statement = select(Invoice.currency, Invoice.issue_date, func.sum(Invoice.amount_minor),
                       func.sum(Invoice.open_minor))
    if campaign_id is not None:
        statement = statement.join(CollectionCase, col(CollectionCase.id) == Invoice.case_id)
        where.append(col(CollectionCase.campaign_id) == campaign_id)
    out: dict[str, tuple[int, dict[date, int]]] = {}
    for currency, issued, amount, open_minor in session.execute(
            statement.where(*where).group_by(Invoice.currency, Invoice.issue_date)):
        receivable, sales = out.get(currency, (0, {}))
        issued = _day(issued)
        if issued >= first:
            sales[issued] = sales.get(issued, 0) + int(amount or 0)
        out[currency] = (receivable + int(open_minor or 0), sales)
    return out


def case_exists(session: Session, case_id: uuid.UUID) -> bool:
    """Whether this store holds the case (a remote console's list may name one it lacks)."""
    return session.get(CollectionCase, case_id) is not None
