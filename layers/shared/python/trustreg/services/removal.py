"""Delete an artifact: the row (and what cascades from it) first, then its blobs."""

from __future__ import annotations

from trustreg.auth.principal import Principal
from trustreg.db.uow import unit_of_work
from trustreg.errors import Forbidden
from trustreg.observability import logger
from trustreg.services.catalog import load
from trustreg.services.registration import BLOB_PREFIX


def delete(caller: Principal, artifact_type: str, artifact_id: str) -> None:
    """Remove an artifact with its ratings, lineage edges, events, history and blobs.

    The row goes first so no reader can reach an artifact whose blob is gone; a blob that then
    fails to delete is logged and left unreachable rather than failing the request.
    """
    with unit_of_work() as uow:
        artifact = load(uow, artifact_type, artifact_id)
        # An orphan (its uploader's account was deleted: created_by is NULL) is admin-only too;
        # otherwise any uploader could delete it.
        if not caller.is_admin and artifact.created_by != caller.user_id:
            raise Forbidden("only the artifact's uploader or an admin may delete it")
        uow.artifacts.delete(artifact)
    from trustreg.storage import get_blob_store

    try:
        get_blob_store().delete_prefix(f"{BLOB_PREFIX}/{artifact_type}/{artifact_id}/")
    except Exception:
        logger.error("artifact deleted but its blobs were not", extra={"id": artifact_id})
