"""console counts: cases worked per agent and day kept in stat_agent_day; the disputed-case
index covers next_action_at

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A new (agent, day, case) row in stat_agent_case is one more case worked that day; the
# currency is the case's, as in stat_agent_day's key.
TRIGGERS = [
    """CREATE TRIGGER stat_agent_case_insert AFTER INSERT ON stat_agent_case
BEGIN
  UPDATE stat_agent_day SET cases = cases + 1
  WHERE author_id = NEW.author_id AND day = NEW.day
    AND currency = (SELECT currency FROM collection_case WHERE id = NEW.case_id);
END""",
    """CREATE TRIGGER stat_agent_case_delete AFTER DELETE ON stat_agent_case
BEGIN
  UPDATE stat_agent_day SET cases = cases - 1
  WHERE author_id = OLD.author_id AND day = OLD.day
    AND currency = (SELECT currency FROM collection_case WHERE id = OLD.case_id);
END""",
]

BACKFILL = """UPDATE stat_agent_day SET cases = (
  SELECT count(*) FROM stat_agent_case s JOIN collection_case c ON c.id = s.case_id
  WHERE s.author_id = stat_agent_day.author_id AND s.day = stat_agent_day.day
    AND c.currency = stat_agent_day.currency)"""


def upgrade() -> None:
    with op.batch_alter_table("stat_agent_day", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cases", sa.Integer(), nullable=False,
                                      server_default="0"))
    op.drop_index("ix_case_disputed", table_name="collection_case")
    op.create_index("ix_case_disputed", "collection_case", ["campaign_id", "next_action_at"],
                    unique=False,
                    sqlite_where=sa.text("status = 'open' AND disputed_minor > 0"),
                    postgresql_where=sa.text("status = 'open' AND disputed_minor > 0"))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(BACKFILL)
        for statement in TRIGGERS:
            op.execute(statement)
        bind = op.get_bind()
        if bind.execute(sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first():
            op.execute("ANALYZE ix_case_disputed")  # rebuilt: see 0004's analyze_new_indexes


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS stat_agent_case_insert")
        op.execute("DROP TRIGGER IF EXISTS stat_agent_case_delete")
    op.drop_index("ix_case_disputed", table_name="collection_case")
    op.create_index("ix_case_disputed", "collection_case", ["campaign_id"], unique=False,
                    sqlite_where=sa.text("status = 'open' AND disputed_minor > 0"),
                    postgresql_where=sa.text("status = 'open' AND disputed_minor > 0"))
    with op.batch_alter_table("stat_agent_day", schema=None) as batch_op:
        batch_op.drop_column("cases")
