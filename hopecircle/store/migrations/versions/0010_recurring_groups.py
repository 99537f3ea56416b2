"""Recurring groups, the follow-up of last time's next steps (counts only), and words passed on.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

def upgrade() -> None:
    # Columns are only added (ALTER TABLE ... ADD COLUMN): on SQLite a constraint on an existing
    # table would rebuild it, and dropping the old copy would cascade to every row that refers to it.
    op.create_table(
        "recurring_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("program", sa.String(80), server_default="", nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["accounts.id"], name=op.f("fk_recurring_groups_created_by_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_groups")),
        sa.UniqueConstraint("key", name=op.f("uq_recurring_groups_key")),
        sa.UniqueConstraint("name", "program", name=op.f("uq_recurring_groups_name_program")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_sessions_group_id"), "sessions", ["group_id"], unique=False)
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("followed_up", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pass_on", sa.Boolean(), server_default="0", nullable=False))
    op.create_table(
        "follow_ups",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(12), nullable=False),
        sa.Column("count", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "answer in ('did_it', 'partly', 'not_yet', 'rather_not')", name=op.f("ck_follow_ups_answer")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_follow_ups_session_id_sessions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("session_id", "answer", name=op.f("pk_follow_ups")),
    )
    op.create_table(
        "opening_cards",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_opening_cards_session_id_sessions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_opening_cards_contribution_id_contributions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "contribution_id", name=op.f("pk_opening_cards")),
    )
    op.create_index(op.f("ix_opening_cards_contribution_id"), "opening_cards", ["contribution_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_opening_cards_contribution_id"), table_name="opening_cards")
    op.drop_table("opening_cards")
    op.drop_table("follow_ups")
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_column("pass_on")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("followed_up")
    op.drop_index(op.f("ix_sessions_group_id"), table_name="sessions")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("group_id")
    op.drop_table("recurring_groups")
