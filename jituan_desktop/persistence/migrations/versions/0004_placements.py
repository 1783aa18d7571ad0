"""follow-along placements and their approval steps

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'placements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('teacher_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('home_school_id', sa.Integer(), nullable=False),
        sa.Column('host_school_id', sa.Integer(), nullable=False),
        sa.Column('mentor', sa.String(length=50), nullable=False),
        sa.Column('purpose', sa.Text(), nullable=False),
        sa.Column('applied_on', sa.Date(), nullable=False),
        sa.Column('planned_start', sa.Date(), nullable=False),
        sa.Column('planned_end', sa.Date(), nullable=False),
        sa.Column('actual_start', sa.Date(), nullable=True),
        sa.Column('actual_end', sa.Date(), nullable=True),
        sa.Column('returned_on', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('ethics_violation_sanctioned', sa.Boolean(), nullable=False),
        sa.Column('refuses_assignment', sa.Boolean(), nullable=False),
        sa.Column('frequent_sick_leave_cannot_full_load', sa.Boolean(), nullable=False),
        sa.Column('justification', sa.Text(), nullable=False),
        sa.Column('flags', sa.String(length=100), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['group_id'], ['edu_groups.id'],
                                name=op.f('fk_placements_group_id_edu_groups')),
        sa.ForeignKeyConstraint(['home_school_id'], ['schools.id'],
                                name=op.f('fk_placements_home_school_id_schools')),
        sa.ForeignKeyConstraint(['host_school_id'], ['schools.id'],
                                name=op.f('fk_placements_host_school_id_schools')),
        sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'],
                                name=op.f('fk_placements_teacher_id_teachers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_placements')),
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placements_deleted_at'), ['deleted_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_placements_group_id'), ['group_id'], unique=False)
        batch_op.create_index('ix_placements_group_status', ['group_id', 'status'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_placements_home_school_id'), ['home_school_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_placements_host_school_id'), ['host_school_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_placements_planned_start'), ['planned_start'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_placements_teacher_id'), ['teacher_id'],
                              unique=False)
    op.create_table(
        'placement_steps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('placement_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('actor', sa.String(length=100), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['placement_id'], ['placements.id'],
                                name=op.f('fk_placement_steps_placement_id_placements')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_steps')),
    )
    with op.batch_alter_table('placement_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_steps_placement_id'), ['placement_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('placement_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_steps_placement_id'))
    op.drop_table('placement_steps')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        for name in ('ix_placements_teacher_id', 'ix_placements_planned_start',
                     'ix_placements_host_school_id', 'ix_placements_home_school_id',
                     'ix_placements_group_id', 'ix_placements_deleted_at'):
            batch_op.drop_index(batch_op.f(name))
        batch_op.drop_index('ix_placements_group_status')
    op.drop_table('placements')
