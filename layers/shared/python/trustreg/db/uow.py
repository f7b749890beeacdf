"""Unit of work: services get repositories from here and never see a SQLAlchemy session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError

from trustreg.db.repositories.artifacts import ArtifactRepository
from trustreg.db.repositories.events import EventRepository
from trustreg.db.repositories.health import HealthRepository
from trustreg.db.repositories.scores import ScoreRepository
from trustreg.db.repositories.tokens import TokenRepository
from trustreg.db.repositories.users import UserRepository
from trustreg.db.session import unit_db
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
    (see `unit_db`): they skip the BEGIN and COMMIT round trips.
    """
    with _database_reachable(), unit_db(autocommit) as db:
        yield UnitOfWork(
            users=UserRepository(db),
            tokens=TokenRepository(db),
            artifacts=ArtifactRepository(db),
            scores=ScoreRepository(db),
            events=EventRepository(db),
            health=HealthRepository(db),
        )


@contextmanager
def token_ledger() -> Iterator[TokenRepository]:
    """The token table alone, on an autocommit connection, for authenticating a call.

    Counting a use is one Core statement that commits on its own (docs/performance.md, fix 10).
    """
    with _database_reachable(), unit_db(autocommit=True) as db:
        yield TokenRepository(db)


@contextmanager
def _database_reachable() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        # An unreachable database is the operator's problem, not a stack trace for the client.
        raise ServiceUnavailable("the database is unavailable; try again shortly") from exc
