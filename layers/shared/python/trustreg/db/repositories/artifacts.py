"""Artifacts: create, read, update, delete, list (keyset pages), and scans for search."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from trustreg.db.models import Artifact, ArtifactLineage, DownloadHistory, UploadSlot, table_of
from trustreg.db.repositories import artifact_statements as stmts
from trustreg.db.repositories.artifact_statements import (
    AuditRoot,
    Brief,
    Edge,
    LineageRoot,
    Listed,
)
from trustreg.db.repositories.base import Repository
from trustreg.errors import Conflict


def _escape_like(text: str) -> str:
    """Make `%`, `_` and the escape character itself match literally in LIKE."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class NameQuery:
    """One `ArtifactQuery`: an exact name (or "*") and optional types."""

    name: str
    types: tuple[str, ...] = ()
    version: str | None = None  # a version range, applied by the service (not expressible in SQL)


class ArtifactRepository(Repository):
    """Reads and writes `artifacts`, `artifact_lineage`, `download_history`, `upload_slots`."""

    # --- rows -------------------------------------------------------------------------------
    def add(self, artifact: Artifact) -> Artifact:
        """Insert; Conflict when an artifact of this type already has this source URL."""
        self._s.add(artifact)
        try:
            self._s.flush()
        except IntegrityError as exc:
            self._s.rollback()
            raise Conflict(
                f"a {artifact.type} from {artifact.source_url} is already registered"
            ) from exc
        return artifact

    def get(self, artifact_id: str, artifact_type: str | None = None) -> Artifact | None:
        """The artifact with this id (and type, when given), or None."""
        if artifact_type:
            return self._s.scalar(
                stmts.by_id_and_type(), {"aid": artifact_id, "atype": artifact_type}
            )
        return self._s.scalar(stmts.by_id(), {"aid": artifact_id})

    def brief(self, artifact_id: str, artifact_type: str) -> Brief | None:
        """(id, name, type, source_url, size_bytes) of the artifact, or None."""
        params = {"aid": artifact_id, "atype": artifact_type}
        return self._db.run(stmts.brief_by_id_and_type(), params).first()

    def briefs(self, ids: Sequence[str]) -> dict[str, Brief]:
        """Brief rows by id, for the ids that exist."""
        if not ids:
            return {}
        stmt = stmts.brief().where(table_of(Artifact).c.id.in_(list(ids)))
        return {r.id: r for r in self._db.run(stmt)}

    def by_source(self, artifact_type: str, source_url: str) -> Artifact | None:
        """The artifact of this type ingested from this URL, or None."""
        return self._s.scalar(
            select(Artifact).where(
                Artifact.type == artifact_type, Artifact.source_url == source_url
            )
        )

    def by_name(self, name: str, limit: int) -> Sequence[Listed]:
        """Artifacts whose name is exactly `name` (case-sensitive), oldest first."""
        return self._db.run(stmts.by_name(), {"name": name, "limit": limit}).all()

    def flush(self) -> None:
        """Write pending changes now so constraint errors surface inside the service."""
        try:
            self._s.flush()
        except IntegrityError as exc:
            self._s.rollback()
            raise Conflict("that change conflicts with an existing artifact") from exc

    def delete(self, artifact: Artifact) -> None:
        """Delete the row; scores, lineage edges, events and history cascade."""
        self._s.execute(
            update(ArtifactLineage)
            .where(ArtifactLineage.parent_id == artifact.id)
            .values(parent_id=None)
        )
        self._s.delete(artifact)
        self._s.flush()

    def delete_all(self) -> None:
        """Empty every artifact table (registry reset)."""
        for model in (DownloadHistory, ArtifactLineage, UploadSlot):
            self._s.execute(delete(model))
        self._s.execute(delete(Artifact))

    def count(self) -> int:
        """How many artifacts are registered."""
        return int(self._s.scalar(select(func.count()).select_from(Artifact)) or 0)

    # --- listing ----------------------------------------------------------------------------
    def page(self, queries: Sequence[NameQuery], after_seq: int, limit: int) -> Sequence[Listed]:
        """The union of the queries, in registry order, `limit` rows after `after_seq`.

        Keyset paging: the cost of a page does not grow with how deep it is.
        """
        params: dict[str, Any] = {"after": after_seq, "limit": limit}
        for i, q in enumerate(queries):
            params[f"name{i}"] = q.name
            params[f"types{i}"] = list(q.types)
        shape = tuple((q.name == "*", bool(q.types)) for q in queries)
        return self._db.run(stmts.page(shape), params).all()

    def scan_text(
        self, batch: int = 500, prefilter: str | None = None, ignore_case: bool = False
    ) -> Iterator[tuple[int, str, str, str, str]]:
        """Stream (seq, id, name, type, readme) in batches, never the whole table at once."""
        stmt = stmts.scan(bool(prefilter), bool(prefilter) and ignore_case)
        params: dict[str, Any] = {"limit": batch}
        if prefilter:
            params["like"] = "%" + _escape_like(prefilter) + "%"
        last = 0
        while True:
            rows = self._db.run(stmt, {**params, "after": last}).all()
            for row in rows:
                yield (row[0], row[1], row[2], row[3], row[4] or "")
            if len(rows) < batch:  # a short batch is the last: no query to learn there is none
                return
            last = rows[-1][0]

    # --- lineage ----------------------------------------------------------------------------
    def add_edges(self, child_id: str, edges: Sequence[dict[str, Any]]) -> None:
        """Record lineage edges of a child: dicts with parent_ref, relationship, source."""
        for e in edges:
            self._s.add(
                ArtifactLineage(
                    child_id=child_id,
                    parent_id=e.get("parent_id"),
                    **{k: e[k] for k in ("parent_ref", "relationship", "source")},
                )
            )
        self._s.flush()

    def clear_edges(self, child_id: str) -> None:
        """Drop a child's recorded edges (before re-recording them on update)."""
        self._s.execute(delete(ArtifactLineage).where(ArtifactLineage.child_id == child_id))

    def edges_of_children(self, child_ids: Sequence[str]) -> list[ArtifactLineage]:
        """Edges whose child is one of these artifacts."""
        if not child_ids:
            return []
        stmt = select(ArtifactLineage).where(ArtifactLineage.child_id.in_(list(child_ids)))
        return list(self._s.scalars(stmt))

    def edges_touching(self, ids: Sequence[str]) -> list[Edge]:
        """Resolved edges (both ends registered) with either end among these artifacts."""
        if not ids:
            return []
        return list(self._db.run(stmts.edges_touching(), {"ids": list(ids)}))

    def lineage_root(self, artifact_id: str, artifact_type: str) -> LineageRoot | None:
        """The artifact's brief row, whether its lineage is unreadable (card and config both
        malformed), and whether any resolved edge touches it; None when there is no such one."""
        params = {"aid": artifact_id, "atype": artifact_type}
        row = self._db.run(stmts.lineage_root(), params).first()
        if row is None:
            return None
        return LineageRoot(*(row._mapping[field] for field in LineageRoot._fields))

    def audit_root(self, artifact_id: str, artifact_type: str) -> AuditRoot | None:
        """The brief row of the artifact plus its uploader's id and whether it is sensitive."""
        params = {"aid": artifact_id, "atype": artifact_type}
        row = self._db.run(stmts.audit_root(), params).first()
        return None if row is None else AuditRoot(*row)

    def find_by_ref(self, ref: str, artifact_type: str) -> Artifact | None:
        """The oldest artifact of a type that a lineage ref (`owner/name` or `name`) names."""
        short = ref.rsplit("/", 1)[-1]
        stmt = (
            select(Artifact)
            .where(
                Artifact.type == artifact_type,
                or_(
                    Artifact.source_url.like("%/" + _escape_like(ref), escape="\\"),
                    Artifact.name == ref,
                    Artifact.name == short,
                ),
            )
            .order_by(Artifact.seq)
            .limit(1)
        )
        return self._s.scalar(stmt)

    def resolve_refs(self, refs: Sequence[str], parent_id: str, parent_type: str) -> int:
        """Point waiting edges whose ref names this new artifact at it; returns how many."""
        if not refs:
            return 0
        stmt = select(ArtifactLineage).where(
            ArtifactLineage.parent_id.is_(None), ArtifactLineage.parent_ref.in_(list(refs))
        )
        n = 0
        for edge in self._s.scalars(stmt):
            wants_dataset = "dataset" in edge.relationship
            if edge.child_id != parent_id and wants_dataset == (parent_type == "dataset"):
                edge.parent_id = parent_id
                n += 1
        self._s.flush()
        return n

    # --- downloads --------------------------------------------------------------------------
    def record_download(self, **fields: Any) -> int:
        """Append one download-history row; its id.

        A Core INSERT, like audit entries: every download writes one, and the ORM's flush cost
        more than the statement (docs/performance.md, fix 10).
        """
        history = table_of(DownloadHistory)
        stmt = insert(history).values(**fields).returning(history.c.id)
        return int(self._db.run(stmt).scalar_one())

    def downloads(self, artifact_id: str, limit: int = 1000) -> list[DownloadHistory]:
        """The artifact's download history, newest first."""
        stmt = (
            select(DownloadHistory)
            .where(DownloadHistory.artifact_id == artifact_id)
            .order_by(DownloadHistory.at.desc(), DownloadHistory.id.desc())
            .limit(limit)
        )
        return list(self._s.scalars(stmt))

    def attempts(self, ids: Sequence[int]) -> dict[int, DownloadHistory]:
        """Download-history rows by id, for the ids that exist."""
        if not ids:
            return {}
        stmt = select(DownloadHistory).where(DownloadHistory.id.in_(list(ids)))
        return {h.id: h for h in self._s.scalars(stmt)}

    def audit_rows(self, limit: int) -> list[tuple[str, str, str, str | None, Any, str | None]]:
        """(id, name, type, source_url, created_at, created_by_name) of the newest artifacts."""
        stmt = (
            select(
                Artifact.id,
                Artifact.name,
                Artifact.type,
                Artifact.source_url,
                Artifact.created_at,
                Artifact.created_by_name,
            )
            .order_by(Artifact.seq.desc())
            .limit(limit)
        )
        return [tuple(r) for r in self._s.execute(stmt)]  # type: ignore[misc]

    def downloads_since(self, since: Any, limit: int) -> list[DownloadHistory]:
        """Download attempts since a moment, newest first, at most `limit`."""
        stmt = (
            select(DownloadHistory)
            .where(DownloadHistory.at >= since)
            .order_by(DownloadHistory.id.desc())
            .limit(limit)
        )
        return list(self._s.scalars(stmt))

    # --- upload slots -----------------------------------------------------------------------
    def add_slot(self, slot: UploadSlot) -> UploadSlot:
        """Record a pending presigned upload."""
        self._s.add(slot)
        self._s.flush()
        return slot

    def slot(self, slot_id: str) -> UploadSlot | None:
        """A pending upload, or None."""
        return self._s.get(UploadSlot, slot_id)

    def drop_slot(self, slot: UploadSlot) -> None:
        """Forget a pending upload (finalized or abandoned)."""
        self._s.delete(slot)
        self._s.flush()
