"""Stories written by facilitators in the app (authored_stories).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "authored_stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.String(length=80), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("valid", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["accounts.id"], name=op.f("fk_authored_stories_author_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authored_stories")),
        sa.UniqueConstraint("story_id", name=op.f("uq_authored_stories_story_id")),
    )
    op.create_index(op.f("ix_authored_stories_author_id"), "authored_stories", ["author_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_authored_stories_author_id"), table_name="authored_stories")
    op.drop_table("authored_stories")
