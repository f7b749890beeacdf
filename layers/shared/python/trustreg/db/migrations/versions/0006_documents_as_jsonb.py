"""Artifact details and ratings as jsonb on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 02:20:00

The lineage, audit and rate reads each pick one or two keys out of these documents. Out of a
`json` value PostgreSQL extracts a key by parsing the whole text (an ingested model's details
are ~16 KB: +87 us for two keys, measured); out of `jsonb` by a lookup (+14 us). Values keep
their meaning; jsonb drops whitespace and duplicate keys and orders keys its own way, which no
reader relies on. SQLite keeps its JSON text.

jsonb also refuses the NUL character and lone surrogates, which json kept: documents holding
them are rewritten first, those characters as U+FFFD (`trustreg.db.documents`, which writes
every document that way from now on), or the ALTER would fail on them.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from trustreg.db import documents

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

DOCUMENTS = (("artifacts", "details", "seq"), ("artifact_scores", "rating", "id"))


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    # Candidates: json text holding the escape of NUL or of any surrogate (emoji too); each is
    # decoded and rewritten only if writing it now would change it.
    candidate = r"\\u(0000|[dD][89a-fA-F])"
    for table, column, key in DOCUMENTS:
        t = sa.table(table, sa.column(key), sa.column(column, sa.Text))
        as_text = sa.cast(t.c[column], sa.Text)
        keys = bind.execute(sa.select(t.c[key]).where(as_text.regexp_match(candidate))).scalars()
        for row_key in keys.all():  # keys only: a big table's documents never sit in memory
            text = bind.execute(sa.select(as_text).where(t.c[key] == row_key)).scalar_one()
            document = json.loads(text)
            if documents.needs_cleaning(document):
                doc = sa.cast(sa.literal(documents.dumps(document)), sa.JSON)
                bind.execute(sa.update(t).where(t.c[key] == row_key).values({column: doc}))
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE jsonb USING {column}::jsonb")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, _key in DOCUMENTS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE json USING {column}::json")
