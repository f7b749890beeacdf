"""Alembic environment: runs on the connection handed over by trustreg.db.migrate."""

from __future__ import annotations

from alembic import context

from trustreg.db.migrate import include_object
from trustreg.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when alembic's CLI is used directly
    from trustreg.db.engine import get_engine

    connection = get_engine().connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
