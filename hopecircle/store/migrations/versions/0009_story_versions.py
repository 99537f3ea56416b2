"""A story written in the app can have a version in another language: which story it is a version of.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("authored_stories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translation_of", sa.String(80), nullable=True))
        batch_op.create_index("ix_authored_stories_translation_of", ["translation_of"])


def downgrade() -> None:
    with op.batch_alter_table("authored_stories", schema=None) as batch_op:
        batch_op.drop_index("ix_authored_stories_translation_of")
        batch_op.drop_column("translation_of")
