"""JWT access tokens (HS256). The database row behind each token counts uses and revocation."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from trustreg.config import get_settings
from trustreg.db.models import utcnow
from trustreg.errors import Forbidden

ALGORITHM = "HS256"
EXPIRED = "the token has expired; authenticate again"
SCHEME = "bearer"


@dataclass(frozen=True)
class TokenClaims:
    """What a verified token says: whose it is and which database row counts its uses."""

    jti: str
    user_id: int
    user_name: str
    expires_at: datetime


def issue(user_id: int, user_name: str) -> tuple[str, TokenClaims]:
    """A signed token string (without the scheme) and its claims."""
    settings = get_settings()
    now = utcnow()
    claims = TokenClaims(
        jti=secrets.token_hex(16),
        user_id=user_id,
        user_name=user_name,
        expires_at=now + timedelta(seconds=settings.token_ttl_seconds),
    )
    payload = {
        "sub": str(user_id),
        "name": user_name,
        "jti": claims.jti,
        "iat": int(now.timestamp()),
        "exp": int(claims.expires_at.timestamp()),
    }
    return jwt.encode(payload, settings.jwt_secret, algorithm=ALGORITHM), claims


def parse_header(value: str | None) -> str:
    """The raw JWT from an X-Authorization value (`bearer <jwt>`, quotes tolerated)."""
    if not value:
        raise Forbidden("missing X-Authorization header")
    value = value.strip().strip('"').strip()
    scheme, _, token = value.partition(" ")
    if not token:
        token, scheme = scheme, SCHEME
    if scheme.lower() != SCHEME or not token.strip():
        raise Forbidden("X-Authorization must be 'bearer <token>'")
    return token.strip()


def verify(token: str) -> TokenClaims:
    """Check signature, algorithm and expiry; Forbidden with a clear message otherwise."""
    claims = _verified(token, get_settings().jwt_secret)
    # The remembered verification is timeless; expiry is not, so it is checked on every call.
    if claims.expires_at <= utcnow():
        raise Forbidden(EXPIRED)
    return claims


# A warm container sees the same few tokens call after call, and checking a signature is a pure
# function of the token and the secret: remembering it saves 40-60 us a call (fix 15 in
# docs/performance.md). Only tokens that verified are kept (a raise is never cached), keyed by
# the secret too, so a rotated secret verifies afresh. Revocation and use counting are not
# affected: they are the database's `spend`, on every call.
@functools.lru_cache(maxsize=256)
def _verified(token: str, secret: str) -> TokenClaims:
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],  # pinning the algorithm is what defeats `alg: none`
            options={"require": ["exp", "iat", "jti", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Forbidden(EXPIRED) from exc
    except jwt.PyJWTError as exc:
        raise Forbidden("the token is invalid") from exc
    try:
        return TokenClaims(
            jti=str(payload["jti"]),
            user_id=int(payload["sub"]),
            user_name=str(payload.get("name", "")),
            expires_at=datetime.fromtimestamp(int(payload["exp"]), tz=utcnow().tzinfo),
        )
    except (TypeError, ValueError) as exc:
        raise Forbidden("the token is invalid") from exc
