"""joint teaching-research sessions, attendance and attachments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('research_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('host_school_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('lead_teacher', sa.String(length=50), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['edu_groups.id'],
                            name=op.f('fk_research_sessions_group_id_edu_groups')),
    sa.ForeignKeyConstraint(['host_school_id'], ['schools.id'],
                            name=op.f('fk_research_sessions_host_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_sessions'))
    )
    with op.batch_alter_table('research_sessions', schema=None) as batch_op:
        for column in ('deleted_at', 'group_id', 'held_on', 'host_school_id', 'kind',
                       'subject'):
            batch_op.create_index(batch_op.f(f'ix_research_sessions_{column}'), [column],
                                  unique=False)

    op.create_table('research_session_schools',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                            name=op.f('fk_research_session_schools_school_id_schools')),
    sa.ForeignKeyConstraint(['session_id'], ['research_sessions.id'],
                            name=op.f('fk_research_session_schools_session_id_research_sessions'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'school_id', name=op.f('pk_research_session_schools'))
    )
    with op.batch_alter_table('research_session_schools', schema=None) as batch_op:
        batch_op.create_index('ix_research_session_schools_school_id', ['school_id'],
                              unique=False)

    op.create_table('research_attendance',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('remark', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['research_sessions.id'],
                            name=op.f('fk_research_attendance_session_id_research_sessions'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'],
                            name=op.f('fk_research_attendance_teacher_id_teachers')),
    sa.PrimaryKeyConstraint('session_id', 'teacher_id', name=op.f('pk_research_attendance'))
    )
    with op.batch_alter_table('research_attendance', schema=None) as batch_op:
        batch_op.create_index('ix_research_attendance_teacher_id', ['teacher_id'], unique=False)

    op.create_table('research_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['research_sessions.id'],
                            name=op.f('fk_research_attachments_session_id_research_sessions'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_attachments')),
    sa.UniqueConstraint('session_id', 'sha256', name='uq_research_attachments_session_hash')
    )
    with op.batch_alter_table('research_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_research_attachments_session_id'), ['session_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_research_attachments_sha256'), ['sha256'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('research_attachments')
    op.drop_table('research_attendance')
    op.drop_table('research_session_schools')
    op.drop_table('research_sessions')
