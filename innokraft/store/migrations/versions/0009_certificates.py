"""certificates: each one issued, what it says and whether it was withdrawn (issue 26)

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("code", sa.String(24), primary_key=True),
        sa.Column("learner_id", sa.String(63), sa.ForeignKey("learners.id"), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("modules", sa.JSON(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("task_minutes", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.JSON(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_certificates_learner_id", "certificates", ["learner_id"])


def downgrade() -> None:
    op.drop_index("ix_certificates_learner_id", "certificates")
    op.drop_table("certificates")
