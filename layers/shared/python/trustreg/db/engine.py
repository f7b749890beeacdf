"""The SQLAlchemy engine: created lazily, once per process (per Lambda container)."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError

from trustreg.config import ConfigError, get_settings
from trustreg.db import documents

_engine: Engine | None = None
_transactional: Engine | None = None
_lock = threading.Lock()
PING_AFTER_IDLE_S = 1.0


def database_url() -> URL:
    """DATABASE_URL, or a URL built from DB_HOST/DB_PORT/DB_NAME/DB_USER (AWS, no password)."""
    host = os.environ.get("DB_HOST")
    if not os.environ.get("DATABASE_URL") and host:
        name = os.environ.get("DB_NAME")
        user = os.environ.get("DB_USER")
        if not name or not user:
            raise ConfigError("DB_HOST is set, so DB_NAME and DB_USER are required")
        return URL.create(
            "postgresql+psycopg2",
            username=user,
            host=host,
            port=int(os.environ.get("DB_PORT", "5432")),
            database=name,
        )
    return make_url(get_settings().database_url)


def _iam_token(url: URL) -> str:
    """A short-lived RDS IAM auth token for the proxy; generated per connection, never stored."""
    import boto3

    return str(
        boto3.client("rds").generate_db_auth_token(
            DBHostname=url.host, Port=url.port or 5432, DBUsername=url.username
        )
    )


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection is alive before reuse, when it has sat idle for a while.

    SQLAlchemy's pool_pre_ping pings on every checkout: a round trip per request on a busy
    server, for connections used milliseconds ago. A connection idle for less than
    PING_AFTER_IDLE_S is handed out as is; an older one is pinged, and a dead one is replaced
    (the pool retries the checkout when this raises DisconnectionError).
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("the pooled connection is gone") from exc
        if not alive:
            raise DisconnectionError("the pooled connection is gone")


def _build(url: URL, **options: Any) -> Engine:
    settings = get_settings()
    kwargs: dict[str, Any] = {"future": True, "json_serializer": documents.dumps, **options}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            os.makedirs(os.path.dirname(url.database) or ".", exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    elif settings.db_proxy or settings.db_iam_auth:
        # A Lambda container serves one request at a time: keep its one connection to RDS
        # Proxy open across invocations (the proxy multiplexes them onto the database), so a
        # warm call pays no TCP + TLS + IAM handshake. The ping notices a connection the proxy
        # dropped while the container was frozen (idle client timeout, 5 minutes). Recycling
        # counts age, not idleness: even a busy connection is replaced every 4 minutes (one
        # handshake), so an idle one never meets the proxy's timeout. Overflow serves nested
        # units of work.
        kwargs.update(pool_size=1, max_overflow=2, pool_recycle=240)
    else:
        kwargs.update(pool_size=5, max_overflow=10)
    if url.get_backend_name() == "postgresql":
        # A database that silently drops packets must not hang a Lambda until its timeout.
        kwargs["connect_args"] = {"connect_timeout": 5}
        if settings.db_iam_auth:
            kwargs["connect_args"]["sslmode"] = "require"
    engine = create_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            # WAL lets the threaded local server read while another request writes.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

    else:
        _ping_when_idle(engine)
    if settings.db_iam_auth:

        @event.listens_for(engine, "do_connect")
        def _inject_token(_dialect: Any, _rec: Any, _args: Any, cparams: dict[str, Any]) -> None:
            cparams["password"] = _iam_token(url)

    return engine


# The pool's connections autocommit by default, so the reads and the token count every request
# runs (docs/performance.md, fix 8) need no client-side mode switch at checkout and checkin,
# which costs about 30 us each way with psycopg2. Transactions go through `get_engine()`, a
# view of the same pool that switches its connections to the backend's transactional level.
_TRANSACTIONAL = {"postgresql": "READ COMMITTED", "sqlite": "SERIALIZABLE"}


def autocommit_engine() -> Engine:
    """The process-wide engine whose connections commit every statement on its own."""
    global _engine, _transactional
    if _engine is None:
        with _lock:
            if _engine is None:
                url = database_url()
                base = _build(url, isolation_level="AUTOCOMMIT")
                _transactional = base.execution_options(
                    isolation_level=_TRANSACTIONAL.get(url.get_backend_name(), "READ COMMITTED")
                )
                _engine = base
    return _engine


def get_engine() -> Engine:
    """The process-wide engine for transactions (BEGIN ... COMMIT), built on first use."""
    autocommit_engine()
    assert _transactional is not None
    return _transactional


def dispose_engine() -> None:
    """Drop the engine (tests switch databases; the local server shuts down)."""
    global _engine, _transactional
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = _transactional = None
