"""submissions: reflections handed in to nbgrader

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("learner_id", sa.String(63), sa.ForeignKey("learners.id"), nullable=False),
        sa.Column("module_id", sa.String(63), nullable=False),
        sa.Column("folder", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.String(64), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_submissions_learner_id", "submissions", ["learner_id"])


def downgrade() -> None:
    op.drop_table("submissions")
