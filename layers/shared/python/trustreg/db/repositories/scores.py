"""Ratings of models: the newest row is current; older rows stay as history."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Row, Select, bindparam, delete, false, select

from trustreg.db.direct import prebuilt
from trustreg.db.models import Artifact, ArtifactScore, table_of
from trustreg.db.repositories.base import Repository
from trustreg.db.repositories.events import entry_params, entry_riding_count
from trustreg.db.stored import keep, kept_read
from trustreg.db.token_use import may_carry_count

# (id, name, the current rating's summary or None, whether a RATE entry was written)
RatedModel = Row[tuple[str, str, dict[str, Any] | None, bool]]


@functools.cache
def _rated_model(recording: bool = False) -> Select[tuple[str, str, Any, bool]]:
    # GET .../rate in one round trip: the model's name and its current rating's summary, kept on
    # its row (docs/performance.md, fixes 10 and 20); `recording`, with the call's count and
    # the RATE entry as well.
    a = table_of(Artifact).c
    read = select(a.id, a.name, a.rating_summary).where(
        a.id == bindparam("aid"), a.type == bindparam("atype")
    )
    if not recording:
        # `false()`, written into the SQL: a bound False would be a parameter whose type
        # PostgreSQL cannot infer, which installing the read refuses (db/stored.py).
        return prebuilt(keep(may_carry_count(read.add_columns(false().label("recorded")))))
    found = read.cte("rated")
    entry = entry_riding_count("RATE", found, found.c.rating_summary.isnot(None))
    # Whether the entry was written, from the INSERT's own answer.
    written = select(entry.c.id).exists().label("recorded")
    return prebuilt(keep(may_carry_count(select(*found.c, written))))


kept_read(functools.partial(_rated_model, False))
kept_read(functools.partial(_rated_model, True))


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

    def rated_model(
        self, artifact_id: str, artifact_type: str, rater: str | None = None
    ) -> RatedModel | None:
        """The artifact's id, name and current rating's summary, or None.

        With a `rater`, the read writes their RATE entry too when it can (a summary was found,
        and the call's count rides on this read: `UnitDb.writes_ride`); `recorded` says so.
        """
        params: dict[str, Any] = {"aid": artifact_id, "atype": artifact_type}
        if rater is None or not self._db.writes_ride():
            return self._db.run(_rated_model(), params).first()
        return self._db.run(_rated_model(recording=True), params | entry_params(rater)).first()

    def current_document(self, artifact_id: str) -> dict[str, Any] | None:
        """The newest rating row's whole document (the rating with every reason and its
        evidence), or None."""
        newest = self.current(artifact_id)
        return None if newest is None else newest.rating

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
