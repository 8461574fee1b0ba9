"""initial: cohorts, learners, answers, events, revocations

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("id", sa.String(63), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "learners",
        sa.Column("id", sa.String(63), primary_key=True),
        sa.Column("cohort_id", sa.String(63), sa.ForeignKey("cohorts.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(8), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_learners_cohort_id", "learners", ["cohort_id"])
    op.create_table(
        "answers",
        sa.Column("learner_id", sa.String(63), sa.ForeignKey("learners.id"), primary_key=True),
        sa.Column("exercise_id", sa.String(100), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("learner_id", sa.String(63), sa.ForeignKey("learners.id"), nullable=False),
        sa.Column("page", sa.String(63), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_events_learner_id", "events", ["learner_id"])
    op.create_table(
        "revocations",
        sa.Column("learner_id", sa.String(63), primary_key=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("revocations", "events", "answers", "learners", "cohorts"):
        op.drop_table(table)
