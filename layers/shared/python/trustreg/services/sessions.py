"""Logging in, and turning a request's token into a Principal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from trustreg.auth import tokens
from trustreg.auth.passwords import check_password_length, verify_password
from trustreg.auth.principal import Principal, Role, authorize, permission_needed
from trustreg.db import token_use
from trustreg.db.repositories.tokens import TokenRepository
from trustreg.db.uow import token_ledger, unit_of_work
from trustreg.errors import Forbidden, RegistryError, TooManyRequests, Unauthorized
from trustreg.observability import MetricName, metrics
from trustreg.routes import Route

# Brute force: 10 failures within 5 minutes lock the name for 5 minutes (answered with 429).
FAILURE_LIMIT = 10
FAILURE_WINDOW = timedelta(minutes=5)
LOCK_TIME = timedelta(minutes=5)
MAX_NAME = 255  # the width of users.name and login_attempts.name
NOT_VALID = "the token is not valid (revoked, expired or unknown)"


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
                # Each login adds a row; expired ones would otherwise stay forever.
                uow.tokens.prune_expired(user.id)
    if failed:
        raise Unauthorized("the user name or password is invalid")
    return f"{tokens.SCHEME} {token}"


def _max_uses() -> int:
    from trustreg.config import get_settings

    return get_settings().token_max_uses


def _refusal(ledger: TokenRepository, jti: str) -> Forbidden:
    """Why the token could not be used, as the error the call answers with."""
    row = ledger.state(jti)
    if row is not None and not row.revoked and row.uses >= row.max_uses:
        metrics.add_metric(name=MetricName.TOKENS_EXHAUSTED, unit="Count", value=1)
        return Forbidden("the token has been used for its maximum number of calls")
    return Forbidden(NOT_VALID)


class Caller:
    """The caller of one request: its verified token, and the one use of it the call counts.

    The token is verified here (a forged, malformed or expired one is refused at once). Its use,
    its revocation and the caller's role are settled by counting the use: before the handler
    runs (`settle_alone`), or, on routes flagged `count_use_with_first_read`, by the first
    statement the handler sends, inside that statement's round trip where it can (`counting`
    and `db.token_use`; fix 16). Either way the call counts exactly one use, and a refused token
    or a missing permission is what the call answers.
    """

    def __init__(self, header: str | None, route: Route) -> None:
        claims = tokens.verify(tokens.parse_header(header))
        self.jti = claims.jti
        self.user_id = claims.user_id
        self.route = route
        self.needs = permission_needed(route)
        self.principal = Principal(
            claims.user_id, claims.user_name, claims.jti, count_use=self.settle_alone
        )
        self._settled = False
        self._refused: RegistryError | None = None
        self._reason_unknown = False

    @property
    def settled(self) -> bool:
        return self._settled

    @property
    def refused(self) -> bool:
        return self._refused is not None

    def settle(self, role: Role | None) -> None:
        """Take the count's answer; raise (now and at the end of the call) if it refuses."""
        self._settled = True
        if role is None:
            # Why (used up, or revoked, expired, unknown) is read once the handler's unit has let
            # go of its connection: reading it now would hold two at once.
            self._refused = Forbidden(NOT_VALID)
            self._reason_unknown = True
        else:
            self.principal.learn_role(role)
            try:
                authorize(self.principal, self.route)
            except RegistryError as exc:
                self._refused = exc
        if self._refused is not None:
            raise self._refused

    def settle_alone(self) -> None:
        """Count the use now, in a statement of its own: on the open unit of work's connection
        if there is one, on the token ledger's otherwise. Once counted, raise the refusal if
        there was one, so asking again never counts twice."""
        if not self._settled and not token_use.count_on_open_unit(self):
            with token_use.pending_use(None), token_ledger() as ledger:
                role = ledger.spend(self.jti, self.user_id)
                if role is None:
                    self._settled = True
                    self._refused = _refusal(ledger, self.jti)
            if role is not None:
                self.settle(role)
        if self._refused is not None:
            raise self._refused

    @contextmanager
    def counting(self) -> Iterator[None]:
        """Run the handler with the use waiting for its first read; settle it by the end."""
        with token_use.pending_use(self):
            try:
                yield
            except Exception:
                self._finish()  # a refusal answers before whatever the handler raised
                raise
        self._finish()

    def _finish(self) -> None:
        if self._reason_unknown:
            self._reason_unknown = False
            with token_use.pending_use(None), token_ledger() as ledger:
                self._refused = _refusal(ledger, self.jti)
        self.settle_alone()  # counts if nothing did; raises the refusal if there is one
