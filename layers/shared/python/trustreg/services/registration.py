"""Make a gathered package visible: blob first, rows second, nothing half done on failure."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from trustreg.auth.principal import Principal
from trustreg.db.models import Artifact, new_artifact_id
from trustreg.db.uow import UnitOfWork, unit_of_work
from trustreg.errors import NotFound
from trustreg.observability import MetricName, logger, metrics
from trustreg.packaging.streams import sha256_file
from trustreg.rating.record import Rating
from trustreg.services import rating_service
from trustreg.services.lineage_refs import ref_keys

BLOB_PREFIX = "artifacts"


@dataclass
class Gathered:
    """Everything ingest or upload collected for one artifact, before it is stored."""

    artifact_type: str
    name: str
    source_url: str | None
    source_kind: str
    bundle_path: str | None  # a local zip to store, or None for reference-only artifacts
    readme: str = ""
    version: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    edges: list[dict[str, str]] = field(default_factory=list)
    repo_id: str | None = None  # e.g. "google-bert/bert-base-uncased"


def blob_key(artifact_type: str, artifact_id: str, suffix: str = "") -> str:
    """Where an artifact's package lives in the store."""
    return f"{BLOB_PREFIX}/{artifact_type}/{artifact_id}/package{suffix}.zip"


def resolve_parents(uow: UnitOfWork, edges: list[dict[str, str]]) -> list[dict[str, str]]:
    """Point each declared edge at the registered artifact it names, where there is one."""
    for edge in edges:
        wanted = "dataset" if "dataset" in edge["relationship"] else "model"
        parent = uow.artifacts.find_by_ref(edge["parent_ref"], wanted)
        if parent is not None:
            edge["parent_id"] = parent.id
    return edges


def _store_blob(g: Gathered, artifact_id: str) -> tuple[str | None, str | None, int]:
    if not g.bundle_path:
        return None, None, 0
    from trustreg.storage import get_blob_store

    key = blob_key(g.artifact_type, artifact_id, "-" + os.urandom(4).hex())
    sha = sha256_file(g.bundle_path)
    size = os.path.getsize(g.bundle_path)
    get_blob_store().put_file(key, g.bundle_path)
    return key, sha, size


def _delete_blob(key: str | None) -> None:
    if key:
        from trustreg.storage import get_blob_store

        try:
            get_blob_store().delete(key)
        except Exception:  # the original failure matters more; log the leftover
            logger.error("could not remove blob after a failed write", extra={"key": key})


# Kept across an update: they belong to the artifact, not to the package it came from.
PRESERVED_DETAILS = ("sensitive_program", "sensitive_program_sha256")


def _contents(g: Gathered, key: str | None, sha: str | None, size: int) -> dict[str, Any]:
    """The columns a package decides, for insert and for update alike."""
    return {
        "source_url": g.source_url,
        "source_kind": g.source_kind,
        "version": g.version,
        "readme": g.readme[:1_000_000],
        "details": {**g.details, "bundle_bytes": size},
        "blob_key": key,
        "blob_sha256": sha,
        "size_bytes": int(g.details.get("total_size_bytes", size)),
    }


def _link(
    uow: UnitOfWork,
    artifact: Artifact,
    g: Gathered,
    rating: Rating | None,
    action: str,
    caller: Principal,
) -> None:
    """Lineage edges, the rating and the audit event of a new or replaced package."""
    uow.artifacts.add_edges(artifact.id, resolve_parents(uow, g.edges))
    if rating is not None:
        rating_service.store(uow, artifact, rating)
    uow.events.add(artifact.id, action, caller.name, caller.is_admin)


def create(caller: Principal, g: Gathered, rating: Rating | None) -> Artifact:
    """Store the blob, then insert the row, rating, lineage and CREATE event in one transaction."""
    artifact_id = new_artifact_id()
    key, sha, size = _store_blob(g, artifact_id)
    try:
        with unit_of_work() as uow:
            artifact = uow.artifacts.add(
                Artifact(
                    id=artifact_id,
                    name=g.name,
                    type=g.artifact_type,
                    created_by=caller.user_id,
                    created_by_name=caller.name,
                    **_contents(g, key, sha, size),
                )
            )
            uow.artifacts.resolve_refs(
                sorted(ref_keys(g.name, g.repo_id)), artifact.id, artifact.type
            )
            _link(uow, artifact, g, rating, "CREATE", caller)
    except BaseException:
        _delete_blob(key)
        raise
    metrics.add_metric(name=MetricName.INGEST_ACCEPTED, unit="Count", value=1)
    return artifact


def replace_contents(
    caller: Principal, artifact_id: str, g: Gathered, rating: Rating | None
) -> Artifact:
    """Swap an artifact's contents for a new package: new blob, rows, then old blob removed."""
    key, sha, size = _store_blob(g, artifact_id)
    old_key: str | None = None
    try:
        with unit_of_work() as uow:
            artifact = uow.artifacts.get(artifact_id, g.artifact_type)
            if artifact is None:
                raise NotFound(f"no {g.artifact_type} with id {artifact_id}")
            old_key = artifact.blob_key
            kept = {k: v for k, v in artifact.details.items() if k in PRESERVED_DETAILS}
            for column, value in _contents(g, key, sha, size).items():
                setattr(artifact, column, value)
            artifact.details = {**artifact.details, **kept}
            uow.artifacts.flush()
            uow.artifacts.clear_edges(artifact.id)
            _link(uow, artifact, g, rating, "UPDATE", caller)
    except BaseException:
        _delete_blob(key)
        raise
    if old_key and old_key != key:
        _delete_blob(old_key)
    return artifact
