"""The audit trail of artifacts."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from trustreg.db.models import ArtifactEvent


class EventRepository:
    """Reads and writes `artifact_events`."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, artifact_id: str, action: str, user_name: str, user_is_admin: bool) -> None:
        """Append one audit entry."""
        self._s.add(
            ArtifactEvent(
                artifact_id=artifact_id,
                action=action,
                user_name=user_name,
                user_is_admin=user_is_admin,
            )
        )
        self._s.flush()

    def for_artifact(self, artifact_id: str, limit: int = 1000) -> list[ArtifactEvent]:
        """The artifact's audit entries, oldest first."""
        stmt = (
            select(ArtifactEvent)
            .where(ArtifactEvent.artifact_id == artifact_id)
            .order_by(ArtifactEvent.at, ArtifactEvent.id)
            .limit(limit)
        )
        return list(self._s.scalars(stmt))

    def delete_all(self) -> None:
        """Drop the whole trail (registry reset)."""
        self._s.execute(delete(ArtifactEvent))
