"""A token lasts 10 hours or 1000 calls, whichever comes first; uses are counted atomically."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from tests.support.api_client import ApiClient
from trustreg.config import reset_settings


def _with_env(**env: str):
    class _Ctx:
        def __enter__(self):
            self.old = {k: os.environ.get(k) for k in env}
            os.environ.update(env)
            reset_settings()

        def __exit__(self, *exc):
            for k, v in self.old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            reset_settings()

    return _Ctx()


def test_given_a_token_with_5_uses_when_called_6_times_then_the_6th_is_refused(database):
    with _with_env(TOKEN_MAX_USES="5"):
        client = ApiClient()
        client.login()
        statuses = [client.post("/artifacts", [{"name": "*"}]).status for _ in range(6)]
    assert statuses == [200] * 5 + [403]


def test_given_concurrent_calls_at_the_boundary_then_exactly_max_uses_succeed(database):
    with _with_env(TOKEN_MAX_USES="20"):
        client = ApiClient()
        client.login()
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: client.get("/users").status, range(40)))
    assert statuses.count(200) == 20
    assert statuses.count(403) == 20


def test_given_an_expired_token_when_calling_then_403_saying_expired(database):
    with _with_env(TOKEN_TTL_SECONDS="1"):
        client = ApiClient()
        client.login()
    import time

    time.sleep(2.1)
    r = client.get("/users")
    assert r.status == 403 and "expired" in r.message


def test_given_the_default_limits_then_a_token_allows_1000_calls(database):
    from trustreg.config import get_settings

    assert get_settings().token_max_uses == 1000
    assert get_settings().token_ttl_seconds == 36000


def test_given_expired_tokens_when_the_user_logs_in_again_then_only_their_rows_are_removed(
    database,
):
    from datetime import timedelta

    from sqlalchemy import select, update

    from trustreg.db.engine import get_engine
    from trustreg.db.models import AuthToken, utcnow

    old, live = ApiClient(), ApiClient()
    old.login()
    live.login()
    with get_engine().begin() as conn:
        conn.execute(update(AuthToken).values(expires_at=utcnow() - timedelta(hours=1)))
        conn.execute(  # one row stays live: only expired ones may go
            update(AuthToken)
            .where(AuthToken.jti == _jti(live))
            .values(expires_at=utcnow() + timedelta(hours=1))
        )

    ApiClient().login()

    with get_engine().connect() as conn:
        kept = set(conn.scalars(select(AuthToken.jti)))
    assert _jti(old) not in kept
    assert _jti(live) in kept
    assert len(kept) == 2  # the live token and the new one
    assert live.get("/artifacts/model/0123456789abcdef01234567").status == 404


def _jti(client: ApiClient) -> str:
    import jwt

    raw = client.token.split(" ", 1)[1]
    return str(jwt.decode(raw, options={"verify_signature": False})["jti"])
