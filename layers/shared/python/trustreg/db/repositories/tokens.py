"""Auth tokens: issue, count uses atomically, revoke."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Row, delete, insert, select, update

from trustreg.auth.principal import Role
from trustreg.db import token_use
from trustreg.db.models import AuthToken, table_of, utcnow
from trustreg.db.repositories.base import Repository

TokenState = Row[tuple[bool, int, int]]


def _joined(permissions: Iterable[str]) -> str:
    return ",".join(sorted(set(permissions)))


class TokenRepository(Repository):
    """Reads and writes `auth_tokens`."""

    def add(
        self,
        jti: str,
        user_id: int,
        expires_at: datetime,
        max_uses: int,
        role: tuple[bool, Iterable[str]],
    ) -> None:
        """Record a newly issued token carrying its holder's role, read under
        `UserRepository.lock_role` in the same transaction."""
        is_admin, permissions = role
        self._db.run(
            insert(table_of(AuthToken)).values(
                jti=jti,
                user_id=user_id,
                expires_at=expires_at,
                max_uses=max_uses,
                is_admin=is_admin,
                permissions=_joined(permissions),
            )
        )

    def spend(self, jti: str, user_id: int) -> Role | None:
        """Count one use and read the caller's (is_admin, permissions) in one statement.

        None when the token is unknown, revoked, expired, used up or not this user's. One
        conditional UPDATE, so two concurrent calls can never both take the last use; the
        role comes back through RETURNING, so authenticating a call costs one round trip.
        """
        return token_use.spend(self._db.run, jti, user_id)

    def set_role(self, user_id: int, is_admin: bool, permissions: Iterable[str]) -> None:
        """Rewrite the role every token of a user carries (the user's role just changed)."""
        t = table_of(AuthToken)
        self._db.run(
            update(t)
            .where(t.c.user_id == user_id)
            .values(is_admin=is_admin, permissions=_joined(permissions))
        )

    def state(self, jti: str) -> TokenState | None:
        """(revoked, uses, max_uses) of a token, or None: why `spend` said no."""
        t = table_of(AuthToken).c
        stmt = select(t.revoked, t.uses, t.max_uses).where(t.jti == jti)
        return self._db.run(stmt).first()

    def prune_expired(self, user_id: int) -> None:
        """Delete a user's expired tokens. Nothing reads them again: an expired token is refused
        from its signed expiry before the database is asked (`auth.tokens.verify`)."""
        t = table_of(AuthToken)
        self._db.run(delete(t).where(t.c.user_id == user_id, t.c.expires_at < utcnow()))
