"""console counts: a case that changes campaign takes its worked days along

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The console counts a worked case in the campaign it is in now, as the base tables do. The
# days are the case's activity days (ix_activity_case_time), each row then found by its key:
# no scan of stat_case_day, and no new index to keep up.
TRIGGER = """CREATE TRIGGER stat_case_campaign AFTER UPDATE OF campaign_id ON collection_case
WHEN NEW.campaign_id IS NOT OLD.campaign_id
BEGIN
  UPDATE stat_case_day SET campaign_id = NEW.campaign_id
  WHERE case_id = NEW.id
    AND day IN (SELECT date(client_time) FROM activity WHERE case_id = NEW.id);
END"""

BACKFILL = """UPDATE stat_case_day SET campaign_id = (
  SELECT campaign_id FROM collection_case WHERE id = stat_case_day.case_id)
WHERE campaign_id IS NOT (SELECT campaign_id FROM collection_case
                          WHERE id = stat_case_day.case_id)"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(BACKFILL)
        op.execute(TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS stat_case_campaign")
