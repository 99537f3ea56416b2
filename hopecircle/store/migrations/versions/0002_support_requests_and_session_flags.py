"""Support requests ("talk after the group"), projector join toggle, resource push, purge marker.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('support_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=80), server_default='', nullable=False),
    sa.Column('created_minute', sa.DateTime(), nullable=False),
    sa.Column('acknowledged', sa.Boolean(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_support_requests_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_support_requests_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_requests')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_support_requests_participant_id'))
    )
    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_requests_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_join', sa.Boolean(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('resources_push', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('purged_at')
        batch_op.drop_column('resources_push')
        batch_op.drop_column('show_join')

    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_requests_session_id'))

    op.drop_table('support_requests')
