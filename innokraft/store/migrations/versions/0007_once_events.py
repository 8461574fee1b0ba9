"""Once-events unique: a part done or a module completed is recorded once per learner, page and
detail, by the database (INSERT … ON CONFLICT DO NOTHING) instead of a check-then-insert that two
pages could both pass. Duplicates such a race left are removed first (the earliest is kept).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ONCE = "kind IN ('exercise_done', 'module_completed')"


def upgrade() -> None:
    op.execute(f"""DELETE FROM events WHERE {ONCE} AND id NOT IN (
        SELECT MIN(id) FROM events WHERE {ONCE} GROUP BY learner_id, page, kind, detail)""")
    op.create_index("uq_events_once", "events", ["learner_id", "page", "kind", "detail"], unique=True,
                    sqlite_where=sa.text(ONCE), postgresql_where=sa.text(ONCE))


def downgrade() -> None:
    op.drop_index("uq_events_once", "events")
