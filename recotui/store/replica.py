"""The client store as a replica of the server's book: the outbox to push, pulled pages to
apply. `recotui/sync.py` moves them over HTTP; the SQL is here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlmodel import col

from recotui.store.campaign_mutations import PREFIX, apply_campaign_mutation
from recotui.store.mutators import ActionRefused, apply_mutation
from recotui.store.snapshot import CASE_TABLES, remove_cases, replace_cases
from recotui.store.store import Store, now_utc
from recotui.store.tables import CollectionCase, Outbox, StoreMeta

CURSOR_KEY = "sync_cursor"
REFERENCE_KEY = "sync_reference"  # the version of the users, campaigns and members held


@dataclass(frozen=True)
class PulledPage:
    cases: int
    removed: int
    rebased: int  # pending local mutations applied again over the server's copy


def pending_mutations(store: Store, limit: int) -> list[dict[str, Any]]:
    with store.transaction() as session:
        rows = session.execute(
            select(Outbox.mutation_id, Outbox.name, Outbox.args)
            .where(col(Outbox.pushed_at).is_(None)).order_by(col(Outbox.mutation_id))
            .limit(limit)).all()
    return [{"id": mid, "name": name, "args": args} for mid, name, args in rows]


def pending_count(store: Store) -> int:
    with store.transaction() as session:
        return session.execute(select(func.count()).select_from(Outbox).where(
            col(Outbox.pushed_at).is_(None))).scalar_one()


def mark_pushed(store: Store, last_mutation_id: int, results: list[dict[str, Any]],
                now: datetime | None = None) -> None:
    """The server has applied everything up to `last_mutation_id`; keep what it said."""
    now = now or now_utc()
    with store.transaction() as session:
        session.execute(update(Outbox).where(
            col(Outbox.mutation_id) <= last_mutation_id, col(Outbox.pushed_at).is_(None))
            .values(pushed_at=now))
        for item in results:
            if item["result"] and item["result"] != "duplicate":
                session.execute(update(Outbox).where(col(Outbox.mutation_id) == item["id"])
                                .values(result=item["result"]))


def unmark_after(store: Store, last_mutation_id: int) -> int:
    """The server has lost what came after `last_mutation_id` (restored from a backup): send
    it again."""
    with store.transaction() as session:
        return session.execute(update(Outbox).where(
            col(Outbox.mutation_id) > last_mutation_id).values(pushed_at=None)).rowcount or 0


def refused_mutations(store: Store) -> list[tuple[int, str, str]]:
    """(id, name, what the server said) of every mutation it refused or flagged."""
    with store.transaction() as session:
        return [tuple(r) for r in session.execute(
            select(Outbox.mutation_id, Outbox.name, Outbox.result)
            .where(col(Outbox.result) != "").order_by(col(Outbox.mutation_id)))]


def cursor(store: Store) -> int:
    return int(store.meta(CURSOR_KEY, "0") or 0)


def reference_held(store: Store) -> str:
    return store.meta(REFERENCE_KEY, "") or ""


def forget_reference(session: Any) -> None:
    """A local change to a campaign: the next pull brings the server's users, campaigns and
    members whole, so that a change the server refuses does not linger here."""
    _set_meta(session, REFERENCE_KEY, "")


def apply_page(store: Store, page: dict[str, Any], now: datetime | None = None) -> PulledPage:
    """One pulled page and the cursor after it, in one transaction. Local mutations not yet
    pushed are applied again over the server's copy of their case, so they stay visible."""
    now = now or now_utc()
    case_ids = [uuid.UUID(hex=h) for h in page["cases"]]
    gone = [uuid.UUID(hex=h) for h in page["tombstones"]]
    with store.transaction() as session:
        conn = session.connection()
        replace_cases(conn, case_ids, page["tables"], page.get("reference"))
        remove_cases(conn, gone)
        rebased = rebase_pending(session, set(page["cases"]), now)
        _set_meta(session, CURSOR_KEY, str(page["cursor"]))
        if page.get("reference"):
            _set_meta(session, REFERENCE_KEY, page.get("reference_version", ""))
    return PulledPage(len(case_ids), len(gone), rebased)


def rebase_pending(session: Any, case_hexes: set[str] | None, now: datetime) -> int:
    """Apply again the mutations not yet pushed on these cases (None: on every case), and
    every campaign change (each page brings the campaigns whole), over the server's copy just
    written, so that they stay visible."""
    rebased = 0
    for name, args in session.execute(
            select(Outbox.name, Outbox.args).where(col(Outbox.pushed_at).is_(None))
            .order_by(col(Outbox.mutation_id))).all():
        if not isinstance(args, dict):
            continue
        try:
            if name.startswith(PREFIX):
                apply_campaign_mutation(session, name, args)
                rebased += 1
            elif case_hexes is None or args.get("case_id") in case_hexes:
                with session.begin_nested():
                    rebased += apply_mutation(session, name, args, now) is not None
        except ActionRefused:
            pass  # the server will say why when it gets it
    return rebased


def record_claims(store: Store, claims: list[dict[str, Any]], holder: uuid.UUID | None) -> None:
    """What the server answered to a claim, at once: the actions that follow carry the new
    claim epoch instead of waiting for the next pull to bring it."""
    with store.transaction() as session:
        for claim in claims:
            session.execute(update(CollectionCase).where(
                col(CollectionCase.id) == uuid.UUID(hex=claim["case_id"])).values(
                claim_epoch=claim["claim_epoch"], claimed_by=holder,
                lease_until=datetime.fromisoformat(claim["lease_until"])))


def reset(store: Store) -> None:
    """Forget the local copy of the book (never the outbox): the next pull reloads it."""
    with store.transaction() as session:
        for table in reversed(CASE_TABLES):
            session.execute(delete(table))
        _set_meta(session, CURSOR_KEY, "0")
        _set_meta(session, REFERENCE_KEY, "")


def _set_meta(session: Any, key: str, value: str) -> None:
    row = session.get(StoreMeta, key)
    if row is None:
        session.add(StoreMeta(key=key, value=value))
    else:
        row.value = value
