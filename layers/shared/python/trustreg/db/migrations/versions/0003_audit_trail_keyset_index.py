"""Index the audit trail by (artifact_id, id) for keyset pages

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 19:30:00

GET .../audit pages through an artifact's trail in the order entries were recorded (by id);
the old (artifact_id, at) index would leave PostgreSQL sorting the whole trail for each page.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_events_artifact", table_name="artifact_events")
    op.create_index("ix_events_artifact_id", "artifact_events", ["artifact_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_events_artifact_id", table_name="artifact_events")
    op.create_index("ix_events_artifact", "artifact_events", ["artifact_id", "at"])
