"""Artifacts keep their current rating's summary

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 12:05:00

GET .../rate answered from the newest rating document: a subquery sorting the model's ratings,
then the whole document decoded (every metric's reason and evidence, 6 kB as text on an ingested
model) for 24 numbers. The answer's parts (category, scores, failed metrics) are now written on
the artifact's row with each rating. Ratings stored before this revision are left as they are:
their summary is NULL, and a read of one takes the old way (the whole document) until the model
is rated again. Filling it here would need the rating code of today inside a migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, no default: no rewrite of the table on PostgreSQL, no rebuild on SQLite.
    document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")  # as models.Document
    op.add_column("artifacts", sa.Column("rating_summary", document, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("artifacts", schema=None) as batch_op:
        batch_op.drop_column("rating_summary")
