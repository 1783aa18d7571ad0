"""cooperation agreements and signing identities

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _agreements_upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("profile_id", sa.String(length=40), nullable=False),
        sa.Column("model_label", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("funding_fen", sa.Integer(), nullable=False),
        sa.Column("funding_text", sa.Text(), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("filing_authority", sa.String(length=100), nullable=False),
        sa.Column("signing_place", sa.String(length=100), nullable=False),
        sa.Column("signing_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["edu_groups.id"],
                                name=op.f("fk_agreements_group_id_edu_groups")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    )
    op.create_index(op.f("ix_agreements_group_id"), "agreements", ["group_id"])
    op.create_index(op.f("ix_agreements_deleted_at"), "agreements", ["deleted_at"])
    op.create_table(
        "agreement_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("signing_order", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=10), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("representative", sa.String(length=50), nullable=False),
        sa.Column("representative_title", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], ondelete="CASCADE",
                                name=op.f("fk_agreement_parties_agreement_id_agreements")),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"],
                                name=op.f("fk_agreement_parties_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_parties")),
    )
    op.create_index(op.f("ix_agreement_parties_agreement_id"), "agreement_parties",
                    ["agreement_id"])
    op.create_index(op.f("ix_agreement_parties_school_id"), "agreement_parties", ["school_id"])
    op.create_table(
        "agreement_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("baseline", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=40), nullable=False),
        sa.Column("due", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], ondelete="CASCADE",
                                name=op.f("fk_agreement_indicators_agreement_id_agreements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_indicators")),
    )
    op.create_index(op.f("ix_agreement_indicators_agreement_id"), "agreement_indicators",
                    ["agreement_id"])
    op.create_table(
        "agreement_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("heading", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], ondelete="CASCADE",
                                name=op.f("fk_agreement_tasks_agreement_id_agreements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_tasks")),
    )
    op.create_index(op.f("ix_agreement_tasks_agreement_id"), "agreement_tasks",
                    ["agreement_id"])


def _agreements_downgrade() -> None:
    for table in ("agreement_tasks", "agreement_indicators", "agreement_parties"):
        op.drop_index(op.f(f"ix_{table}_agreement_id"), table_name=table)
        if table == "agreement_parties":
            op.drop_index(op.f("ix_agreement_parties_school_id"), table_name=table)
        op.drop_table(table)
    op.drop_index(op.f("ix_agreements_deleted_at"), table_name="agreements")
    op.drop_index(op.f("ix_agreements_group_id"), table_name="agreements")
    op.drop_table("agreements")


# ---- signing identities (signing side) ------------------------------------------------------


def _identities_upgrade() -> None:
    op.create_table(
        "signing_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("valid_to", sa.DateTime(), nullable=False),
        sa.Column("p12_file", sa.String(length=100), nullable=True),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"],
                                name=op.f("fk_signing_identities_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_identities")),
    )
    for column in ("school_id", "fingerprint", "deleted_at"):
        op.create_index(op.f(f"ix_signing_identities_{column}"), "signing_identities", [column])


def _identities_downgrade() -> None:
    for column in ("school_id", "fingerprint", "deleted_at"):
        op.drop_index(op.f(f"ix_signing_identities_{column}"), table_name="signing_identities")
    op.drop_table("signing_identities")

# ---- end of the signing side ----------------------------------------------------------------


def upgrade() -> None:
    _agreements_upgrade()
    _identities_upgrade()


def downgrade() -> None:
    _identities_downgrade()
    _agreements_downgrade()
