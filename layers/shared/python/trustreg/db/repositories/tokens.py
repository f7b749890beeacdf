"""Auth tokens: issue, count uses atomically, revoke."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import Table, Update, bindparam, delete, update
from sqlalchemy.orm import Session

from trustreg.db.models import AuthToken, User, utcnow

Role = tuple[bool, frozenset[str]]


def _joined(permissions: Iterable[str]) -> str:
    return ",".join(sorted(set(permissions)))


@functools.cache
def _spend_statement() -> Update:
    # Built once, like the hot reads in artifacts.py (docs/performance.md, fix 8), on the Core
    # table: an ORM-enabled UPDATE runs bulk-update bookkeeping that costs more than the
    # statement. The role comes back from the token row itself (fix 10).
    tokens = cast(Table, AuthToken.__table__)
    return (
        update(tokens)
        .where(
            tokens.c.jti == bindparam("token_jti"),
            tokens.c.user_id == bindparam("token_user"),
            tokens.c.revoked.is_(False),
            tokens.c.uses < tokens.c.max_uses,
            tokens.c.expires_at > bindparam("now"),
        )
        .values(uses=tokens.c.uses + 1)
        .returning(tokens.c.is_admin, tokens.c.permissions)
    )


class TokenRepository:
    """Reads and writes `auth_tokens`."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, jti: str, user: User, expires_at: datetime, max_uses: int) -> None:
        """Record a newly issued token, carrying the user's current role."""
        self._s.add(
            AuthToken(
                jti=jti,
                user_id=user.id,
                expires_at=expires_at,
                max_uses=max_uses,
                is_admin=user.is_admin,
                permissions=_joined(p.permission for p in user.permissions),
            )
        )
        self._s.flush()

    def spend(self, jti: str, user_id: int) -> Role | None:
        """Count one use and read the caller's (is_admin, permissions) in one statement.

        None when the token is unknown, revoked, expired, used up or not this user's. One
        conditional UPDATE, so two concurrent calls can never both take the last use; the
        role comes back through RETURNING, so authenticating a call costs one round trip.
        """
        row = self._s.execute(
            _spend_statement(), {"token_jti": jti, "token_user": user_id, "now": utcnow()}
        ).first()
        if row is None:
            return None
        is_admin, granted = row
        return bool(is_admin), frozenset(granted.split(",") if granted else ())

    def set_role(self, user_id: int, is_admin: bool, permissions: Iterable[str]) -> None:
        """Rewrite the role every token of a user carries (the user's role just changed)."""
        self._s.execute(
            update(AuthToken)
            .where(AuthToken.user_id == user_id)
            .values(is_admin=is_admin, permissions=_joined(permissions))
        )

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
