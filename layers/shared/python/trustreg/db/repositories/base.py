"""What every repository holds: the unit of work's database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from trustreg.db.session import UnitDb


class Repository:
    """Core statements go through `self._db.run`; ORM work (entities, `add`, `flush`) through
    `self._s`, the unit's Session, made on first use."""

    def __init__(self, db: UnitDb) -> None:
        self._db = db

    @property
    def _s(self) -> Session:
        return self._db.session
