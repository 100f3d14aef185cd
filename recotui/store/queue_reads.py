"""The queue's reads, on a plain sqlite3 connection.

Start-up needs only these, so the first page paints before SQLAlchemy and SQLModel are
imported (they cost more than a bare Textual app's whole first paint). The queue is an index
scan on (status, priority, id), keyset-paginated; nothing here sorts the book.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from recotui.domain.contact_policy import ContactDecision, ContactPolicy, check_contact
from recotui.domain.vocab import CONVERSATION_DISPOSITIONS
from recotui.store.migrations import HEAD_REVISION


@dataclass(frozen=True, slots=True)
class QueueRow:
    case_id: uuid.UUID
    priority: int
    debtor_name: str
    debtor_number: str
    currency: str
    balance_minor: int
    overdue_minor: int
    disputed_minor: int
    oldest_due_date: date | None
    stage: str
    promise_status: str
    promise_due_date: date | None
    callback_at: datetime | None
    next_action_at: datetime | None
    last_contact_at: datetime | None
    debtor_timezone: str = "Europe/Paris"
    debtor_do_not_call: bool = False

    @property
    def cursor(self) -> tuple[int, uuid.UUID]:
        return (self.priority, self.case_id)


@dataclass(frozen=True, slots=True)
class QueueScope:
    """Which cases a queue shows: one agent's, one campaign's, or the whole open book."""

    agent_id: uuid.UUID | None = None
    campaign_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class QueueTotals:
    cases: int
    by_currency: dict[str, tuple[int, int]]  # currency → (balance, overdue) in minor units


@dataclass(frozen=True, slots=True)
class ContactFacts:
    """What the contact policy needs about one case's recent calls."""

    attempts: tuple[datetime, ...] = ()
    last_conversation_at: datetime | None = None


def connect(db: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(db), check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def store_is_current(db: str | Path) -> bool:
    """The file exists and its schema is at this version's head: no migration needed."""
    if not Path(db).is_file():
        return False
    conn = connect(db)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
    return row is not None and row[0] == HEAD_REVISION


# -- conversions: SQLModel stores UUIDs as 32 hex digits and UTC times without a zone -------

def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def _db_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _d(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


_COLUMNS = (
    "c.id, c.priority, d.name, d.number, c.currency, c.balance_minor, c.overdue_minor, "
    "c.disputed_minor, c.oldest_due_date, c.stage, c.promise_status, c.promise_due_date, "
    "c.callback_at, c.next_action_at, c.last_contact_at, d.timezone, d.do_not_call"
)


def _row(r: tuple) -> QueueRow:
    return QueueRow(
        uuid.UUID(hex=r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], _d(r[8]), r[9], r[10],
        _d(r[11]), _dt(r[12]), _dt(r[13]), _dt(r[14]), r[15], bool(r[16]))


def _where(scope: QueueScope) -> tuple[str, list]:
    """The scope as a WHERE clause; each form matches one of the queue indexes."""
    clause, params = "c.status = 'open'", []
    if scope.agent_id is not None:
        clause += " AND c.assigned_agent_id = ?"
        params.append(scope.agent_id.hex)
    if scope.campaign_id is not None:
        clause += " AND c.campaign_id = ?"
        params.append(scope.campaign_id.hex)
    return clause, params


def queue_page(
    conn: sqlite3.Connection, scope: QueueScope = QueueScope(), *,
    after: tuple[int, uuid.UUID] | None = None, before: tuple[int, uuid.UUID] | None = None,
    limit: int = 50, from_end: bool = False, inclusive: bool = False,
) -> list[QueueRow]:
    """Cases in queue order (priority, then id, both descending).

    `after` gives the page below a row (from that row on, when `inclusive`), `before` the
    page above it, `from_end` the last page. Every form walks the index from one end.
    """
    where, params = _where(scope)
    if after is not None:
        where += f" AND (c.priority, c.id) {'<=' if inclusive else '<'} (?, ?)"
        params += [after[0], after[1].hex]
    if before is not None:
        where += " AND (c.priority, c.id) > (?, ?)"
        params += [before[0], before[1].hex]
    descending = before is None and not from_end
    order = "DESC" if descending else "ASC"
    rows = [_row(r) for r in conn.execute(
        f"SELECT {_COLUMNS} FROM collection_case c JOIN debtor d ON d.id = c.debtor_id "
        f"WHERE {where} ORDER BY c.priority {order}, c.id {order} LIMIT ?", [*params, limit])]
    return rows if descending else rows[::-1]


def queue_plan(conn: sqlite3.Connection, scope: QueueScope = QueueScope()) -> str:
    """SQLite's plan for a page after a cursor: shows the index walk (for tests)."""
    where, params = _where(scope)
    return "\n".join(r[3] for r in conn.execute(
        f"EXPLAIN QUERY PLAN SELECT {_COLUMNS} FROM collection_case c JOIN debtor d "
        f"ON d.id = c.debtor_id WHERE {where} AND (c.priority, c.id) < (?, ?) "
        f"ORDER BY c.priority DESC, c.id DESC LIMIT 50", [*params, 0, "0" * 32]))


def queue_count(conn: sqlite3.Connection, scope: QueueScope = QueueScope()) -> int:
    where, params = _where(scope)
    return conn.execute(f"SELECT count(*) FROM collection_case c WHERE {where}",
                        params).fetchone()[0]


def queue_totals(conn: sqlite3.Connection, scope: QueueScope = QueueScope()) -> QueueTotals:
    where, params = _where(scope)
    by_currency, cases = {}, 0
    for currency, count, balance, overdue in conn.execute(
            "SELECT c.currency, count(*), sum(c.balance_minor), sum(c.overdue_minor) "
            f"FROM collection_case c WHERE {where} GROUP BY c.currency", params):
        cases += count
        by_currency[currency] = (balance or 0, overdue or 0)
    return QueueTotals(cases, by_currency)


def rank_of(conn: sqlite3.Connection, row_key: tuple[int, uuid.UUID],
            scope: QueueScope = QueueScope()) -> int:
    """1-based position of a case in its queue (counts the rows ahead on the index)."""
    where, params = _where(scope)
    ahead = conn.execute(
        f"SELECT count(*) FROM collection_case c WHERE {where} AND (c.priority, c.id) > (?, ?)",
        [*params, row_key[0], row_key[1].hex]).fetchone()[0]
    return ahead + 1


def contact_facts(conn: sqlite3.Connection, case_ids: list[uuid.UUID], since: datetime
                  ) -> dict[uuid.UUID, ContactFacts]:
    """Call attempts since `since` and the last conversation, per case, for a page of cases."""
    if not case_ids:
        return {}
    marks = ",".join("?" * len(case_ids))
    attempts: dict[str, list[datetime]] = {}
    talks: dict[str, datetime] = {}
    for case_hex, when_text, payload in conn.execute(
            f"SELECT case_id, client_time, payload FROM activity WHERE case_id IN ({marks}) "
            "AND kind = 'call' AND client_time >= ?",
            [*(c.hex for c in case_ids), _db_time(since)]):
        when = _dt(when_text)
        attempts.setdefault(case_hex, []).append(when)
        if json.loads(payload or "{}").get("disposition") in CONVERSATION_DISPOSITIONS:
            talks[case_hex] = max(when, talks.get(case_hex, when))
    return {cid: ContactFacts(tuple(sorted(attempts.get(cid.hex, ()))), talks.get(cid.hex))
            for cid in case_ids}


def contact_decisions(conn: sqlite3.Connection, rows: list[QueueRow], policy: ContactPolicy,
                      now: datetime) -> dict[uuid.UUID, ContactDecision]:
    """The contact policy's verdict for each row of a page, at `now`."""
    facts = contact_facts(conn, [r.case_id for r in rows], now - policy.attempt_window)
    return {
        r.case_id: check_contact(
            policy, now=now, debtor_timezone=r.debtor_timezone,
            attempts=facts[r.case_id].attempts,
            last_conversation_at=facts[r.case_id].last_conversation_at,
            do_not_call=r.debtor_do_not_call)
        for r in rows
    }


def _like(text: str) -> str:
    return text.replace("%", "").replace("_", "")


# A letter matches itself and its accented forms in either case: agents type "lefevre" for
# "Lefèvre". SQLite's LIKE folds ASCII only, so names are matched with GLOB classes.
_ACCENTED = {"a": "aàâäáã", "c": "cç", "e": "eéèêë", "i": "iîïíì", "o": "oôöóòõ",
             "u": "uùûüú", "y": "yÿý", "n": "nñ", "æ": "æ", "œ": "œ"}


def name_glob(text: str) -> str:
    """A GLOB pattern finding `text` anywhere in a name, whatever its case and accents."""
    import unicodedata

    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text.lower())
                    if not unicodedata.combining(ch))
    parts = []
    for ch in plain:
        if ch in "*?[]":
            continue
        if ch.isalpha():
            forms = _ACCENTED.get(ch, ch)
            parts.append(f"[{forms}{forms.upper()}]")
        else:
            parts.append(ch)
    return f"*{''.join(parts)}*" if parts else ""  # nothing left to look for: no name


def search_queue(conn: sqlite3.Connection, scope: QueueScope, text: str, *, limit: int = 200
                 ) -> list[QueueRow]:
    """Open cases whose debtor name or number, phone or invoice number matches `text`,
    highest priority first. Numbers match by prefix on their indexes; names by substring."""
    text = text.strip()
    if not text:
        return []
    where, params = _where(scope)
    digits = "".join(ch for ch in text if ch.isdigit())
    debtors = "SELECT id FROM debtor WHERE name GLOB ? OR number LIKE ?"
    params += [name_glob(text), f"{_like(text)}%"]
    if len(digits) >= 4:
        debtors += " UNION SELECT debtor_id FROM debtor_contact WHERE search_key LIKE ?"
        params.append(f"{digits}%")
    params += [f"{_like(text)}%", limit]
    return [_row(r) for r in conn.execute(
        f"SELECT {_COLUMNS} FROM collection_case c JOIN debtor d ON d.id = c.debtor_id "
        f"WHERE {where} AND (c.debtor_id IN ({debtors}) "
        "OR c.id IN (SELECT case_id FROM invoice WHERE number LIKE ?)) "
        "ORDER BY c.priority DESC, c.id DESC LIMIT ?", params)]


def list_campaigns(conn: sqlite3.Connection) -> list[tuple[uuid.UUID, str]]:
    return [(uuid.UUID(hex=cid), name) for cid, name in conn.execute(
        "SELECT id, name FROM campaign WHERE active ORDER BY name")]


def find_user_id(conn: sqlite3.Connection, username: str) -> uuid.UUID | None:
    row = conn.execute("SELECT id FROM user WHERE username = ?", [username]).fetchone()
    return uuid.UUID(hex=row[0]) if row else None


def priority_factors(conn: sqlite3.Connection, case_id: uuid.UUID) -> list[tuple[str, int, int]]:
    row = conn.execute("SELECT priority_factors FROM collection_case WHERE id = ?",
                       [case_id.hex]).fetchone()
    factors: Iterable = json.loads(row[0]) if row and row[0] else []
    return [(str(n), int(w), int(c)) for n, w, c in factors]


def next_callable_case(
    conn: sqlite3.Connection, scope: QueueScope, policy: ContactPolicy, now: datetime, *,
    exclude: frozenset[uuid.UUID] = frozenset(), page_size: int = 100, max_scan: int = 5000,
) -> tuple[QueueRow | None, int]:
    """The highest-priority case that may be called now, walking the queue index.

    Skips excluded cases (worked this session) and cases waiting on a future next action
    (a promise date, a callback). Returns the case, or None, and how many rows were scanned;
    the scan stops at `max_scan` so a book that is all blocked at night answers quickly.
    """
    after, scanned = None, 0
    while scanned < max_scan:
        rows = queue_page(conn, scope, after=after, limit=page_size)
        if not rows:
            break
        scanned += len(rows)
        after = rows[-1].cursor
        waiting = [r for r in rows if r.case_id not in exclude
                   and (r.next_action_at is None or r.next_action_at <= now)]
        decisions = contact_decisions(conn, waiting, policy, now)
        for row in waiting:
            if decisions[row.case_id].allowed:
                return row, scanned
    return None, scanned


def case_stamp(conn: sqlite3.Connection, case_id: uuid.UUID) -> str | None:
    """When the case last changed (any action or pull refreshes it): a read of the case made
    earlier is still true while this is the same."""
    row = conn.execute("SELECT updated_at FROM collection_case WHERE id = ?",
                       (case_id.hex,)).fetchone()
    return None if row is None else str(row[0])
