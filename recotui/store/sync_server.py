"""The server's side of sync, in SQL: users and tokens, push, pull, claims, the change log.

Every write ends with `log_changes`, just before commit. On PostgreSQL it takes a transaction
advisory lock first, so change-log versions are handed out in commit order: a reader that has
seen version N has seen every version below it (no row skipped by a late commit).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, literal, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from recotui.domain.vocab import ActivityKind, CaseStatus, Role
from recotui.store import campaign_mutations
from recotui.store.case_state import refresh_cases
from recotui.store.mutators import (
    CONTENDED,
    EFFECTS,
    ActionRefused,
    Fact,
    Malformed,
    Review,
    apply_mutation,
)
from recotui.store.snapshot import export_cases, export_reference
from recotui.store.tables import (
    Activity,
    ApiToken,
    AuditEntry,
    Campaign,
    CampaignMember,
    CollectionCase,
    StoreMeta,
    SyncChange,
    SyncClient,
    User,
)

REFERENCE_KEY = "reference_version"
CHANGE_LOG_LOCK = 0x7265636F  # "reco": the advisory lock that orders the change log
CASE, CHANGE = CollectionCase.__table__, SyncChange.__table__  # type: ignore[attr-defined]
AUDIT, ACTIVITY = AuditEntry.__table__, Activity.__table__  # type: ignore[attr-defined]


class Forbidden(Exception):
    """The caller may not do this (403)."""


class Gap(Exception):
    """The batch does not follow the client's last applied mutation (409)."""

    def __init__(self, last_mutation_id: int) -> None:
        super().__init__(f"expected mutation {last_mutation_id + 1}")
        self.last_mutation_id = last_mutation_id


# -- users and tokens -------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(session: Session, username: str, role: str, now: datetime,
             display_name: str = "") -> tuple[User, str]:
    """A new user, or a new token for an existing one; the token is returned once, only its
    hash is kept."""
    if role not in set(Role):
        raise ValueError(f"unknown role {role!r}")
    user = session.execute(select(User).where(col(User.username) == username)).scalars().first()
    if user is None:
        user = User(username=username, display_name=display_name or username, role=role,
                    created_at=now)
        session.add(user)
        session.flush()  # no ORM relationship orders the token after its user
    else:
        user.role = role
    # A fixed prefix: a bare urlsafe token may begin with "-", which a command line such as
    # `--token T` then takes for an option.
    token = "reco_" + secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=hash_token(token), user_id=user.id, created_at=now))
    session.flush()
    changed_reference(session)
    return user, token


def user_for_token(session: Session, token: str) -> User | None:
    row = session.get(ApiToken, hash_token(token))
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


def join_campaign(session: Session, user_id: uuid.UUID, campaign_id: uuid.UUID) -> None:
    """LookupError for a campaign that does not exist."""
    if session.get(Campaign, campaign_id) is None:
        raise LookupError(f"no campaign {campaign_id.hex}")
    if session.get(CampaignMember, (campaign_id, user_id)) is None:
        session.add(CampaignMember(campaign_id=campaign_id, user_id=user_id))
        session.flush()
        touch_cases(session, select(CASE.c.id).where(CASE.c.campaign_id == campaign_id))


# -- scope ------------------------------------------------------------------------------------


def sees_everything(user: User) -> bool:
    return user.role in (Role.SUPERVISOR, Role.ADMIN)


def scope_clause(user: User) -> Any:
    """The cases `user` may see and change: all for supervisors; for an agent, the cases
    assigned to them, claimed by them, or in a campaign they work."""
    if sees_everything(user):
        return literal(True)
    campaigns = select(CampaignMember.campaign_id).where(col(CampaignMember.user_id) == user.id)
    return or_(CASE.c.assigned_agent_id == user.id, CASE.c.claimed_by == user.id,
               CASE.c.campaign_id.in_(campaigns))


def in_scope(session: Session, user: User, case_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    ids = list(set(case_ids))
    if not ids:
        return set()
    return set(session.execute(
        select(CASE.c.id).where(CASE.c.id.in_(ids), scope_clause(user))).scalars())


# -- the change log ---------------------------------------------------------------------------


def _lock_change_log(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK})


def log_changes(session: Session, case_ids: Iterable[uuid.UUID],
                previous_agents: Mapping[uuid.UUID, Sequence[uuid.UUID]] | None = None) -> None:
    """Record that these cases changed. Call last, just before commit.

    `previous_agents`: for a case that changed hands, every agent it was taken from (it may
    pass through several in one batch): one entry each, so each of them gets a tombstone."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        return
    session.flush()
    _lock_change_log(session)
    previous = previous_agents or {}
    session.execute(insert(CHANGE), [
        {"case_id": case_id, "previous_agent_id": agent}
        for case_id in ids for agent in (previous.get(case_id) or [None])])


def touch_cases(session: Session, case_ids_select: Any) -> None:
    """Log every case a SELECT of ids returns (an import, a new campaign member): one
    statement. The reference data is sent again too: such changes may bring campaigns."""
    session.flush()
    _lock_change_log(session)
    session.execute(insert(CHANGE).from_select(["case_id"], case_ids_select))
    changed_reference(session)


def touch_all_cases(session: Session) -> None:
    touch_cases(session, select(CASE.c.id).order_by(CASE.c.id))


def current_version(session: Session) -> int:
    return session.execute(select(func.coalesce(func.max(CHANGE.c.version), 0))).scalar_one()


def retained_from(session: Session) -> int:
    row = session.get(StoreMeta, "sync_retained_from")
    return int(row.value) if row else 0


def compact_change_log(session: Session, before_version: int) -> int:
    """Forget the entries below `before_version` that a later entry of the same case
    supersedes: a pull from 0 still finds every case. A pull from a cursor older than that
    may have missed a tombstone, so it gets a reset."""
    _lock_change_log(session)
    later = CHANGE.alias("later")
    superseded = select(later.c.version).where(later.c.case_id == CHANGE.c.case_id,
                                               later.c.version > CHANGE.c.version).exists()
    deleted = session.execute(CHANGE.delete().where(
        CHANGE.c.version < before_version, superseded)).rowcount or 0
    meta = session.get(StoreMeta, "sync_retained_from")
    if meta is None:
        session.add(StoreMeta(key="sync_retained_from", value=str(before_version)))
    else:
        meta.value = str(max(int(meta.value), before_version))
    return deleted


# -- push ---------------------------------------------------------------------------------------


@dataclass
class PushOutcome:
    last_mutation_id: int
    results: list[dict[str, Any]] = field(default_factory=list)  # of the ids applied now
    earlier: list[dict[str, Any]] = field(default_factory=list)  # ids applied before: a retry


def _client_row(session: Session, user: User, client_id: uuid.UUID, now: datetime) -> SyncClient:
    statement = select(SyncClient).where(col(SyncClient.client_id) == client_id)
    if session.get_bind().dialect.name == "postgresql":
        # The first pushes of a new client may arrive together (a retry of a push still
        # running): the row is made if absent, then locked, so they queue on it instead of
        # both inserting it (a unique violation, a 500).
        session.execute(pg_insert(SyncClient).values(
            client_id=client_id, user_id=user.id, last_mutation_id=0, updated_at=now,
        ).on_conflict_do_nothing(index_elements=["client_id"]))
        statement = statement.with_for_update()
    row = session.execute(statement).scalars().first()
    if row is None:
        row = SyncClient(client_id=client_id, user_id=user.id, last_mutation_id=0, updated_at=now)
        session.add(row)
        session.flush()
    elif row.user_id != user.id:
        raise Forbidden("this client store belongs to another user")
    return row


def push(session: Session, user: User, client_id: uuid.UUID,
         mutations: Sequence[Mapping[str, Any]], now: datetime) -> PushOutcome:
    """Apply a batch in the caller's transaction. Ids at or below the client's last applied
    one are skipped (a retry); a gap raises Gap; a refusal is a result, and the id advances."""
    client = _client_row(session, user, client_id, now)
    last = client.last_mutation_id
    outcome = PushOutcome(last)
    touched: dict[uuid.UUID, None] = {}
    previous_agents: dict[uuid.UUID, list[uuid.UUID]] = {}
    ordered = sorted(mutations, key=lambda m: m["id"])
    batch = _Batch(session, user, [m for m in ordered if m["id"] > last], now)
    audit_rows = []
    # A retry after a lost response: what the server said then, so no refusal goes unseen.
    outcome.earlier = _said_before(session, client_id, [m["id"] for m in ordered
                                                         if m["id"] <= last])
    for mutation in ordered:
        mutation_id = mutation["id"]
        if mutation_id <= last:
            continue
        if mutation_id != last + 1:
            raise Gap(last)
        if str(mutation["name"]).startswith(campaign_mutations.PREFIX):
            batch.write()
            result, client_time = _apply_campaign(session, user, mutation, touched,
                                                  previous_agents)
            batch.scope_changed()
            case_id = None
        else:
            result, case_id, client_time = _apply_one(session, user, mutation, now,
                                                      previous_agents, batch)
        if case_id is not None:
            touched[case_id] = None
        audit_rows.append({"client_id": client_id, "mutation_id": mutation_id,
                           "name": str(mutation["name"])[:100], "user_id": user.id,
                           "case_id": case_id, "client_time": client_time, "server_time": now,
                           "result": result})
        outcome.results.append({"id": mutation_id, "result": result})
        last = mutation_id
    batch.write()
    if audit_rows:  # in mutation order: the audit's ids rise with the mutation ids
        session.execute(insert(AUDIT), audit_rows)
    client.last_mutation_id, client.updated_at = last, now
    outcome.last_mutation_id = last
    log_changes(session, touched, previous_agents)
    return outcome


def _said_before(session: Session, client_id: uuid.UUID,
                 mutation_ids: list[int]) -> list[dict[str, Any]]:
    if not mutation_ids:
        return []
    rows = session.execute(select(AUDIT.c.mutation_id, AUDIT.c.result).where(
        AUDIT.c.client_id == client_id, AUDIT.c.mutation_id.in_(mutation_ids))).all()
    return [{"id": mutation_id, "result": result} for mutation_id, result in sorted(rows)]


# Kinds whose effect only validates the payload or sets a field of the case in memory: in a
# batch their facts are written together and their cases refreshed once, at the end (or
# before the next mutation of another kind), instead of one savepoint, flush and refresh each.
PLAIN_KINDS = frozenset({ActivityKind.NOTE, ActivityKind.DIAL, ActivityKind.LETTER,
                         ActivityKind.CALL, ActivityKind.CALLBACK}) - CONTENDED


class _Batch:
    """What a push reads once for its whole batch (the cases, the caller's scope, the facts
    already there), and the plain facts applied but not yet written.

    A plain fact takes the short way only when apply_mutation would apply it as sent: its case
    is open, the fact is new and its effect raises nothing. The result is the same rows: the
    activity apply_mutation makes, and the case refreshed at the same `now` after its last
    change. Anything else goes through apply_mutation, after the pending facts are written.
    """

    def __init__(self, session: Session, user: User, mutations: Sequence[Mapping[str, Any]],
                 now: datetime) -> None:
        self.session, self.user, self.now = session, user, now
        self.pending: list[dict[str, Any]] = []
        self.refresh: dict[uuid.UUID, None] = {}
        self.new_ids: set[uuid.UUID] = set()
        case_ids, activity_ids = set(), set()
        for mutation in mutations:
            args = mutation["args"]
            if isinstance(args, dict):
                for key, into in (("case_id", case_ids), ("activity_id", activity_ids)):
                    try:
                        into.add(uuid.UUID(hex=args[key]))
                    except (KeyError, TypeError, ValueError, AttributeError):
                        pass
        self.case_ids = list(case_ids)
        self.existing: set[uuid.UUID] = set()
        # Held here, the cases stay in the session's identity map: session.get finds them.
        self.cases = [case for chunk in _chunks(self.case_ids) for case in session.execute(
            select(CollectionCase).where(col(CollectionCase.id).in_(chunk))).scalars()]
        for chunk in _chunks(list(activity_ids)):
            self.existing.update(session.execute(
                select(col(Activity.id)).where(col(Activity.id).in_(chunk))).scalars())
        self._scope: set[uuid.UUID] | None = None

    def in_scope(self, case_id: uuid.UUID) -> bool:
        if self._scope is None:
            self._scope = set()
            for chunk in _chunks(self.case_ids):
                self._scope |= in_scope(self.session, self.user, chunk)
        return case_id in self._scope

    def scope_changed(self) -> None:
        self._scope = None

    def apply_plain(self, fact: Fact, case: CollectionCase, review: Review) -> str | None:
        """The fact's result, its activity pending; None when it must take apply_mutation's
        way."""
        if (fact.kind not in PLAIN_KINDS or case.status == CaseStatus.CLOSED
                or fact.activity_id in self.existing or fact.activity_id in self.new_ids):
            return None
        try:
            decided = EFFECTS[fact.kind](self.session, case, fact)
        except ActionRefused:
            return None  # these effects change nothing before they refuse
        stale = fact.claim_epoch != case.claim_epoch and not review.may_assign
        # The row apply_mutation's Activity would be written as.
        activity = {"id": fact.activity_id, "case_id": case.id, "kind": fact.kind,
                    "author_id": review.author_id, "client_time": fact.client_time,
                    "server_time": self.now, "payload": dict(fact.payload, **(decided or {})),
                    "needs_review": stale or not review.in_scope}
        self.pending.append(activity)
        self.new_ids.add(fact.activity_id)
        self.refresh[case.id] = None
        return _result(activity["needs_review"], activity["payload"])

    def write(self) -> None:
        """The pending facts, and their cases refreshed."""
        if self.pending:
            self.session.flush()
            self.session.execute(insert(ACTIVITY), self.pending)
            refresh_cases(self.session, list(self.refresh), self.now)
            self.pending, self.refresh = [], {}


def _chunks(ids: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _apply_one(session: Session, user: User, mutation: Mapping[str, Any], now: datetime,
               previous_agents: dict[uuid.UUID, list[uuid.UUID]], batch: _Batch,
               ) -> tuple[str, uuid.UUID | None, datetime | None]:
    """(result, case id, client time): result "" when applied as sent."""
    name, args = mutation["name"], mutation["args"]
    try:
        fact = Fact.parse(name, args)
    except Malformed as exc:
        return f"refused: {exc}", None, None
    case = session.get(CollectionCase, fact.case_id)
    if case is None:
        return "refused: This case does not exist.", None, fact.client_time
    review = Review(author_id=user.id, in_scope=batch.in_scope(case.id),
                    may_assign=sees_everything(user))
    result = batch.apply_plain(fact, case, review)
    if result is not None:
        return result, case.id, fact.client_time
    batch.write()  # what apply_mutation reads is then as if each fact had gone its way
    batch.new_ids.add(fact.activity_id)  # a later fact with this id goes this way too
    if fact.kind == ActivityKind.ASSIGNMENT:
        batch.scope_changed()
    agent_before = case.assigned_agent_id
    try:
        with session.begin_nested():
            activity = apply_mutation(session, name, args, now, review)
    except ActionRefused as exc:
        session.expire(case)
        return f"refused: {exc}", case.id, fact.client_time
    if activity is None:
        return "duplicate", case.id, fact.client_time
    if agent_before is not None and case.assigned_agent_id != agent_before:
        taken_from = previous_agents.setdefault(case.id, [])
        if agent_before not in taken_from:
            taken_from.append(agent_before)
    return _result(activity.needs_review, activity.payload), case.id, fact.client_time


def _apply_campaign(session: Session, user: User, mutation: Mapping[str, Any],
                    touched: dict[uuid.UUID, None],
                    previous_agents: dict[uuid.UUID, list[uuid.UUID]],
                    ) -> tuple[str, datetime | None]:
    """A supervisor's change to a campaign. New members must get the campaign's cases and
    removed ones lose them: every case of the campaign is logged, with a tombstone for each
    agent removed."""
    name, args = str(mutation["name"]), mutation["args"]
    try:
        client_time = datetime.fromisoformat(args["client_time"])
    except (KeyError, TypeError, ValueError, AttributeError):
        client_time = None
    if not sees_everything(user):
        return "refused: Only a supervisor can change a campaign.", client_time
    try:
        removed = campaign_mutations.apply_campaign_mutation(session, name, args)
    except ActionRefused as exc:
        return f"refused: {exc}", client_time
    changed_reference(session)
    if name == f"{campaign_mutations.PREFIX}members":
        campaign_id = uuid.UUID(hex=args["campaign_id"])
        for case_id in session.execute(
                select(CASE.c.id).where(CASE.c.campaign_id == campaign_id)).scalars():
            touched[case_id] = None
            previous_agents.setdefault(case_id, []).extend(removed)
    return "", client_time


def _result(needs_review: bool, payload: Mapping[str, Any]) -> str:
    if needs_review:
        why = payload.get("refused") or "made by an agent who no longer holds the case"
        return f"kept for review: {why}"
    return ""


# -- pull ---------------------------------------------------------------------------------------


def pull(session: Session, user: User, client_id: uuid.UUID | None, cursor: int,
         limit: int = 2000, reference: str = "") -> dict[str, Any]:
    """The cases changed after `cursor` in the caller's scope, whole, and tombstones for the
    cases that left it. At most `limit` log entries per page. The users, campaigns and
    members come too, unless `reference` names the version the client holds already."""
    client = session.get(SyncClient, client_id) if client_id else None
    last_mutation_id = client.last_mutation_id if client and client.user_id == user.id else 0
    if cursor < 0 or (cursor and cursor < retained_from(session) - 1):
        return {"reset": True, "cursor": 0, "has_more": True, "cases": [], "tombstones": [],
                "tables": {}, "reference": {}, "reference_version": "",
                "last_mutation_id": last_mutation_id}
    # The page: the first `limit` log entries after the cursor, everyone's.
    window = (select(CHANGE.c.version).where(CHANGE.c.version > cursor)
              .order_by(CHANGE.c.version).limit(limit).subquery())
    last, count = session.execute(
        select(func.max(window.c.version), func.count()).select_from(window)).one()
    # Of those, the caller's: decided in SQL, since each page holds every agent's changes.
    visible = scope_clause(user).label("visible")
    rows = session.execute(
        select(CHANGE.c.case_id, visible)
        .select_from(CHANGE.outerjoin(CASE, CASE.c.id == CHANGE.c.case_id))
        .where(CHANGE.c.version > cursor, CHANGE.c.version <= (last or cursor),
               or_(visible, CHANGE.c.previous_agent_id == user.id))
        .order_by(CHANGE.c.version)).all()
    cases = list(dict.fromkeys(case_id for case_id, seen in rows if seen))
    tombstones = sorted({case_id.hex for case_id, seen in rows if not seen})
    conn = session.connection()
    version = reference_version(session)
    return {
        "reset": False,
        "cursor": last or cursor,
        "has_more": count == limit,
        "cases": [case_id.hex for case_id in cases],
        "tombstones": tombstones,
        "tables": export_cases(conn, cases) if cases else {},
        "reference": {} if version and reference == version else _reference(conn, version),
        "reference_version": version,
        "last_mutation_id": last_mutation_id,
    }


# The users, campaigns and members as last exported, by version: a pull with nothing new
# would otherwise spend most of its time exporting them again.
_exported: dict[str, dict[str, Any]] = {}


def _reference(conn: Any, version: str) -> dict[str, Any]:
    if version and version in _exported:
        return _exported[version]
    exported = export_reference(conn)
    if version:
        _exported.clear()
        _exported[version] = exported
    return exported


def reference_version(session: Session) -> str:
    row = session.get(StoreMeta, REFERENCE_KEY)
    return row.value if row else ""


def changed_reference(session: Session) -> None:
    """Users, campaigns or members changed: every client gets them again with its next pull.
    Call in the transaction that changes them."""
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    token = uuid.uuid4().hex
    session.execute(upsert(StoreMeta).values(key=REFERENCE_KEY, value=token)
                    .on_conflict_do_update(index_elements=["key"], set_={"value": token}))


# -- claims -------------------------------------------------------------------------------------


def claim_next(session: Session, user: User, count: int, lease: timedelta,
               now: datetime) -> list[dict[str, Any]]:
    """Lease the `count` highest-priority open cases in scope that nobody else holds. On
    PostgreSQL rows being claimed by another transaction are skipped, not waited for; on
    SQLite the transaction is the single writer."""
    free = or_(CASE.c.claimed_by.is_(None), CASE.c.lease_until < now)
    statement = (select(CASE.c.id).where(CASE.c.status == CaseStatus.OPEN.value,
                                         scope_clause(user), free)
                 .order_by(CASE.c.priority.desc(), CASE.c.id).limit(count))
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True, of=CASE)
    ids = list(session.execute(statement).scalars())
    return _lease(session, user, ids, lease, now)


def claim_cases(session: Session, user: User, case_ids: Sequence[uuid.UUID], lease: timedelta,
                now: datetime) -> list[dict[str, Any]]:
    """Lease these cases (a packet to work offline, or renewing a lease); 403 if any is out of
    scope, and cases another agent holds are left out."""
    visible = in_scope(session, user, case_ids)
    if len(visible) != len(set(case_ids)):
        raise Forbidden("a case is not in your scope")
    statement = select(CASE.c.id).where(
        CASE.c.id.in_(list(visible)), CASE.c.status == CaseStatus.OPEN.value,
        or_(CASE.c.claimed_by.is_(None), CASE.c.claimed_by == user.id, CASE.c.lease_until < now))
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(of=CASE)
    return _lease(session, user, list(session.execute(statement).scalars()), lease, now)


def _lease(session: Session, user: User, ids: list[uuid.UUID], lease: timedelta,
           now: datetime) -> list[dict[str, Any]]:
    if not ids:
        return []
    until = now + lease
    # The fencing counter rises only when the holder changes, not on a renewal.
    session.execute(
        update(CASE).where(CASE.c.id.in_(ids), or_(CASE.c.claimed_by.is_(None),
                                                   CASE.c.claimed_by != user.id))
        .values(claim_epoch=CASE.c.claim_epoch + 1))
    session.execute(update(CASE).where(CASE.c.id.in_(ids))
                    .values(claimed_by=user.id, lease_until=until))
    rows = session.execute(select(CASE.c.id, CASE.c.claim_epoch).where(CASE.c.id.in_(ids))).all()
    log_changes(session, ids)
    return [{"case_id": case_id.hex, "claim_epoch": epoch, "lease_until": until.isoformat()}
            for case_id, epoch in rows]


def release(session: Session, user: User, case_ids: Sequence[uuid.UUID]) -> int:
    result = session.execute(update(CASE).where(
        CASE.c.id.in_(list(case_ids)), CASE.c.claimed_by == user.id)
        .values(claimed_by=None, lease_until=None))
    log_changes(session, case_ids)
    return result.rowcount or 0


def claim_holders(session: Session) -> dict[uuid.UUID, uuid.UUID]:
    """Held, unexpired or not: case → holder. For tests and the supervisor."""
    return dict(session.execute(select(CASE.c.id, CASE.c.claimed_by).where(
        CASE.c.claimed_by.is_not(None))).all())


def audit(session: Session, case_id: uuid.UUID | None, limit: int) -> list[dict[str, Any]]:
    """The audit trail, oldest first: every pushed mutation once."""
    statement = select(AuditEntry).order_by(col(AuditEntry.id)).limit(limit)
    if case_id is not None:
        statement = statement.where(col(AuditEntry.case_id) == case_id)
    return [{
        "client_id": e.client_id.hex, "mutation_id": e.mutation_id, "name": e.name,
        "user_id": e.user_id.hex, "case_id": e.case_id.hex if e.case_id else None,
        "client_time": e.client_time.isoformat() if e.client_time else None,
        "server_time": e.server_time.isoformat(), "result": e.result,
    } for e in session.execute(statement).scalars()]
