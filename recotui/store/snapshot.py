"""Whole cases as plain JSON, for sync: the server exports them, the client replaces its copy.

A pull carries every row of each changed case, not row-level changes: the client's copy of a
case then equals the server's, whatever the client did to it optimistically, and a case that
comes into an agent's scope arrives whole. Rows travel as {"columns": [...], "rows": [[...]]}.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    TypeDecorator,
    Uuid,
    delete,
    func,
    select,
    true,
    type_coerce,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.types import NullType

from recotui.store.tables import (
    Activity,
    Campaign,
    CampaignMember,
    CollectionCase,
    Debtor,
    DebtorContact,
    Dispute,
    DisputeInvoice,
    Instalment,
    Invoice,
    Payment,
    PaymentAllocation,
    PaymentPlan,
    Promise,
    User,
)

_CHUNK = 500


def _t(model: Any) -> Table:
    return model.__table__


CASE, DEBTOR, CONTACT = _t(CollectionCase), _t(Debtor), _t(DebtorContact)
PLAN, PAYMENT, DISPUTE = _t(PaymentPlan), _t(Payment), _t(Dispute)
# Parents first: the order rows are inserted in; children are deleted in the reverse order.
CASE_TABLES: tuple[Table, ...] = (
    CASE, _t(Invoice), _t(Activity), _t(Promise), PLAN, _t(Instalment), PAYMENT,
    _t(PaymentAllocation), DISPUTE, _t(DisputeInvoice),
)
CAMPAIGN, MEMBER = _t(Campaign), _t(CampaignMember)
REFERENCE_TABLES: tuple[Table, ...] = (_t(User), _t(Campaign), MEMBER)


def owned_by(table: Table, ids: Any) -> Any:
    """The WHERE clause picking `table`'s rows that belong to the cases `ids`."""
    if table is CASE:
        return CASE.c.id.in_(ids)
    if "case_id" in table.c:
        return table.c.case_id.in_(ids)
    parent, key = {"instalment": (PLAN, "plan_id"), "payment_allocation": (PAYMENT, "payment_id"),
                   "dispute_invoice": (DISPUTE, "dispute_id")}[table.name]
    return table.c[key].in_(select(parent.c.id).where(parent.c.case_id.in_(ids)))


def debtors_of(ids: Any) -> Any:
    return select(CASE.c.debtor_id).where(CASE.c.id.in_(ids))


def _encode(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    return value


def _rows(conn: Connection, table: Table, where: Any) -> list[list[Any]]:
    # The driver's values, untyped, each made JSON by the converter of its column: the same
    # values as _encode over SQLAlchemy's typed results, without building a UUID or a
    # datetime for every value on the way (SQLite stores them as the text that goes out).
    converters = _exporters(conn.dialect, table)
    raw = select(*[type_coerce(c, NullType()) for c in table.c]).where(where)
    return [[convert(v) for convert, v in zip(converters, row, strict=True)]
            for row in conn.execute(raw).fetchall()]


def _exporters(dialect: Any, table: Table) -> list[Callable[[Any], Any]]:
    key = (dialect.name, table.name)
    found = _EXPORTERS.get(key)
    if found is None:
        found = _EXPORTERS[key] = [_exporter(dialect, c.type) for c in table.c]
    return found


_EXPORTERS: dict[tuple[str, str], list[Callable[[Any], Any]]] = {}


def _exporter(dialect: Any, column_type: Any) -> Callable[[Any], Any]:
    process = column_type._cached_result_processor(dialect, None)  # noqa: SLF001

    def typed(value: Any) -> Any:
        return _encode(process(value) if process is not None else value)

    if dialect.name != "sqlite":
        return typed
    if isinstance(column_type, Uuid):
        # Stored as 32 lower-case hex digits: the text that goes out.
        return lambda v: v if v is None or (len(v) == 32 and v.islower()) else typed(v)
    if isinstance(column_type, (Integer, String)) and process is None:
        return lambda v: v
    if isinstance(column_type, Boolean):
        return lambda v: v if v is None else bool(v)
    if isinstance(column_type, Date) and not isinstance(column_type, DateTime):
        return lambda v: v if v is None or len(v) == 10 else typed(v)
    if isinstance(column_type, TypeDecorator) and isinstance(column_type.impl_instance,
                                                             DateTime):
        probe = process("2000-01-02 03:04:05.000006") if process else None
        if isinstance(probe, datetime) and probe.utcoffset() == timedelta(0):
            # Stored naive in UTC as "YYYY-MM-DD HH:MM:SS.ffffff", read back aware in UTC.
            def utc(v: Any) -> Any:
                if v is None or len(v) != 26 or v[10] != " ":
                    return typed(v)
                micro = v[20:]
                return (f"{v[:10]}T{v[11:19]}+00:00" if micro == "000000"
                        else f"{v[:10]}T{v[11:19]}.{micro}+00:00")
            return utc
    return typed


def export_cases(conn: Connection, case_ids: Sequence[uuid.UUID]) -> dict[str, Any]:
    """Every row of these cases and of their debtors."""
    out: dict[str, Any] = {}
    for table in (DEBTOR, CONTACT, *CASE_TABLES):
        out[table.name] = {"columns": list(table.c.keys()), "rows": []}
    debtor_ids: dict[Any, None] = {}  # once each, though its cases fall in several chunks
    for start in range(0, len(case_ids), _CHUNK):
        ids = list(case_ids[start:start + _CHUNK])
        debtor_ids.update(dict.fromkeys(conn.execute(debtors_of(ids)).scalars()))
        for table in CASE_TABLES:
            out[table.name]["rows"] += _rows(conn, table, owned_by(table, ids))
    debtors = list(debtor_ids)
    for start in range(0, len(debtors), _CHUNK):
        ids = debtors[start:start + _CHUNK]
        out[DEBTOR.name]["rows"] += _rows(conn, DEBTOR, DEBTOR.c.id.in_(ids))
        out[CONTACT.name]["rows"] += _rows(conn, CONTACT, CONTACT.c.debtor_id.in_(ids))
    return out


def export_reference(conn: Connection) -> dict[str, Any]:
    """Users, campaigns and their members: small, and sent whole with every pull."""
    return {table.name: {"columns": list(table.c.keys()), "rows": _rows(conn, table, true())}
            for table in REFERENCE_TABLES}


# -- the client's side ------------------------------------------------------------------------


def _python_type(column_type: Any) -> type:
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    try:
        return column_type.python_type
    except NotImplementedError:
        return object


def _decoder(table: Table, columns: Sequence[str]) -> Callable[[list[Any]], dict[str, Any]]:
    converters = []
    for name in columns:
        if name not in table.c:
            raise ValueError(f"{table.name}: unknown column {name!r}")
        kind = _python_type(table.c[name].type)
        if kind is uuid.UUID:
            converters.append(lambda v: None if v is None else uuid.UUID(hex=v))
        elif kind is datetime:
            converters.append(lambda v: None if v is None else datetime.fromisoformat(v))
        elif kind is date:
            converters.append(lambda v: None if v is None else date.fromisoformat(v))
        else:
            converters.append(lambda v: v)
    pairs = list(zip(columns, converters, strict=True))
    return lambda row: {name: convert(value) for (name, convert), value in zip(pairs, row,
                                                                              strict=True)}


def _decoded(table: Table, block: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not block or not block["rows"]:
        return []
    decode = _decoder(table, block["columns"])
    return [decode(row) for row in block["rows"]]


def _upsert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    statement = sqlite_insert(table)
    keys = {c.name for c in table.primary_key.columns}
    updates = {name: statement.excluded[name] for name in rows[0] if name not in keys}
    if updates:
        statement = statement.on_conflict_do_update(index_elements=list(keys), set_=updates)
    else:
        statement = statement.on_conflict_do_nothing()
    conn.execute(statement, rows)


def _yield_names(conn: Connection, campaigns: list[dict[str, Any]]) -> None:
    """A local campaign named like one of the server's (made offline, refused or not yet
    pushed) takes another name, so the server's row can come in; its cases keep it."""
    names = [c["name"] for c in campaigns]
    ids = [c["id"] for c in campaigns]
    conn.execute(update(CAMPAIGN).where(CAMPAIGN.c.name.in_(names), CAMPAIGN.c.id.not_in(ids))
                 .values(name=CAMPAIGN.c.name + " (" + func.substr(
                     type_coerce(CAMPAIGN.c.id, String), 1, 8) + ", local)"))


def remove_cases(conn: Connection, case_ids: Iterable[uuid.UUID]) -> None:
    """Every row of these cases (not their debtors, which other cases may share)."""
    ids = list(case_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for table in reversed(CASE_TABLES):
            conn.execute(delete(table).where(owned_by(table, chunk)))


def replace_cases(conn: Connection, case_ids: Sequence[uuid.UUID], tables: dict[str, Any],
                  reference: dict[str, Any] | None = None) -> None:
    """Make these cases (and the reference data) equal to the server's, in the caller's
    transaction. A SQLite client store."""
    for table in REFERENCE_TABLES:
        block = (reference or {}).get(table.name)
        if table is MEMBER and block is not None:
            conn.execute(delete(MEMBER))  # sent whole: a member the server removed goes
        rows = _decoded(table, block)
        if table is CAMPAIGN and rows:
            _yield_names(conn, rows)
        _upsert(conn, table, rows)
    remove_cases(conn, case_ids)
    block = tables.get(DEBTOR.name)
    if not block or not block["rows"]:
        debtor_ids = []
    elif _insert_raw(conn, DEBTOR, block, upsert=True):
        at = block["columns"].index("id")
        debtor_ids = [uuid.UUID(hex=row[at]) for row in block["rows"]]
    else:
        debtors = _decoded(DEBTOR, block)
        _upsert(conn, DEBTOR, debtors)
        debtor_ids = [d["id"] for d in debtors]
    for start in range(0, len(debtor_ids), _CHUNK):
        conn.execute(delete(CONTACT).where(
            CONTACT.c.debtor_id.in_(debtor_ids[start:start + _CHUNK])))
    for table in (CONTACT, *CASE_TABLES):
        if _insert_raw(conn, table, tables.get(table.name)):
            continue
        rows = _decoded(table, tables.get(table.name))
        if rows:
            conn.execute(table.insert(), rows)


def _insert_raw(conn: Connection, table: Table, block: dict[str, Any] | None,
                upsert: bool = False) -> bool:
    """Insert (or upsert) a block straight through the driver when it has every column of
    the table: each wire value becomes what SQLAlchemy would have stored for it (the decoded
    value through the column's bind processor), with short cuts for ids and times, which
    SQLite stores as the text that came. False when the block needs the typed path."""
    if not block or not block["rows"]:
        return True
    columns = block["columns"]
    if conn.dialect.name != "sqlite" or sorted(columns) != sorted(table.c.keys()):
        return False
    storers = [_storer(conn.dialect, table, name) for name in columns]
    rows = [tuple([store(v) for store, v in zip(storers, row, strict=True)])
            for row in block["rows"]]
    quote = conn.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    if upsert:
        keys = [c.name for c in table.primary_key.columns]
        updates = [f"{quote(c)} = excluded.{quote(c)}" for c in columns if c not in keys]
        sql += (f" ON CONFLICT ({', '.join(quote(k) for k in keys)}) "
                + (f"DO UPDATE SET {', '.join(updates)}" if updates else "DO NOTHING"))
    conn.exec_driver_sql(sql, rows)
    return True


def _storer(dialect: Any, table: Table, name: str) -> Callable[[Any], Any]:
    key = (table.name, name)
    found = _STORERS.get(key)
    if found is None:
        found = _STORERS[key] = _make_storer(dialect, table, name)
    return found


_STORERS: dict[tuple[str, str], Callable[[Any], Any]] = {}


def _make_storer(dialect: Any, table: Table, name: str) -> Callable[[Any], Any]:
    column_type = table.c[name].type
    bind = column_type._cached_bind_processor(dialect)  # noqa: SLF001
    decode = _decoder(table, [name])

    def typed(v: Any) -> Any:
        value = decode([v])[name]
        return bind(value) if bind is not None else value

    if isinstance(column_type, Uuid):
        return lambda v: v if v is None or (len(v) == 32 and v.islower()) else typed(v)
    if isinstance(column_type, (Integer, String)) and bind is None:
        return lambda v: v
    if isinstance(column_type, Date) and not isinstance(column_type, DateTime):
        return lambda v: v if v is None or len(v) == 10 else typed(v)
    if isinstance(column_type, Boolean) and typed(True) == 1 and typed(False) == 0:
        return lambda v: 1 if v is True else 0 if v is False else typed(v)
    if (isinstance(column_type, TypeDecorator)
            and isinstance(column_type.impl_instance, DateTime)
            and typed("2000-01-02T03:04:05.000006+00:00") == "2000-01-02 03:04:05.000006"
            and typed("2000-01-02T03:04:05+00:00") == "2000-01-02 03:04:05.000000"):
        def utc(v: Any) -> Any:
            if v is None:
                return None
            if len(v) == 32 and v.endswith("+00:00"):
                return f"{v[:10]} {v[11:26]}"
            if len(v) == 25 and v.endswith("+00:00"):
                return f"{v[:10]} {v[11:19]}.000000"
            return typed(v)
        return utc
    return typed
