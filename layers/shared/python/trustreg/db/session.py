"""One session per invocation: committed on success, rolled back on error, always closed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from trustreg.db.engine import get_engine

_factory: sessionmaker[Session] | None = None


def _sessions() -> sessionmaker[Session]:
    global _factory
    engine = get_engine()
    if _factory is None or _factory.kw.get("bind") is not engine:
        _factory = sessionmaker(bind=engine, expire_on_commit=False)
    return _factory


@contextmanager
def session_scope() -> Iterator[Session]:
    """A fresh session for one unit of work; never shared between invocations."""
    session = _sessions()()
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
