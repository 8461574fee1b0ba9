"""link generations: revocation that survives erase, as a tombstone without personal data

A learner's links carry a generation; revoking or erasing the learner raises it, and only
links of the current generation open pages. The generation is kept under a salted hash of
the learner id, so it outlives `innokraft erase` (a new learner given the same id next term
cannot be reached through an old link) without keeping the id itself.

Revocations recorded before this migration become generation 1 for those learners: every
link without a generation (all links issued so far) counts as generation 0 and is refused
for them, including links reissued after the revocation; `innokraft links` issues new ones.
Downgrading cannot recover which ids the hashes belong to: it leaves `revocations` empty.

Revision ID: 0005
Revises: 0004
"""

import hashlib
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    meta = op.create_table(
        "store_meta",
        sa.Column("name", sa.String(63), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    generations = op.create_table(
        "link_generations",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("generation", sa.Integer(), nullable=False),
    )
    salt = secrets.token_hex(32)
    op.bulk_insert(meta, [{"name": "link_salt", "value": salt}])
    revoked = op.get_bind().execute(sa.text("SELECT learner_id FROM revocations")).scalars().all()
    op.bulk_insert(generations, [
        {"key": hashlib.sha256(f"{salt}:{learner_id}".encode()).hexdigest(), "generation": 1}
        for learner_id in revoked
    ])
    op.drop_table("revocations")


def downgrade() -> None:
    op.create_table(
        "revocations",
        sa.Column("learner_id", sa.String(63), primary_key=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.drop_table("link_generations")
    op.drop_table("store_meta")
