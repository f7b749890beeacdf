"""Auth tokens: issue, count uses atomically, revoke."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import cast

from sqlalchemy import BindParameter, Table, Update, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from trustreg.db.models import AuthToken, Permission, User, utcnow

Identity = tuple[str, bool, frozenset[str]]


@functools.cache
def _spend_statement() -> Update:
    # Built once, like the hot reads in artifacts.py (docs/performance.md, fix 8), on Core
    # tables: an ORM-enabled UPDATE runs bulk-update bookkeeping that costs more than the
    # statement. The subqueries take the user id from the verified token instead of
    # correlating, because SQLite does not let RETURNING name the updated table.
    tokens, users, perms = (cast(Table, m.__table__) for m in (AuthToken, User, Permission))
    uid: BindParameter[int] = bindparam("token_user")
    return (
        update(tokens)
        .where(
            tokens.c.jti == bindparam("token_jti"),
            tokens.c.user_id == uid,
            tokens.c.revoked.is_(False),
            tokens.c.uses < tokens.c.max_uses,
            tokens.c.expires_at > bindparam("now"),
        )
        .values(uses=tokens.c.uses + 1)
        .returning(
            select(users.c.name).where(users.c.id == uid).scalar_subquery(),
            select(users.c.is_admin).where(users.c.id == uid).scalar_subquery(),
            # One aggregate, not an EXISTS per permission: PostgreSQL plans it in half the time.
            select(func.aggregate_strings(perms.c.permission, ","))
            .where(perms.c.user_id == uid)
            .scalar_subquery(),
        )
    )


class TokenRepository:
    """Reads and writes `auth_tokens`."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, jti: str, user_id: int, expires_at: datetime, max_uses: int) -> None:
        """Record a newly issued token."""
        self._s.add(AuthToken(jti=jti, user_id=user_id, expires_at=expires_at, max_uses=max_uses))
        self._s.flush()

    def spend(self, jti: str, user_id: int) -> Identity | None:
        """Count one use and read the caller's (name, is_admin, permissions) in one statement.

        None when the token is unknown, revoked, expired, used up or not this user's. One
        conditional UPDATE, so two concurrent calls can never both take the last use; the
        identity comes back through RETURNING, so authenticating a call costs one round trip.
        """
        row = self._s.execute(
            _spend_statement(), {"token_jti": jti, "token_user": user_id, "now": utcnow()}
        ).first()
        if row is None:  # (a token cannot outlive its user: the foreign key cascades)
            return None
        name, is_admin, granted = row
        return name, bool(is_admin), frozenset(granted.split(",") if granted else ())

    def get(self, jti: str) -> AuthToken | None:
        """The token row, or None."""
        return self._s.get(AuthToken, jti)

    def owner(self, jti: str) -> User | None:
        """The user a token belongs to."""
        token = self._s.get(AuthToken, jti)
        return self._s.get(User, token.user_id) if token else None

    def revoke_user(self, user_id: int) -> None:
        """Revoke every token of a user."""
        self._s.execute(update(AuthToken).where(AuthToken.user_id == user_id).values(revoked=True))

    def delete_all_except(self, keep_jti: str | None, keep_user_id: int) -> None:
        """Drop every token but the caller's own (registry reset keeps the caller working)."""
        stmt = delete(AuthToken).where(AuthToken.user_id != keep_user_id)
        self._s.execute(stmt)

    def prune_expired(self) -> None:
        """Delete tokens that can no longer be used."""
        self._s.execute(delete(AuthToken).where(AuthToken.expires_at < utcnow()))
