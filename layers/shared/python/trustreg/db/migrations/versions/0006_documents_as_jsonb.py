"""Artifact details and ratings as jsonb on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 02:20:00

The lineage, audit and rate reads each pick one or two keys out of these documents. Out of a
`json` value PostgreSQL extracts a key by parsing the whole text (an ingested model's details
are ~16 KB: +87 us for two keys, measured); out of `jsonb` by a lookup (+14 us). Values keep
their meaning; jsonb drops whitespace and duplicate keys and orders keys its own way, which no
reader relies on. SQLite keeps its JSON text.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

DOCUMENTS = (("artifacts", "details"), ("artifact_scores", "rating"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in DOCUMENTS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE jsonb USING {column}::jsonb")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in DOCUMENTS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE json USING {column}::json")
