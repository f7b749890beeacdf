"""Artifacts say in a column, set by the database, whether they are sensitive

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 15:50:00

Every audit call asks whether the model is sensitive (a download check program is stored in its
details), to know whether its uploader and admins see each download's outcome. Read out of the
details document, that detoasted the whole document, kilobytes of rating evidence, for one
boolean: 30 us of a 285-us call, measured in a loop on the bench database.

The answer is now a column that a trigger sets from the details on every write of them,
whatever code writes them: the release running before this revision included, which attaches
and removes programs by rewriting the details. By the rule the audit used: a program is there
when its key holds a non-empty value. (A generated column would say the same, but adding a
stored one rewrites the table: 13.6 s under an exclusive lock at 100,000 artifacts with 2.5 kB
of details each, against 0.59 s for this revision's scan, measured.)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

POSTGRESQL = [
    """CREATE FUNCTION trustreg_artifact_sensitive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sensitive := coalesce(NEW.details ->> 'sensitive_program', '') <> '';
    RETURN NEW;
END
$$""",
    # Also when the column itself is written: only the details say what it holds.
    "CREATE TRIGGER artifacts_sensitive BEFORE INSERT OR UPDATE OF details, sensitive"
    " ON artifacts FOR EACH ROW EXECUTE FUNCTION trustreg_artifact_sensitive()",
    "UPDATE artifacts SET sensitive = true"
    " WHERE coalesce(details ->> 'sensitive_program', '') <> ''",
]
# SQLite's triggers cannot change the row being written: they write it again, after, and only
# when the flag is wrong (the insert's write would otherwise fire the update's trigger too).
SQLITE = [
    """CREATE TRIGGER artifacts_sensitive_insert AFTER INSERT ON artifacts
WHEN NEW.sensitive IS NOT (coalesce(json_extract(NEW.details, '$.sensitive_program'), '') <> '')
BEGIN
    UPDATE artifacts
    SET sensitive = (coalesce(json_extract(NEW.details, '$.sensitive_program'), '') <> '')
    WHERE seq = NEW.seq;
END""",
    """CREATE TRIGGER artifacts_sensitive_update AFTER UPDATE OF details, sensitive ON artifacts
WHEN NEW.sensitive IS NOT (coalesce(json_extract(NEW.details, '$.sensitive_program'), '') <> '')
BEGIN
    UPDATE artifacts
    SET sensitive = (coalesce(json_extract(NEW.details, '$.sensitive_program'), '') <> '')
    WHERE seq = NEW.seq;
END""",
    "UPDATE artifacts SET sensitive = 1"
    " WHERE coalesce(json_extract(details, '$.sensitive_program'), '') <> ''",
]
# A later migration that rebuilds `artifacts` on SQLite (Alembic's batch mode) drops these
# triggers and must create them again: tests/api/test_migrations.py checks they are there.


def upgrade() -> None:
    # A plain ADD COLUMN with a constant default: no rewrite on either database. The fill
    # reads every row's details under the ALTER's lock until the migration commits.
    op.add_column(
        "artifacts",
        sa.Column("sensitive", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if postgres else SQLITE:
        op.execute(sa.text(statement))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER artifacts_sensitive ON artifacts")
        op.execute("DROP FUNCTION trustreg_artifact_sensitive()")
        # The kept reads select the column (db/stored.py): dropped, they go on as text until
        # the next `upgrade_to_head` installs them again.
        op.execute(
            "DO $$ DECLARE f regprocedure; BEGIN"
            " FOR f IN SELECT oid::regprocedure FROM pg_proc"
            " WHERE pronamespace = current_schema()::regnamespace"
            " AND proname LIKE 'trustreg\\_read\\_%' LOOP"
            " EXECUTE 'DROP FUNCTION ' || f; END LOOP; END $$"
        )
    else:
        op.execute("DROP TRIGGER artifacts_sensitive_insert")
        op.execute("DROP TRIGGER artifacts_sensitive_update")
    with op.batch_alter_table("artifacts", schema=None) as batch_op:
        batch_op.drop_column("sensitive")
