"""One unit of work's database: a pooled connection, and an ORM session on it only when needed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Executable, Result
from sqlalchemy.orm import Session

from trustreg.db import direct, token_use
from trustreg.db.engine import autocommit_engine, get_engine


class UnitDb:
    """What repositories talk to during one unit of work.

    Core statements run straight on the unit's connection (`run`; those built once, on the
    driver's cursor on PostgreSQL: `db.direct`); the ORM Session, on that same
    connection and transaction, is made the first time a repository asks for it. Most requests
    only read through prebuilt Core statements, and a Session's lifecycle and ORM execution path
    cost them 60-100 us a request (docs/performance.md, fix 13).

    A call's token use still waiting to be counted (`token_use`) is counted by an autocommit
    unit's first statement, on the unit's own connection: inside that statement's round trip
    when it is a marked read on PostgreSQL (`rides`), as a statement of its own before it
    otherwise. A refused call's statements all raise its refusal.
    """

    __slots__ = ("_conn", "_session", "_counts", "_rides")

    def __init__(self, conn: Connection, counts: bool = False, rides: bool = False) -> None:
        self._conn = conn
        self._session: Session | None = None
        self._counts = counts
        self._rides = rides

    @property
    def session(self) -> Session:
        """The unit's ORM Session, bound to the unit's connection and transaction."""
        if self._session is None:
            use = token_use.pending()
            if use is not None:  # the ORM may write: the call's use is counted before it can
                self.count(use)
            self._session = Session(bind=self._conn, expire_on_commit=False)
        return self._session

    @property
    def dialect_name(self) -> str:
        return str(self._conn.dialect.name)

    def run(self, statement: Executable, params: Any = None) -> Result[Any]:
        """Execute a Core statement (one built on tables, not on mapped classes)."""
        carried = self._carry(statement, params)
        if carried is None:
            return self._execute(statement, params)
        riding, use, rows = carried
        return riding.unpack(rows, use)

    def rows(self, statement: Executable, params: Any = None) -> Sequence[Any]:
        """`run(statement, params).all()`, as the driver's own tuples on PostgreSQL: for a read
        that takes its rows by position (a page of a hundred skips building Row objects)."""
        carried = self._carry(statement, params)
        if carried is None:
            return direct.execute_rows(self._conn, statement, params)
        riding, use, rows = carried
        return riding.own_rows(rows, use)

    def writes_ride(self) -> bool:
        """Whether the next statement, a marked read, carries the call's count with a write of
        its own: a read built on `token_use.spend_cte()` may be run only then (PostgreSQL)."""
        use = token_use.pending()
        return self._rides and use is not None and not use.settled and use.needs is not None

    def _carry(
        self, statement: Executable, params: Any
    ) -> tuple[token_use.Riding, token_use.PendingTokenUse, Sequence[Any]] | None:
        """Run the statement carrying the call's pending count when it may: its rewritten form
        and answer. None when it is to run as it is: nothing was pending, or the use was just
        counted on its own."""
        self.flush()  # what the Session's autoflush would do: the statement sees pending changes
        use = token_use.pending()
        if use is None:
            return None
        rideable = self._rides and not use.settled and not isinstance(params, list)
        riding = token_use.ride(statement) if rideable else None
        if riding is None:
            self.count(use)
            return None
        both = {**(params or {}), **token_use.spend_params(use.jti, use.user_id, use.needs)}
        return riding, use, direct.execute_rows(self._conn, riding.statement, both)

    def count(self, use: token_use.PendingTokenUse) -> None:
        """Count the call's use now, on this unit's connection if it commits as it goes."""
        if not self._counts or use.settled:
            use.settle_alone()  # raises the refusal again if the call was refused
            return
        # Autocommit: the count commits as it runs, whatever the unit does next.
        use.settle(token_use.spend(self._execute, use.jti, use.user_id))

    def _execute(self, statement: Executable, params: Any) -> Result[Any]:
        """On the driver's cursor when built once (PostgreSQL: `db.direct`), else SQLAlchemy."""
        return direct.execute(self._conn, statement, params)

    def flush(self) -> None:
        if self._session is not None:
            self._session.flush()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()


@contextmanager
def unit_db(autocommit: bool = False) -> Iterator[UnitDb]:
    """A connection for one unit of work; never shared between invocations.

    The connection goes back to the pool when the unit ends, so a request holds none while it
    downloads, rates or runs a sensitive-model check. `autocommit` lets every statement commit
    on its own, which saves the BEGIN and COMMIT round trips: at READ COMMITTED, where each
    statement already reads its own snapshot, a unit that only reads sees nothing different;
    a unit that writes may use it only when its writing is one statement.
    """
    use = token_use.pending()
    if use is not None and not autocommit:
        # Counted before the transaction holds a connection: its rollback must not uncount it.
        use.settle_alone()
    engine = autocommit_engine() if autocommit else get_engine()
    with engine.connect() as conn:
        # Begun here, so an ORM Session joins this transaction instead of owning one: the unit
        # commits or rolls back once, whichever of Core and ORM did the work. (On the autocommit
        # engine this sends nothing: each statement has committed as it ran.) A repository that
        # rolls back after a constraint error ends this transaction with everything in it, then
        # raises; services let that error end the unit and never write on after it.
        conn.begin()
        # SQLite cannot run an UPDATE inside a read's WITH: the use is counted beside the read.
        db = UnitDb(conn, counts=autocommit, rides=autocommit and conn.dialect.name == "postgresql")
        try:
            with token_use.counting_on(db.count) if autocommit else nullcontext():
                yield db
            db.flush()
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            db.close()


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; treat them as the UTC they were written in."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
