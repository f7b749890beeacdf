"""Artifacts: create, read, update, delete, list (keyset pages), and scans for search."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trustreg.db.models import Artifact, ArtifactLineage, DownloadHistory, UploadSlot
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


# The per-request reads are built once: SQLAlchemy memoizes a statement's cache key on the
# object, and rebuilding it per call cost more than the query (docs/performance.md, fix 8).
@functools.cache
def _by_id() -> Select[tuple[Artifact]]:
    return select(Artifact).where(Artifact.id == bindparam("aid"))


@functools.cache
def _by_id_and_type() -> Select[tuple[Artifact]]:
    return _by_id().where(Artifact.type == bindparam("atype"))


def _table() -> Table:
    # Column reads on the Core table skip the ORM's per-statement setup, which cost more than
    # the query on the hot reads below (docs/performance.md, fix 10).
    return cast(Table, Artifact.__table__)


# Reads that answer with an artifact's identity and size skip its card and details, which
# for an ingested model hold kilobytes of JSON evidence to decode.
Brief = Row[tuple[str, str, str, str | None, int | None]]


@functools.cache
def _brief() -> Select[tuple[str, str, str, str | None, int | None]]:
    a = _table().c
    return select(a.id, a.name, a.type, a.source_url, a.size_bytes)


@functools.cache
def _brief_by_id_and_type() -> Select[tuple[str, str, str, str | None, int | None]]:
    a = _table().c
    return _brief().where(a.id == bindparam("aid"), a.type == bindparam("atype"))


# Listings need five columns, not whole rows with cards and details: plain rows of these
# load several times faster than mapped objects (docs/performance.md, fix 8).
Listed = Row[tuple[int, str, str, str, str | None]]


def _listed() -> Select[tuple[int, str, str, str, str | None]]:
    a = _table().c
    return select(a.seq, a.id, a.name, a.type, a.version)


# Lineage walks read edges and their ends' brief rows, never mapped objects: one graph
# call used to decode every node's details (docs/performance.md, fix 10).
Edge = Row[tuple[int, str, str, str, str]]  # id, child_id, parent_id, relationship, source
LineageRoot = Row[tuple[str, str, str, str | None, int | None, bool | None, bool | None]]


@functools.cache
def _edges_touching() -> Select[tuple[int, str, str, str, str]]:
    e = cast(Table, ArtifactLineage.__table__).c
    ids: BindParameter[list[str]] = bindparam("ids", expanding=True)
    return select(e.id, e.child_id, e.parent_id, e.relationship, e.source).where(
        e.parent_id.isnot(None), or_(e.child_id.in_(ids), e.parent_id.in_(ids))
    )


@functools.cache
def _lineage_root() -> Select[Any]:
    d = _table().c.details
    flags = (
        d["card_malformed"].as_boolean().label("card_malformed"),
        d["config_malformed"].as_boolean().label("config_malformed"),
    )
    return _brief_by_id_and_type().add_columns(*flags)


# The audit trail's artifact: its brief row, who uploaded it, and whether it is sensitive (a
# download check program is stored in its details), without decoding those details.
AuditRoot = Row[tuple[str, str, str, str | None, int | None, int | None, bool]]


@functools.cache
def _audit_root() -> Select[Any]:
    a = _table().c
    program = func.coalesce(a.details["sensitive_program"].as_string(), "")
    return _brief_by_id_and_type().add_columns(a.created_by, (program != "").label("sensitive"))


@functools.cache
def _by_name() -> Select[tuple[int, str, str, str, str | None]]:
    a = _table().c
    return _listed().where(a.name == bindparam("name")).order_by(a.seq).limit(bindparam("limit"))


@functools.cache
def _scan_statement(filtered: bool, ignore_case: bool) -> Select[tuple[int, str, str, str, str]]:
    a = _table().c
    stmt = select(a.seq, a.id, a.name, a.type, a.readme)
    if filtered:
        like: BindParameter[str] = bindparam("like")
        if ignore_case:
            stmt = stmt.where(
                or_(a.name.ilike(like, escape="\\"), a.readme.ilike(like, escape="\\"))
            )
        else:
            stmt = stmt.where(or_(a.name.like(like, escape="\\"), a.readme.like(like, escape="\\")))
    return stmt.where(a.seq > bindparam("after")).order_by(a.seq).limit(bindparam("limit"))


@functools.lru_cache(maxsize=256)
def _page_statement(shape: tuple[tuple[bool, bool], ...]) -> Select[Any]:
    # One statement per shape of query list ((any name?, types given?) per query), with the
    # values bound: a listing call then reuses a built statement (docs/performance.md, fix 10).
    a = _table().c
    clauses = []
    for i, (any_name, typed) in enumerate(shape):
        parts = []
        if not any_name:
            parts.append(a.name == bindparam(f"name{i}"))
        if typed:
            parts.append(a.type.in_(bindparam(f"types{i}", expanding=True)))
        clauses.append(and_(*parts) if parts else a.seq.isnot(None))
    return (
        _listed()
        .where(or_(*clauses), a.seq > bindparam("after"))
        .order_by(a.seq)
        .limit(bindparam("limit"))
    )


class ArtifactRepository:
    """Reads and writes `artifacts`, `artifact_lineage`, `download_history`, `upload_slots`."""

    def __init__(self, session: Session) -> None:
        self._s = session

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
            return self._s.scalar(_by_id_and_type(), {"aid": artifact_id, "atype": artifact_type})
        return self._s.scalar(_by_id(), {"aid": artifact_id})

    def brief(self, artifact_id: str, artifact_type: str) -> Brief | None:
        """(id, name, type, source_url, size_bytes) of the artifact, or None."""
        params = {"aid": artifact_id, "atype": artifact_type}
        return self._s.execute(_brief_by_id_and_type(), params).first()

    def briefs(self, ids: Sequence[str]) -> dict[str, Brief]:
        """Brief rows by id, for the ids that exist."""
        if not ids:
            return {}
        stmt = _brief().where(_table().c.id.in_(list(ids)))
        return {r.id: r for r in self._s.execute(stmt)}

    def get_many(self, ids: Sequence[str]) -> dict[str, Artifact]:
        """Artifacts by id, for the ids that exist."""
        if not ids:
            return {}
        rows = self._s.scalars(select(Artifact).where(Artifact.id.in_(list(ids))))
        return {a.id: a for a in rows}

    def by_source(self, artifact_type: str, source_url: str) -> Artifact | None:
        """The artifact of this type ingested from this URL, or None."""
        return self._s.scalar(
            select(Artifact).where(
                Artifact.type == artifact_type, Artifact.source_url == source_url
            )
        )

    def by_name(self, name: str, limit: int) -> list[Listed]:
        """Artifacts whose name is exactly `name` (case-sensitive), oldest first."""
        return list(self._s.execute(_by_name(), {"name": name, "limit": limit}))

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

    def all_blob_keys(self) -> list[str]:
        """Every stored blob key (reset removes them after the rows)."""
        return [k for k in self._s.scalars(select(Artifact.blob_key)) if k]

    def count(self) -> int:
        """How many artifacts are registered."""
        return int(self._s.scalar(select(func.count()).select_from(Artifact)) or 0)

    # --- listing ----------------------------------------------------------------------------
    def page(self, queries: Sequence[NameQuery], after_seq: int, limit: int) -> list[Listed]:
        """The union of the queries, in registry order, `limit` rows after `after_seq`.

        Keyset paging: the cost of a page does not grow with how deep it is.
        """
        params: dict[str, Any] = {"after": after_seq, "limit": limit}
        for i, q in enumerate(queries):
            params[f"name{i}"] = q.name
            params[f"types{i}"] = list(q.types)
        shape = tuple((q.name == "*", bool(q.types)) for q in queries)
        return list(self._s.execute(_page_statement(shape), params))

    def scan_text(
        self, batch: int = 500, prefilter: str | None = None, ignore_case: bool = False
    ) -> Iterator[tuple[int, str, str, str, str]]:
        """Stream (seq, id, name, type, readme) in batches, never the whole table at once."""
        stmt = _scan_statement(bool(prefilter), ignore_case)
        params: dict[str, Any] = {"limit": batch}
        if prefilter:
            params["like"] = "%" + _escape_like(prefilter) + "%"
        last = 0
        while True:
            rows = self._s.execute(stmt, {**params, "after": last}).all()
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
        return list(self._s.execute(_edges_touching(), {"ids": list(ids)}))

    def lineage_root(self, artifact_id: str, artifact_type: str) -> LineageRoot | None:
        """The brief row of the artifact plus whether its card and its config were malformed."""
        return self._s.execute(
            _lineage_root(), {"aid": artifact_id, "atype": artifact_type}
        ).first()

    def audit_root(self, artifact_id: str, artifact_type: str) -> AuditRoot | None:
        """The brief row of the artifact plus its uploader's id and whether it is sensitive."""
        params = {"aid": artifact_id, "atype": artifact_type}
        return self._s.execute(_audit_root(), params).first()

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
        history = cast(Table, DownloadHistory.__table__)
        stmt = insert(history).values(**fields).returning(history.c.id)
        return int(self._s.execute(stmt).scalar_one())

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
