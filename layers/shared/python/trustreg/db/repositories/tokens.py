"""Auth tokens: issue, count uses atomically, revoke."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from trustreg.db.models import AuthToken, User, utcnow


class TokenRepository:
    """Reads and writes `auth_tokens`."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, jti: str, user_id: int, expires_at: datetime, max_uses: int) -> None:
        """Record a newly issued token."""
        self._s.add(AuthToken(jti=jti, user_id=user_id, expires_at=expires_at, max_uses=max_uses))
        self._s.flush()

    def consume(self, jti: str) -> bool:
        """Count one use; False when the token is unknown, revoked, expired or used up.

        A single conditional UPDATE, so two concurrent calls can never both take the last use.
        """
        result = self._s.execute(
            update(AuthToken)
            .where(
                AuthToken.jti == jti,
                AuthToken.revoked.is_(False),
                AuthToken.uses < AuthToken.max_uses,
                AuthToken.expires_at > utcnow(),
            )
            .values(uses=AuthToken.uses + 1)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

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
