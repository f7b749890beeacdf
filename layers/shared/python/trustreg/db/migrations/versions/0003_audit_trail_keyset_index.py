"""Audit trail pages: index by (artifact_id, id); DOWNLOAD entries point at their attempt

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 19:30:00

GET .../audit pages through an artifact's trail in the order entries were recorded (by id);
the old (artifact_id, at) index would leave PostgreSQL sorting the whole trail for each page.
A DOWNLOAD entry now names the download-history row written with it, so a sensitive model's
audit shows each attempt's own outcome even when attempts interleave (entries written before
this migration have no link and show no outcome).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("artifact_events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_artifact")
        batch_op.add_column(sa.Column("download_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_events_download", "download_history", ["download_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("ix_events_artifact_id", ["artifact_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("artifact_events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_artifact_id")
        batch_op.drop_constraint("fk_events_download", type_="foreignkey")
        batch_op.drop_column("download_id")
        batch_op.create_index("ix_events_artifact", ["artifact_id", "at"], unique=False)
