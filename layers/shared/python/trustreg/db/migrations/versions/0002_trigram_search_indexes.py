"""pg_trgm GIN indexes on artifact names and cards for the regex search's LIKE prefilter

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 17:40:00

PostgreSQL only: SQLite has no trigram indexes, so there this migration does nothing. The
indexes are not declared on the models (they would mean nothing on SQLite); the model/migration
comparison skips them by name (trustreg.db.migrate.POSTGRES_ONLY_INDEXES).
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = {"ix_artifacts_name_trgm": "name", "ix_artifacts_readme_trgm": "readme"}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # A trusted extension since PostgreSQL 13: the database owner may create it (RDS allows it).
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, column in COLUMNS.items():
        op.create_index(
            index,
            "artifacts",
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in COLUMNS:
        op.drop_index(index, table_name="artifacts")
