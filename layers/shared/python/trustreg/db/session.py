"""Sessions: one per unit of work; the units of one request share one pooled connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

from trustreg.db.engine import autocommit_engine, get_engine

_factory: sessionmaker[Session] | None = None


class _Held:
    """The connection a request's units of work share, checked out when the first one runs."""

    connection: Connection | None = None
    autocommit = True


_request: ContextVar[_Held | None] = ContextVar("trustreg_request_connection", default=None)


def _sessions() -> sessionmaker[Session]:
    global _factory
    engine = get_engine()
    if _factory is None or _factory.kw.get("bind") is not engine:
        _factory = sessionmaker(bind=engine, expire_on_commit=False)
    return _factory


@contextmanager
def request_scope() -> Iterator[None]:
    """Let the units of work of one request reuse one connection instead of one each.

    An authenticated read is two transactions (counting the token's use, then the read); with
    a checkout each it paid the pool's liveness ping twice. Each unit still commits on its own;
    a unit opened while another is in progress gets a connection of its own, as before. The
    connection goes back to the pool when the request ends. Threads the request starts do not
    see the scope (context variables are per thread), so a connection never crosses threads.
    """
    held = _Held()
    token = _request.set(held)
    try:
        yield
    finally:
        _request.reset(token)
        if held.connection is not None:
            held.connection.close()


def _shared_connection(autocommit: bool) -> Connection | None:
    held = _request.get()
    if held is None:
        return None
    conn = held.connection
    if conn is not None and (conn.closed or conn.invalidated):
        conn.close()
        conn = held.connection = None
    if conn is None:
        conn = held.connection = autocommit_engine().connect()
        held.autocommit = True
    elif conn.in_transaction():
        return None  # a nested unit of work keeps its own transaction, as outside a request
    if held.autocommit != autocommit:
        # Client-side only (nothing is sent to the server), and undone when the request ends.
        level = "AUTOCOMMIT" if autocommit else conn.default_isolation_level
        conn.execution_options(isolation_level=level)
        held.autocommit = autocommit
    return conn


@contextmanager
def session_scope(autocommit: bool = False) -> Iterator[Session]:
    """A fresh session for one unit of work; never shared between invocations.

    `autocommit` (inside a request scope) lets every statement commit on its own, which saves
    the BEGIN and COMMIT round trips around a single statement. At READ COMMITTED, where each
    statement already reads its own snapshot, a unit that only reads sees nothing different;
    a unit that writes may use it only when its writing is one statement.
    """
    conn = _shared_connection(autocommit)
    session = _sessions()() if conn is None else Session(bind=conn, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; treat them as the UTC they were written in."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
