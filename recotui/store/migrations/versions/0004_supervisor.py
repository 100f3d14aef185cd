"""supervisor: campaign segment and strategy; the console's aggregates and indexes

Revision ID: 0004
Revises: 0003

On SQLite, triggers keep the stat_* tables in step with activity, collection_case and invoice
(insert and delete mirror each other, so a replica replacing a case's rows stays exact); the
upgrade fills them from the rows already there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORK_KINDS = ("call", "note", "promise", "plan", "payment", "dispute", "callback", "stage",
              "close", "dial", "dispute_resolved")
TALKS = ("right_party", "refused", "dispute_raised", "promise", "callback_requested")


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _agent_day_terms(row: str) -> list[str]:
    """The stat_agent_day increments of one activity row (NEW or OLD), column by column."""
    def amount(kind: str, key: str) -> str:
        return (f"CASE WHEN {row}.kind = '{kind}' THEN coalesce(json_extract({row}.payload, "
                f"'$.{key}'), 0) ELSE 0 END")

    return ["1", f"{row}.kind = 'call'",
            f"{row}.kind = 'call' AND json_extract({row}.payload, '$.disposition') IN "
            f"{_in(TALKS)}",
            amount("call", "duration_s"), f"{row}.kind = 'promise'",
            amount("promise", "amount_minor"), amount("payment", "amount_minor")]


def _agent_day_values(row: str) -> str:
    return ", ".join(_agent_day_terms(row))


AGENT_COLS = "facts, calls, talks, call_s, promises, promised, collected"
AGENT_ADD = ", ".join(f"{c} = {c} + excluded.{c}" for c in AGENT_COLS.split(", "))
AGENT_SUB = ", ".join(f"{c} = {c} - ({t})"
                      for c, t in zip(AGENT_COLS.split(", "), _agent_day_terms("OLD"), strict=True))
WORKED = f"NEW.author_id IS NOT NULL AND NEW.kind IN {_in(WORK_KINDS)}"
UNWORKED = f"OLD.author_id IS NOT NULL AND OLD.kind IN {_in(WORK_KINDS)}"

TRIGGERS = [
    f"""CREATE TRIGGER stat_activity_insert AFTER INSERT ON activity WHEN {WORKED}
BEGIN
  INSERT INTO stat_agent_day (author_id, day, currency, {AGENT_COLS})
  SELECT NEW.author_id, date(NEW.client_time), c.currency, {_agent_day_values("NEW")}
  FROM collection_case c WHERE c.id = NEW.case_id
  ON CONFLICT (author_id, day, currency) DO UPDATE SET {AGENT_ADD};
  INSERT INTO stat_agent_case (author_id, day, case_id, n)
  VALUES (NEW.author_id, date(NEW.client_time), NEW.case_id, 1)
  ON CONFLICT (author_id, day, case_id) DO UPDATE SET n = n + 1;
  INSERT INTO stat_case_day (day, case_id, campaign_id, n)
  SELECT date(NEW.client_time), NEW.case_id, c.campaign_id, 1
  FROM collection_case c WHERE c.id = NEW.case_id
  ON CONFLICT (day, case_id) DO UPDATE SET n = n + 1, campaign_id = excluded.campaign_id;
END""",
    f"""CREATE TRIGGER stat_activity_delete AFTER DELETE ON activity WHEN {UNWORKED}
BEGIN
  UPDATE stat_agent_day SET {AGENT_SUB}
  WHERE author_id = OLD.author_id AND day = date(OLD.client_time)
    AND currency = (SELECT currency FROM collection_case WHERE id = OLD.case_id);
  UPDATE stat_agent_case SET n = n - 1
  WHERE author_id = OLD.author_id AND day = date(OLD.client_time) AND case_id = OLD.case_id;
  DELETE FROM stat_agent_case
  WHERE author_id = OLD.author_id AND day = date(OLD.client_time) AND case_id = OLD.case_id
    AND n <= 0;
  UPDATE stat_case_day SET n = n - 1 WHERE day = date(OLD.client_time) AND case_id = OLD.case_id;
  DELETE FROM stat_case_day WHERE day = date(OLD.client_time) AND case_id = OLD.case_id
    AND n <= 0;
END""",
    """CREATE TRIGGER stat_case_insert AFTER INSERT ON collection_case WHEN NEW.status = 'open'
BEGIN
  INSERT INTO stat_open (campaign_key, open_cases) VALUES (coalesce(NEW.campaign_id, ''), 1)
  ON CONFLICT (campaign_key) DO UPDATE SET open_cases = open_cases + 1;
END""",
    """CREATE TRIGGER stat_case_delete AFTER DELETE ON collection_case WHEN OLD.status = 'open'
BEGIN
  UPDATE stat_open SET open_cases = open_cases - 1
  WHERE campaign_key = coalesce(OLD.campaign_id, '');
END""",
    """CREATE TRIGGER stat_case_update AFTER UPDATE OF status, campaign_id ON collection_case
WHEN (OLD.status = 'open') != (NEW.status = 'open')
  OR coalesce(OLD.campaign_id, '') != coalesce(NEW.campaign_id, '')
BEGIN
  UPDATE stat_open SET open_cases = open_cases - 1
  WHERE OLD.status = 'open' AND campaign_key = coalesce(OLD.campaign_id, '');
  INSERT INTO stat_open (campaign_key, open_cases)
  SELECT coalesce(NEW.campaign_id, ''), 1 WHERE NEW.status = 'open'
  ON CONFLICT (campaign_key) DO UPDATE SET open_cases = open_cases + 1;
END""",
    """CREATE TRIGGER stat_invoice_insert AFTER INSERT ON invoice WHEN NEW.open_minor > 0
BEGIN
  INSERT INTO stat_aging (currency, due_date, open_minor)
  VALUES (NEW.currency, NEW.due_date, NEW.open_minor)
  ON CONFLICT (currency, due_date) DO UPDATE SET open_minor = open_minor + excluded.open_minor;
END""",
    """CREATE TRIGGER stat_invoice_delete AFTER DELETE ON invoice WHEN OLD.open_minor > 0
BEGIN
  UPDATE stat_aging SET open_minor = open_minor - OLD.open_minor
  WHERE currency = OLD.currency AND due_date = OLD.due_date;
END""",
    """CREATE TRIGGER stat_invoice_update AFTER UPDATE OF open_minor, due_date, currency ON invoice
BEGIN
  UPDATE stat_aging SET open_minor = open_minor - OLD.open_minor
  WHERE OLD.open_minor > 0 AND currency = OLD.currency AND due_date = OLD.due_date;
  INSERT INTO stat_aging (currency, due_date, open_minor)
  SELECT NEW.currency, NEW.due_date, NEW.open_minor WHERE NEW.open_minor > 0
  ON CONFLICT (currency, due_date) DO UPDATE SET open_minor = open_minor + excluded.open_minor;
END""",
]

BACKFILL = [
    f"""INSERT INTO stat_agent_day (author_id, day, currency, {AGENT_COLS})
SELECT a.author_id, date(a.client_time), c.currency, count(*),
  sum(a.kind = 'call'),
  sum(a.kind = 'call' AND json_extract(a.payload, '$.disposition') IN {_in(TALKS)}),
  sum(CASE WHEN a.kind = 'call' THEN coalesce(json_extract(a.payload, '$.duration_s'), 0)
      ELSE 0 END),
  sum(a.kind = 'promise'),
  sum(CASE WHEN a.kind = 'promise' THEN coalesce(json_extract(a.payload, '$.amount_minor'), 0)
      ELSE 0 END),
  sum(CASE WHEN a.kind = 'payment' THEN coalesce(json_extract(a.payload, '$.amount_minor'), 0)
      ELSE 0 END)
FROM activity a JOIN collection_case c ON c.id = a.case_id
WHERE a.author_id IS NOT NULL AND a.kind IN {_in(WORK_KINDS)}
GROUP BY a.author_id, date(a.client_time), c.currency""",
    f"""INSERT INTO stat_agent_case (author_id, day, case_id, n)
SELECT author_id, date(client_time), case_id, count(*) FROM activity
WHERE author_id IS NOT NULL AND kind IN {_in(WORK_KINDS)}
GROUP BY author_id, date(client_time), case_id""",
    f"""INSERT INTO stat_case_day (day, case_id, campaign_id, n)
SELECT date(a.client_time), a.case_id, c.campaign_id, count(*)
FROM activity a JOIN collection_case c ON c.id = a.case_id
WHERE a.author_id IS NOT NULL AND a.kind IN {_in(WORK_KINDS)}
GROUP BY date(a.client_time), a.case_id""",
    """INSERT INTO stat_open (campaign_key, open_cases)
SELECT coalesce(campaign_id, ''), count(*) FROM collection_case WHERE status = 'open'
GROUP BY coalesce(campaign_id, '')""",
    """INSERT INTO stat_aging (currency, due_date, open_minor)
SELECT currency, due_date, sum(open_minor) FROM invoice WHERE open_minor > 0
GROUP BY currency, due_date""",
]


def upgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column("segment", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("weights", sa.JSON(), nullable=True))
    op.create_index("ix_case_burn", "collection_case", ["status", "campaign_id", "next_action_at"],
                    unique=False)
    op.create_index("ix_case_disputed", "collection_case", ["campaign_id"], unique=False,
                    sqlite_where=sa.text("status = 'open' AND disputed_minor > 0"),
                    postgresql_where=sa.text("status = 'open' AND disputed_minor > 0"))
    op.create_index("ix_activity_time", "activity", ["client_time"], unique=False)
    op.create_index("ix_activity_author_time", "activity", ["author_id", "client_time"],
                    unique=False)
    op.create_index("ix_payment_received", "payment", ["received_on", "currency", "amount_minor"],
                    unique=False)
    uuid_pk = [sa.Column("author_id", sa.Uuid(), nullable=False),
               sa.Column("day", sa.Date(), nullable=False)]
    op.create_table(
        "stat_agent_day", *uuid_pk,
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("facts", sa.Integer(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("talks", sa.Integer(), nullable=False),
        sa.Column("call_s", sa.BigInteger(), nullable=False),
        sa.Column("promises", sa.Integer(), nullable=False),
        sa.Column("promised", sa.BigInteger(), nullable=False),
        sa.Column("collected", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("author_id", "day", "currency"))
    op.create_table(
        "stat_agent_case",
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("author_id", "day", "case_id"))
    op.create_table(
        "stat_case_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "case_id"))
    op.create_index("ix_stat_case_day_campaign", "stat_case_day", ["day", "campaign_id"],
                    unique=False)
    op.create_table(
        "stat_open",
        sa.Column("campaign_key", sa.String(length=32), nullable=False),
        sa.Column("open_cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("campaign_key"))
    op.create_table(
        "stat_aging",
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("currency", "due_date"))
    if op.get_bind().dialect.name == "sqlite":
        for statement in BACKFILL + TRIGGERS:
            op.execute(statement)
        analyze_new_indexes("ix_case_burn", "ix_case_disputed", "ix_activity_time",
                            "ix_activity_author_time", "ix_payment_received")


def analyze_new_indexes(*names: str) -> None:
    """A store analysed before has statistics for its old indexes only; the planner then takes
    a new index it knows nothing of as the most selective (the queue sorted 1M cases instead
    of walking ix_case_queue). Statistics for the new ones put it right."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first():
        for name in names:
            op.execute(f"ANALYZE {name}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    for table in ("stat_aging", "stat_open", "stat_case_day", "stat_agent_case",
                  "stat_agent_day"):
        op.drop_table(table)
    op.drop_index("ix_payment_received", table_name="payment")
    op.drop_index("ix_activity_author_time", table_name="activity")
    op.drop_index("ix_activity_time", table_name="activity")
    op.drop_index("ix_case_disputed", table_name="collection_case")
    op.drop_index("ix_case_burn", table_name="collection_case")
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("weights")
        batch_op.drop_column("segment")
