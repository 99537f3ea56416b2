"""The room: staff sign-ins that outlive a reload, co-facilitators, live prompts, session plans,
the projector's screen state, and who did what in the console.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Columns are only added (ALTER TABLE ... ADD COLUMN): on SQLite a constraint on an existing
    # table would rebuild it, and dropping the old copy would cascade to every row that refers to it.
    op.create_table(
        "staff_sign_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind in ('ticket', 'cookie')", name=op.f("ck_staff_sign_ins_kind")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_staff_sign_ins_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_sign_ins")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_sign_ins_token_hash")),
    )
    op.create_index(op.f("ix_staff_sign_ins_account_id"), "staff_sign_ins", ["account_id"], unique=False)
    op.create_table(
        "session_hosts",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_session_hosts_session_id_sessions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_session_hosts_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("session_id", "account_id", name=op.f("pk_session_hosts")),
    )
    op.create_index(op.f("ix_session_hosts_account_id"), "session_hosts", ["account_id"], unique=False)
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prompts", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("plan_id", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("screen", sa.String(length=8), server_default="room", nullable=False))
        batch_op.add_column(sa.Column("changed_by", sa.Integer(), nullable=True))
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moderated_by", sa.Integer(), nullable=True))
    with op.batch_alter_table("support_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acknowledged_by", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("support_requests", schema=None) as batch_op:
        batch_op.drop_column("acknowledged_by")
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_column("moderated_by")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("changed_by")
        batch_op.drop_column("screen")
        batch_op.drop_column("plan_id")
        batch_op.drop_column("prompts")
    op.drop_index(op.f("ix_session_hosts_account_id"), table_name="session_hosts")
    op.drop_table("session_hosts")
    op.drop_index(op.f("ix_staff_sign_ins_account_id"), table_name="staff_sign_ins")
    op.drop_table("staff_sign_ins")
