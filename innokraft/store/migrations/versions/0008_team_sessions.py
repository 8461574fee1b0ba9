"""team sessions: a leader's team link and its members' anonymous answers (issue 24)

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("learner_id", sa.String(63), sa.ForeignKey("learners.id"), nullable=False),
        sa.Column("exercise", sa.String(100), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
    )
    op.create_index("ix_team_sessions_leader", "team_sessions", ["learner_id", "exercise", "opened_at"])
    op.create_table(
        "team_answers",
        sa.Column("session_id", sa.String(32), sa.ForeignKey("team_sessions.id"), primary_key=True),
        sa.Column("device", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("team_answers")
    op.drop_index("ix_team_sessions_leader", "team_sessions")
    op.drop_table("team_sessions")
