"""cohort links extended: a date until which a cohort's links open pages, whatever their age

A link stops opening pages `token_max_age_days` after it was signed. A facilitator whose
cohort runs longer extends the cohort's links (`innokraft links extend --cohort C --until D`)
instead of sending everyone new ones; the links already in the learners' inboxes keep working.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cohorts") as batch:
        batch.add_column(sa.Column("links_valid_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cohorts") as batch:
        batch.drop_column("links_valid_until")
