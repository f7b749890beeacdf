"""Tokens carry their holder's role (admin flag, permissions) so a call is counted in one row

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 00:20:00

Authenticating a call counts a use of its token and reads the caller's rights. Reading them from
`users` and `permissions` in the same statement cost half of the statement's database time;
the token row now holds a copy, rewritten whenever the user's role changes. Existing tokens are
filled from their users here, so nobody has to log in again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("auth_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("permissions", sa.Text(), server_default="", nullable=False))
    users = sa.table("users", sa.column("id"), sa.column("is_admin"))
    perms = sa.table("permissions", sa.column("user_id"), sa.column("permission"))
    tokens = sa.table(
        "auth_tokens", sa.column("user_id"), sa.column("is_admin"), sa.column("permissions")
    )
    op.execute(
        tokens.update().values(
            is_admin=sa.select(users.c.is_admin)
            .where(users.c.id == tokens.c.user_id)
            .scalar_subquery(),
            permissions=sa.func.coalesce(
                sa.select(sa.func.aggregate_strings(perms.c.permission, ","))
                .where(perms.c.user_id == tokens.c.user_id)
                .scalar_subquery(),
                "",
            ),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("auth_tokens", schema=None) as batch_op:
        batch_op.drop_column("permissions")
        batch_op.drop_column("is_admin")
