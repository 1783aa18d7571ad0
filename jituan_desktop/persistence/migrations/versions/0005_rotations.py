"""teacher rotations

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("from_school_id", sa.Integer(), nullable=False),
        sa.Column("to_school_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("planned_end", sa.Date(), nullable=False),
        sa.Column("actual_end", sa.Date(), nullable=True),
        sa.Column("is_backbone", sa.Boolean(), nullable=False),
        sa.Column("team_name", sa.String(length=50), nullable=False),
        sa.Column("appraisal", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["edu_groups.id"],
                                name="fk_rotations_group_id_edu_groups"),
        sa.ForeignKeyConstraint(["teacher_id"], ["teachers.id"],
                                name="fk_rotations_teacher_id_teachers"),
        sa.ForeignKeyConstraint(["from_school_id"], ["schools.id"],
                                name="fk_rotations_from_school_id_schools"),
        sa.ForeignKeyConstraint(["to_school_id"], ["schools.id"],
                                name="fk_rotations_to_school_id_schools"),
        sa.PrimaryKeyConstraint("id", name="pk_rotations"),
    )
    for column in ("group_id", "teacher_id", "from_school_id", "to_school_id", "form",
                   "start_on", "deleted_at"):
        op.create_index(f"ix_rotations_{column}", "rotations", [column])
    op.create_table(
        "rotation_eligible_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["edu_groups.id"],
                                name="fk_rotation_eligible_counts_group_id_edu_groups"),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"],
                                name="fk_rotation_eligible_counts_school_id_schools"),
        sa.PrimaryKeyConstraint("id", name="pk_rotation_eligible_counts"),
        sa.UniqueConstraint("group_id", "school_id", "school_year",
                            name="uq_rotation_eligible_counts_group_school_year"),
    )
    op.create_index("ix_rotation_eligible_counts_group_id", "rotation_eligible_counts",
                    ["group_id"])


def downgrade() -> None:
    op.drop_index("ix_rotation_eligible_counts_group_id", "rotation_eligible_counts")
    op.drop_table("rotation_eligible_counts")
    for column in ("group_id", "teacher_id", "from_school_id", "to_school_id", "form",
                   "start_on", "deleted_at"):
        op.drop_index(f"ix_rotations_{column}", "rotations")
    op.drop_table("rotations")
