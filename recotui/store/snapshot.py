"""Whole cases as plain JSON, for sync: the server exports them, the client replaces its copy.

A pull carries every row of each changed case, not row-level changes: the client's copy of a
case then equals the server's, whatever the client did to it optimistically, and a case that
comes into an agent's scope arrives whole. Rows travel as {"columns": [...], "rows": [[...]]}.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, TypeDecorator, delete, select, true
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

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
REFERENCE_TABLES: tuple[Table, ...] = (_t(User), _t(Campaign), _t(CampaignMember))


def _owned_by(table: Table, ids: Any) -> Any:
    """The WHERE clause picking `table`'s rows that belong to the cases `ids`."""
    if table is CASE:
        return CASE.c.id.in_(ids)
    if "case_id" in table.c:
        return table.c.case_id.in_(ids)
    parent, key = {"instalment": (PLAN, "plan_id"), "payment_allocation": (PAYMENT, "payment_id"),
                   "dispute_invoice": (DISPUTE, "dispute_id")}[table.name]
    return table.c[key].in_(select(parent.c.id).where(parent.c.case_id.in_(ids)))


def _debtors_of(ids: Any) -> Any:
    return select(CASE.c.debtor_id).where(CASE.c.id.in_(ids))


def _encode(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    return value


def _rows(conn: Connection, table: Table, where: Any) -> list[list[Any]]:
    return [[_encode(v) for v in row] for row in conn.execute(select(table).where(where))]


def export_cases(conn: Connection, case_ids: Sequence[uuid.UUID]) -> dict[str, Any]:
    """Every row of these cases and of their debtors."""
    out: dict[str, Any] = {}
    for table in (DEBTOR, CONTACT, *CASE_TABLES):
        out[table.name] = {"columns": list(table.c.keys()), "rows": []}
    for start in range(0, len(case_ids), _CHUNK):
        ids = list(case_ids[start:start + _CHUNK])
        out[DEBTOR.name]["rows"] += _rows(conn, DEBTOR, DEBTOR.c.id.in_(_debtors_of(ids)))
        out[CONTACT.name]["rows"] += _rows(conn, CONTACT, CONTACT.c.debtor_id.in_(_debtors_of(ids)))
        for table in CASE_TABLES:
            out[table.name]["rows"] += _rows(conn, table, _owned_by(table, ids))
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


def remove_cases(conn: Connection, case_ids: Iterable[uuid.UUID]) -> None:
    """Every row of these cases (not their debtors, which other cases may share)."""
    ids = list(case_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for table in reversed(CASE_TABLES):
            conn.execute(delete(table).where(_owned_by(table, chunk)))


def replace_cases(conn: Connection, case_ids: Sequence[uuid.UUID], tables: dict[str, Any],
                  reference: dict[str, Any] | None = None) -> None:
    """Make these cases (and the reference data) equal to the server's, in the caller's
    transaction. A SQLite client store."""
    for table in REFERENCE_TABLES:
        _upsert(conn, table, _decoded(table, (reference or {}).get(table.name)))
    remove_cases(conn, case_ids)
    debtors = _decoded(DEBTOR, tables.get(DEBTOR.name))
    _upsert(conn, DEBTOR, debtors)
    for start in range(0, len(debtors), _CHUNK):
        conn.execute(delete(CONTACT).where(
            CONTACT.c.debtor_id.in_([d["id"] for d in debtors[start:start + _CHUNK]])))
    for table in (CONTACT, *CASE_TABLES):
        rows = _decoded(table, tables.get(table.name))
        if rows:
            conn.execute(table.insert(), rows)
