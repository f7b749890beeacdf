"""Sessions: one per unit of work, on a connection taken from the pool for that unit only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from trustreg.db.engine import autocommit_engine, get_engine


@contextmanager
def session_scope(autocommit: bool = False) -> Iterator[Session]:
    """A fresh session for one unit of work; never shared between invocations.

    The connection goes back to the pool when the unit ends, so a request holds none while it
    downloads, rates or runs a sensitive-model check. `autocommit` lets every statement commit
    on its own, which saves the BEGIN and COMMIT round trips: at READ COMMITTED, where each
    statement already reads its own snapshot, a unit that only reads sees nothing different;
    a unit that writes may use it only when its writing is one statement.
    """
    engine = autocommit_engine() if autocommit else get_engine()
    session = Session(bind=engine, expire_on_commit=False)
    try:
        yield session
        if autocommit:
            # Every statement committed as it ran: writing what the ORM still holds is all a
            # commit would add, without its transaction bookkeeping (~8 us a unit).
            session.flush()
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; treat them as the UTC they were written in."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
