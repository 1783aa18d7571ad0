"""shared courses and cross-school enrolment

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shared_courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('semester_id', sa.Integer(), nullable=False),
    sa.Column('provider_school_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('course_type', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=30), nullable=False),
    sa.Column('delivery', sa.String(length=20), nullable=False),
    sa.Column('schedule', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['edu_groups.id'],
                            name=op.f('fk_shared_courses_group_id_edu_groups')),
    sa.ForeignKeyConstraint(['provider_school_id'], ['schools.id'],
                            name=op.f('fk_shared_courses_provider_school_id_schools')),
    sa.ForeignKeyConstraint(['semester_id'], ['semesters.id'],
                            name=op.f('fk_shared_courses_semester_id_semesters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_courses'))
    )
    with op.batch_alter_table('shared_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shared_courses_course_type'), ['course_type'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_shared_courses_deleted_at'), ['deleted_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_shared_courses_group_id'), ['group_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_shared_courses_provider_school_id'),
                              ['provider_school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shared_courses_semester_id'), ['semester_id'],
                              unique=False)

    op.create_table('shared_course_teachers',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['shared_courses.id'],
                            name=op.f('fk_shared_course_teachers_course_id_shared_courses'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'],
                            name=op.f('fk_shared_course_teachers_teacher_id_teachers')),
    sa.PrimaryKeyConstraint('course_id', 'teacher_id', name=op.f('pk_shared_course_teachers'))
    )
    with op.batch_alter_table('shared_course_teachers', schema=None) as batch_op:
        batch_op.create_index('ix_shared_course_teachers_teacher_id', ['teacher_id'],
                              unique=False)

    op.create_table('shared_course_enrolments',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('students', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['shared_courses.id'],
                            name=op.f('fk_shared_course_enrolments_course_id_shared_courses'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                            name=op.f('fk_shared_course_enrolments_school_id_schools')),
    sa.PrimaryKeyConstraint('course_id', 'school_id', name=op.f('pk_shared_course_enrolments'))
    )
    with op.batch_alter_table('shared_course_enrolments', schema=None) as batch_op:
        batch_op.create_index('ix_shared_course_enrolments_school_id', ['school_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('shared_course_enrolments', schema=None) as batch_op:
        batch_op.drop_index('ix_shared_course_enrolments_school_id')
    op.drop_table('shared_course_enrolments')
    with op.batch_alter_table('shared_course_teachers', schema=None) as batch_op:
        batch_op.drop_index('ix_shared_course_teachers_teacher_id')
    op.drop_table('shared_course_teachers')
    with op.batch_alter_table('shared_courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shared_courses_semester_id'))
        batch_op.drop_index(batch_op.f('ix_shared_courses_provider_school_id'))
        batch_op.drop_index(batch_op.f('ix_shared_courses_group_id'))
        batch_op.drop_index(batch_op.f('ix_shared_courses_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_shared_courses_course_type'))
    op.drop_table('shared_courses')
