"""Point the registry at a database for a test, and empty it between tests."""

from __future__ import annotations

import os

from sqlalchemy import text

from trustreg.config import reset_settings
from trustreg.db.engine import dispose_engine, get_engine
from trustreg.db.migrate import alembic_config, migration_connection, upgrade_to_head
from trustreg.db.models import Base
from trustreg.storage import reset_blob_store


def use_database(url: str) -> None:
    """Switch the process to `url` (settings, engine and blob store are rebuilt)."""
    os.environ["DATABASE_URL"] = url
    reset_settings()
    reset_blob_store()
    dispose_engine()


def migrate() -> None:
    """Bring the current database to head."""
    upgrade_to_head()


def migrate_to(revision: str) -> None:
    """Move the current database to `revision` with Alembic alone ("head" upgrades, anything
    else downgrades), as an older or newer schema would be."""
    from alembic import command

    cfg = alembic_config()
    with migration_connection() as conn:
        cfg.attributes["connection"] = conn
        if revision == "head":
            command.upgrade(cfg, revision)
        else:
            command.downgrade(cfg, revision)


def empty_tables() -> None:
    """Delete every row, children first, so each test starts from an empty registry."""
    engine = get_engine()
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - our own table names
