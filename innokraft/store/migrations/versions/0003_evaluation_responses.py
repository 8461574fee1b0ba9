"""evaluation_responses: pulse, self-assessments, delayed quizzes, follow-ups

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_responses",
        sa.Column("learner_id", sa.String(63), sa.ForeignKey("learners.id"), primary_key=True),
        sa.Column("instrument", sa.String(100), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("first_value", sa.JSON(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    # The dashboard and exports read events per page and kind for a whole cohort.
    op.create_index("ix_events_page_kind", "events", ["page", "kind"])


def downgrade() -> None:
    op.drop_index("ix_events_page_kind", "events")
    op.drop_table("evaluation_responses")
