"""Ratings of models: the newest row is current; older rows stay as history."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Row, Select, bindparam, delete, select

from trustreg.db.direct import prebuilt
from trustreg.db.models import Artifact, ArtifactScore, table_of
from trustreg.db.repositories.base import Repository
from trustreg.db.token_use import may_carry_count

# (id, name, category, the newest score's rating document or None)
RatedModel = Row[tuple[str, str, Any, dict[str, Any] | None]]


@functools.cache
def _rated_model() -> Select[tuple[str, str, Any, dict[str, Any] | None]]:
    # GET .../rate in one round trip: the model's name, its category (one key of its details,
    # which hold kilobytes of evidence) and its newest rating (docs/performance.md, fix 10).
    a = table_of(Artifact).c
    sc = table_of(ArtifactScore).c
    newest = (
        select(sc.rating)
        .where(sc.artifact_id == a.id)
        .order_by(sc.computed_at.desc(), sc.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    # The category as the JSON value it is (a card may give a number or a list): the service
    # turns it into the contract's string the same way on both databases.
    read = select(a.id, a.name, a.details["category"], newest).where(
        a.id == bindparam("aid"), a.type == bindparam("atype")
    )
    return prebuilt(may_carry_count(read))  # a read by key: the call's token count may ride on it


class ScoreRepository(Repository):
    """Reads and writes `artifact_scores`."""

    def add(
        self, artifact_id: str, status: str, net_score: float | None, rating: dict[str, Any]
    ) -> None:
        """Append a rating (or a 'not_rated'/'failed' record)."""
        self._s.add(
            ArtifactScore(
                artifact_id=artifact_id, status=status, net_score=net_score, rating=rating
            )
        )
        self._s.flush()

    def rated_model(self, artifact_id: str, artifact_type: str) -> RatedModel | None:
        """The artifact's id, name, category and newest rating document, or None."""
        return self._db.run(_rated_model(), {"aid": artifact_id, "atype": artifact_type}).first()

    def current(self, artifact_id: str) -> ArtifactScore | None:
        """The newest rating of an artifact."""
        stmt = (
            select(ArtifactScore)
            .where(ArtifactScore.artifact_id == artifact_id)
            .order_by(ArtifactScore.computed_at.desc(), ArtifactScore.id.desc())
            .limit(1)
        )
        return self._s.scalar(stmt)

    def history(self, artifact_id: str, limit: int = 100) -> list[ArtifactScore]:
        """Every rating of an artifact, newest first."""
        stmt = (
            select(ArtifactScore)
            .where(ArtifactScore.artifact_id == artifact_id)
            .order_by(ArtifactScore.computed_at.desc(), ArtifactScore.id.desc())
            .limit(limit)
        )
        return list(self._s.scalars(stmt))

    def current_net_scores(self, artifact_ids: list[str]) -> dict[str, float]:
        """The current net score of each rated artifact among these."""
        out: dict[str, float] = {}
        for aid in artifact_ids:
            row = self.current(aid)
            if row is not None and row.status == "rated" and row.net_score is not None:
                out[aid] = row.net_score
        return out

    def delete_all(self) -> None:
        """Drop every rating (registry reset)."""
        self._s.execute(delete(ArtifactScore))
