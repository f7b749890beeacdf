"""Logging in, and turning a request's token into a Principal."""

from __future__ import annotations

from datetime import timedelta

from trustreg.auth import tokens
from trustreg.auth.passwords import check_password_length, verify_password
from trustreg.auth.principal import Principal
from trustreg.db.uow import token_ledger, unit_of_work
from trustreg.errors import Forbidden, TooManyRequests, Unauthorized
from trustreg.observability import MetricName, metrics

# Brute force: 10 failures within 5 minutes lock the name for 5 minutes (answered with 429).
FAILURE_LIMIT = 10
FAILURE_WINDOW = timedelta(minutes=5)
LOCK_TIME = timedelta(minutes=5)
MAX_NAME = 255  # the width of users.name and login_attempts.name


def login(name: str, password: str) -> str:
    """Check credentials and issue a token; the answer is the contract's `bearer <jwt>`."""
    check_password_length(password)
    if len(name) > MAX_NAME:
        # No account can have this name (users.name and login_attempts.name are 255 wide):
        # answer like any wrong credentials instead of letting PostgreSQL fail the insert (500).
        raise Unauthorized("the user name or password is invalid")
    with unit_of_work() as uow:
        until = uow.users.locked_until(uow.users.login_state(name))
        if until is not None:
            raise TooManyRequests(
                "too many failed logins for this user; try again later",
                details={"retry_after_seconds": 300},
            )
        user = uow.users.by_name(name)
        ok = verify_password(password, user.password_hash if user else None)
        if not ok or user is None:
            uow.users.record_failure(name, FAILURE_WINDOW, FAILURE_LIMIT, LOCK_TIME)
            metrics.add_metric(name=MetricName.LOGINS_REFUSED, unit="Count", value=1)
            # Commit the failure count even though we answer with an error.
            failed = True
        else:
            uow.users.clear_failures(name)
            # The role is read again under the user's lock, after the slow password check: a
            # role changed meanwhile is the one the token carries (UserRepository.lock_role).
            role = uow.users.lock_role(user.id)
            failed = role is None  # deleted while we checked the password
            if role is not None:
                token, claims = tokens.issue(user.id, user.name)
                uow.tokens.add(claims.jti, user.id, claims.expires_at, _max_uses(), role)
    if failed:
        raise Unauthorized("the user name or password is invalid")
    return f"{tokens.SCHEME} {token}"


def _max_uses() -> int:
    from trustreg.config import get_settings

    return get_settings().token_max_uses


def principal_from_header(header: str | None) -> Principal:
    """Verify the token, count this call against its 1000 uses, and load the caller."""
    claims = tokens.verify(tokens.parse_header(header))
    with token_ledger() as ledger:
        role = ledger.spend(claims.jti, claims.user_id)
        if role is None:
            row = ledger.state(claims.jti)
            if row is not None and not row.revoked and row.uses >= row.max_uses:
                metrics.add_metric(name=MetricName.TOKENS_EXHAUSTED, unit="Count", value=1)
                raise Forbidden("the token has been used for its maximum number of calls")
            raise Forbidden("the token is not valid (revoked, expired or unknown)")
    is_admin, permissions = role
    return Principal(
        user_id=claims.user_id,
        name=claims.user_name,  # signed by us, and a user's name never changes
        is_admin=is_admin,
        permissions=permissions,
        token_id=claims.jti,
    )
