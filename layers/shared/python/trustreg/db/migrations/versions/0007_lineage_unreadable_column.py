"""Artifacts say in a column whether their lineage is unreadable

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 05:50:00

Every lineage call first asks whether both of the model's lineage sources (the card's header and
config.json) were malformed. Read out of the details document, that detoasted the whole
document, kilobytes of rating evidence, for two booleans: 32 us of a 160-us statement, measured
on an ingested model. The answer is now a column, kept beside the details it derives from
(`models.Artifact` sets it whenever details are set) and filled from them here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("artifacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lineage_unreadable", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    artifacts = sa.table(
        "artifacts", sa.column("details", sa.JSON()), sa.column("lineage_unreadable", sa.Boolean())
    )
    details = artifacts.c.details
    op.execute(
        artifacts.update()
        .where(
            details["card_malformed"].as_boolean().is_(True),
            details["config_malformed"].as_boolean().is_(True),
        )
        .values(lineage_unreadable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("artifacts", schema=None) as batch_op:
        batch_op.drop_column("lineage_unreadable")
