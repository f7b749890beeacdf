"""Unit of work: services get repositories from here and never see a SQLAlchemy session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError

from trustreg.db.engine import autocommit_engine
from trustreg.db.repositories.artifacts import ArtifactRepository
from trustreg.db.repositories.events import EventRepository
from trustreg.db.repositories.health import HealthRepository
from trustreg.db.repositories.scores import ScoreRepository
from trustreg.db.repositories.tokens import TokenRepository
from trustreg.db.repositories.users import UserRepository
from trustreg.db.session import session_scope
from trustreg.errors import ServiceUnavailable


@dataclass
class UnitOfWork:
    """The repositories of one transaction."""

    users: UserRepository
    tokens: TokenRepository
    artifacts: ArtifactRepository
    scores: ScoreRepository
    events: EventRepository
    health: HealthRepository


@contextmanager
def unit_of_work(autocommit: bool = False) -> Iterator[UnitOfWork]:
    """Open a transaction; commit when the block ends, roll back if it raises.

    `autocommit=True` is for units that only read, or whose only write is a single statement
    (see `session_scope`): they skip the BEGIN and COMMIT round trips.
    """
    with _database_reachable(), session_scope(autocommit) as s:
        yield UnitOfWork(
            users=UserRepository(s),
            tokens=TokenRepository(s),
            artifacts=ArtifactRepository(s),
            scores=ScoreRepository(s),
            events=EventRepository(s),
            health=HealthRepository(s),
        )


@contextmanager
def token_ledger() -> Iterator[TokenRepository]:
    """The token table on a bare autocommit connection, for authenticating a call.

    Counting a use is one Core statement that commits on its own; a Session around it cost more
    Python time than the statement's own execution (docs/performance.md, fix 10).
    """
    with _database_reachable(), autocommit_engine().connect() as conn:
        yield TokenRepository(conn)


@contextmanager
def _database_reachable() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        # An unreachable database is the operator's problem, not a stack trace for the client.
        raise ServiceUnavailable("the database is unavailable; try again shortly") from exc
