"""The audit trail of artifacts."""

from __future__ import annotations

import functools
from typing import cast

from sqlalchemy import Insert, Table, delete, insert, select
from sqlalchemy.orm import Session

from trustreg.db.models import ArtifactEvent, utcnow


@functools.cache
def _insert_event() -> Insert:
    return insert(cast(Table, ArtifactEvent.__table__))


class EventRepository:
    """Reads and writes `artifact_events`."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(
        self,
        artifact_id: str,
        action: str,
        user_name: str,
        user_is_admin: bool,
        download_id: int | None = None,
    ) -> None:
        """Append one audit entry.

        A plain INSERT rather than a mapped object: reads such as rate and audit write an
        entry on every call, and the ORM's flush cost more than the statement (fix 8 in
        docs/performance.md). Pending changes are flushed first so ordering stays as written.
        """
        self._s.flush()
        self._s.execute(
            _insert_event(),
            {
                "artifact_id": artifact_id,
                "action": action,
                "user_name": user_name,
                "user_is_admin": user_is_admin,
                "at": utcnow(),
                "download_id": download_id,
            },
        )

    def for_artifact(
        self, artifact_id: str, after_id: int = 0, limit: int = 1000
    ) -> list[ArtifactEvent]:
        """The artifact's audit entries recorded after entry `after_id`, in recording order."""
        stmt = (
            select(ArtifactEvent)
            .where(ArtifactEvent.artifact_id == artifact_id, ArtifactEvent.id > after_id)
            .order_by(ArtifactEvent.id)
            .limit(limit)
        )
        return list(self._s.scalars(stmt))

    def delete_all(self) -> None:
        """Drop the whole trail (registry reset)."""
        self._s.execute(delete(ArtifactEvent))
