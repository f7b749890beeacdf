"""Artifacts say in a column whether their lineage is unreadable

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 05:50:00

Every lineage call first asks whether both of the model's lineage sources (the card's header and
config.json) were malformed. Read out of the details document, that detoasted the whole
document, kilobytes of rating evidence, for two booleans: 32 us of a 160-us statement, measured
on an ingested model. The answer is now a column, kept beside the details it derives from
(`models.Artifact` sets it whenever details are set) and filled from them here, with the same
rule: both flags are JSON `true`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# One rule on both databases, and the model's: a flag counts only as the JSON value true (not
# 1, not "true"), so a stray value can neither set the column nor fail a cast mid-upgrade.
BACKFILL = {
    "postgresql": "UPDATE artifacts SET lineage_unreadable = true"
    """ WHERE details @> '{"card_malformed": true, "config_malformed": true}'::jsonb""",
    "sqlite": "UPDATE artifacts SET lineage_unreadable = 1"
    " WHERE json_type(details, '$.card_malformed') = 'true'"
    " AND json_type(details, '$.config_malformed') = 'true'",
}


def upgrade() -> None:
    # A plain ADD COLUMN on both databases: no table rebuild on SQLite, no rewrite on
    # PostgreSQL (a constant default). The backfill scans `artifacts` under the ALTER's lock.
    op.add_column(
        "artifacts",
        sa.Column("lineage_unreadable", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.execute(sa.text(BACKFILL[op.get_bind().dialect.name]))


def downgrade() -> None:
    with op.batch_alter_table("artifacts", schema=None) as batch_op:
        batch_op.drop_column("lineage_unreadable")
