"""One trigram index over an artifact's name and card, maintained on every write

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 02:08:00

The regex search prefilters with `LIKE '%literal%'` over names and cards. Two findings, both
measured on 1,000 artifacts (docs/performance.md, fix 11):
- PostgreSQL costed the OR of two GIN scans (0002's per-column indexes) above a sequential scan
  of the table, so it read every card (0.8 ms) for a search the indexes answer in 0.05 ms. One
  index over `name || newline || card` is costed as one GIN scan, and the planner picks it.
- GIN's fast-update list keeps new entries unsorted until a vacuum; until then every search
  reads the whole list. Searches outnumber uploads here, so each write updates the index itself.
- Statistics on the indexed text made planning cost 0.1 ms a search: the planner tried the
  pattern on a sample of whole cards to guess how many match. Without them (target 0, set
  before any ANALYZE collects them) it plans in 0.025 ms and still picks the index.
PostgreSQL only, like 0002. The expression must stay the one `artifact_statements.searchable`
builds, or the planner will not match the index.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD = {"ix_artifacts_name_trgm": "name", "ix_artifacts_readme_trgm": "readme"}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE INDEX ix_artifacts_text_trgm ON artifacts USING gin "
        "((name || E'\\n' || readme) gin_trgm_ops) WITH (fastupdate = off)"
    )
    op.execute("ALTER INDEX ix_artifacts_text_trgm ALTER COLUMN 1 SET STATISTICS 0")
    for index in OLD:
        op.drop_index(index, table_name="artifacts")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index, column in OLD.items():
        op.create_index(
            index,
            "artifacts",
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )
    op.drop_index("ix_artifacts_text_trgm", table_name="artifacts")
