"""Per-session aggregate snapshots (session_stats) for organization reports.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('session_stats',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('contributions', sa.Integer(), nullable=False),
    sa.Column('participants_with_goal', sa.Integer(), nullable=False),
    sa.Column('pre_n', sa.Integer(), nullable=False),
    sa.Column('pre_sum', sa.Integer(), nullable=False),
    sa.Column('post_n', sa.Integer(), nullable=False),
    sa.Column('post_sum', sa.Integer(), nullable=False),
    sa.Column('paired_n', sa.Integer(), nullable=False),
    sa.Column('change_sum', sa.Integer(), nullable=False),
    sa.Column('kinds', sa.Text(), nullable=False),
    sa.Column('pulse_pre', sa.Text(), nullable=False),
    sa.Column('pulse_post', sa.Text(), nullable=False),
    sa.Column('pulse_change', sa.Text(), nullable=False),
    sa.Column('dimensions', sa.Text(), nullable=False),
    sa.Column('checkin_words', sa.Text(), nullable=False),
    sa.Column('checkout_words', sa.Text(), nullable=False),
    sa.Column('themes', sa.Text(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_session_stats_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_session_stats'))
    )


def downgrade() -> None:
    op.drop_table('session_stats')
