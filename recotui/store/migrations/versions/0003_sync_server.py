"""sync server

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 12:06:27.757333
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# SQLite hands out ids only for an INTEGER PRIMARY KEY (the rowid).
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("sync_change",
    sa.Column("version", BIG_ID, nullable=False),
    sa.Column("case_id", sa.Uuid(), nullable=False),
    sa.Column("previous_agent_id", sa.Uuid(), nullable=True),
    sa.PrimaryKeyConstraint("version")
    )
    with op.batch_alter_table("sync_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_change_case_id"), ["case_id"], unique=False)

    op.create_table("api_token",
    sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column("user_id", sa.Uuid(), nullable=False),
    sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(["user_id"], ["user.id"], ),
    sa.PrimaryKeyConstraint("token_hash")
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table("audit_entry",
    sa.Column("id", BIG_ID, nullable=False),
    sa.Column("client_id", sa.Uuid(), nullable=False),
    sa.Column("mutation_id", sa.BigInteger(), nullable=False),
    sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column("user_id", sa.Uuid(), nullable=False),
    sa.Column("case_id", sa.Uuid(), nullable=True),
    sa.Column("client_time", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column("server_time", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column("result", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(["user_id"], ["user.id"], ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("client_id", "mutation_id")
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_case_id"), ["case_id"], unique=False)

    op.create_table("campaign_member",
    sa.Column("campaign_id", sa.Uuid(), nullable=False),
    sa.Column("user_id", sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ),
    sa.ForeignKeyConstraint(["user_id"], ["user.id"], ),
    sa.PrimaryKeyConstraint("campaign_id", "user_id")
    )
    with op.batch_alter_table("campaign_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_member_user_id"), ["user_id"], unique=False)

    op.create_table("sync_client",
    sa.Column("client_id", sa.Uuid(), nullable=False),
    sa.Column("user_id", sa.Uuid(), nullable=False),
    sa.Column("last_mutation_id", sa.BigInteger(), nullable=False),
    sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(["user_id"], ["user.id"], ),
    sa.PrimaryKeyConstraint("client_id")
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("result", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=""))



def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("result")

    op.drop_table("sync_client")
    with op.batch_alter_table("campaign_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_member_user_id"))

    op.drop_table("campaign_member")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_case_id"))

    op.drop_table("audit_entry")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))

    op.drop_table("api_token")
    with op.batch_alter_table("sync_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_change_case_id"))

    op.drop_table("sync_change")
