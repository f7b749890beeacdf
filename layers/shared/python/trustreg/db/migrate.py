"""Run the Alembic migrations programmatically (make migrate, the local server, the deploy step)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from trustreg.db.engine import get_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Created by migrations on PostgreSQL only (the pg_trgm GIN index for the regex prefilter, 0005;
# 0002's per-column ones before it); not on the models, so comparing models with a migrated
# database must skip them.
POSTGRES_ONLY_INDEXES = frozenset(
    {"ix_artifacts_text_trgm", "ix_artifacts_name_trgm", "ix_artifacts_readme_trgm"}
)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic filter: leave the PostgreSQL-only indexes out of model comparisons."""
    return not (type_ == "index" and reflected and name in POSTGRES_ONLY_INDEXES)


def alembic_config() -> Config:
    """An Alembic config pointing at our migrations; no alembic.ini needed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@contextmanager
def migration_connection() -> Iterator[Connection]:
    """A connection, in a transaction, for Alembic to migrate on.

    On SQLite its foreign keys are off meanwhile. Batch mode rebuilds a table by copying it and
    dropping the old one, and with foreign keys on, that drop deletes (ON DELETE CASCADE) every
    row pointing at the table: a review of 0007 saw an upgrade delete every rating, lineage edge
    and audit entry. The keys are checked before the transaction commits instead.
    """
    with get_engine().connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # ignored inside a transaction
            conn.commit()
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"the migration left {len(broken)} dangling rows")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def upgrade_to_head() -> None:
    """Bring the configured database to the newest schema, with the kept reads' functions of
    this code installed (PostgreSQL; `db/stored.py`)."""
    from trustreg.db import stored

    cfg = alembic_config()
    with migration_connection() as conn:
        cfg.attributes["connection"] = conn
        newer = _revisions_unknown_here(conn, cfg)
        if newer:
            # Code older than the schema: an older release deployed again, or a rollback that
            # runs an older migration step. Migrations leave older code working on the newer
            # schema (docs/deploy.md), so it stays as it is; this code could not downgrade it.
            log.warning(
                "database schema (revision %s) is newer than this code; left as it is",
                ", ".join(sorted(newer)),
            )
        else:
            command.upgrade(cfg, "head")
        # Not an Alembic revision: they follow the code that builds the reads, so they are
        # installed again on every migration run, as repeatable migrations are elsewhere.
        stored.install(conn)
    stored.forget_missing()


def _revisions_unknown_here(conn: Connection, cfg: Config) -> set[str]:
    """The database's current revisions that none of this code's migrations is."""
    current = MigrationContext.configure(conn).get_current_heads()
    known = {script.revision for script in ScriptDirectory.from_config(cfg).walk_revisions()}
    return set(current) - known


def main() -> None:
    """Entry point of `python -m trustreg.db.migrate`: migrate, then seed the default admin."""
    from trustreg.db.seed import ensure_default_admin

    upgrade_to_head()
    ensure_default_admin()
    print("database migrated to head; default admin present")


if __name__ == "__main__":
    main()
