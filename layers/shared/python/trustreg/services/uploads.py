"""Upload a zipped HuggingFace-style package: directly (small) or through a signed URL (large)."""

from __future__ import annotations

import os
import re
import tempfile
from datetime import timedelta
from typing import Any

from trustreg.auth.principal import Principal
from trustreg.config import get_settings
from trustreg.db.models import UploadSlot, new_artifact_id, utcnow
from trustreg.db.session import as_utc
from trustreg.db.uow import unit_of_work
from trustreg.errors import BadRequest, Forbidden, NotFound, PayloadTooLarge
from trustreg.packaging.zipcheck import validate_zip
from trustreg.rating.inputs import RatingInputs
from trustreg.search.versions import normalize_version
from trustreg.services import registration
from trustreg.services.evidence import linked_evidence
from trustreg.services.ids import check_id, check_type
from trustreg.services.ingest import rate_gathered
from trustreg.services.lineage_refs import declared_edges
from trustreg.services.package_reader import read_package
from trustreg.services.registration import Gathered
from trustreg.services.views import envelope
from trustreg.timefmt import iso_utc

SLOT_TTL = timedelta(minutes=15)
_KEY_VERSION = re.compile(r"uploads/[A-Za-z0-9]+-v(\d+\.\d+\.\d+)\.zip")
MAX_NAME = 512


def check_name(name: str | None) -> str:
    """An upload's required name, stored verbatim."""
    if not name or name == "*" or len(name) > MAX_NAME or name != name.strip():
        raise BadRequest(f"a name of 1-{MAX_NAME} characters is required (not '*')")
    if "\x00" in name:  # PostgreSQL text cannot hold NUL; SQLite would store it silently
        raise BadRequest("a name may not contain NUL characters")
    return name


def check_version(version: str | None) -> str | None:
    """An optional semantic version (`1.2.3`, `v1.2`), normalized."""
    if version in (None, ""):
        return None
    normalized = normalize_version(str(version))
    if normalized is None:
        raise BadRequest("version must look like 1.2.3")
    return normalized


def _gather_package(
    path: str, artifact_type: str, name: str, version: str | None
) -> tuple[Gathered, RatingInputs | None]:
    summary = validate_zip(path)
    facts = read_package(path, summary)
    details: dict[str, Any] = {
        "category": str(facts.card_metadata.get("pipeline_tag") or artifact_type),
        "license": facts.card_metadata.get("license"),
        "card_metadata": facts.card_metadata,
        "card_malformed": facts.card_malformed,
        "has_config": facts.config is not None,
        "config_malformed": facts.config_malformed,
        "uploaded": True,
        "files": [{"path": f.path, "size": f.size} for f in facts.files][:5000],
        "total_size_bytes": summary.total_size,
    }
    edges = (
        declared_edges({name}, facts.card_metadata, facts.config)
        if artifact_type == "model"
        else []
    )
    g = Gathered(artifact_type, name, None, "upload", path, facts.readme, version, details, edges)
    if artifact_type != "model":
        return g, None
    linked = linked_evidence(facts.card_body, facts.card_metadata)
    inputs = RatingInputs(
        name=name,
        card_text=facts.card_body,
        card_metadata=facts.card_metadata,
        card_malformed=facts.card_malformed,
        config=facts.config,
        files=tuple(facts.files),
        datasets=linked.datasets,
        github=linked.github,
        code_urls=linked.code_urls,
        is_public_source=False,
    )
    return g, inputs


def register_zip(
    caller: Principal, artifact_type: str, name: str, version: str | None, path: str, base_url: str
) -> dict[str, Any]:
    """Validate, read, rate (not gate: internal models) and store an uploaded zip."""
    g, inputs = _gather_package(path, artifact_type, name, version)
    rating = rate_gathered(g, inputs, gate=False)
    artifact = registration.create(caller, g, rating)
    return envelope(artifact, base_url)


def upload_direct(
    caller: Principal, artifact_type: str, query: dict[str, str], body: bytes, base_url: str
) -> dict[str, Any]:
    """POST /artifact/{type}/upload: the zip is the request body (within API Gateway's limit)."""
    check_type(artifact_type)
    name = check_name(query.get("name"))
    version = check_version(query.get("version"))
    if not body:
        raise BadRequest("the request body must be the zip file")
    with tempfile.TemporaryDirectory(prefix="upload-") as workdir:
        path = os.path.join(workdir, "package.zip")
        with open(path, "wb") as fh:
            fh.write(body)
        return register_zip(caller, artifact_type, name, version, path, base_url)


def open_slot(caller: Principal, artifact_type: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST /artifact/{type}/upload-slot: a signed PUT URL for a large zip, valid 15 minutes."""
    from trustreg.storage import get_blob_store

    check_type(artifact_type)
    name = check_name(body.get("name") if isinstance(body.get("name"), str) else None)
    version = check_version(body.get("version"))
    slot_id = new_artifact_id()
    # The version rides in the key (digits and dots once normalized): the name column holds the
    # verbatim name, and PostgreSQL refuses the NUL separator this once used.
    key = f"uploads/{slot_id}.zip" if version is None else f"uploads/{slot_id}-v{version}.zip"
    expires = utcnow() + SLOT_TTL
    with unit_of_work() as uow:
        uow.artifacts.add_slot(
            UploadSlot(
                id=slot_id,
                user_id=caller.user_id,
                artifact_type=artifact_type,
                name=name,
                blob_key=key,
                expires_at=expires,
            )
        )
    return {
        "upload_id": slot_id,
        "method": "PUT",
        "headers": {"Content-Type": "application/zip"},
        "upload_url": get_blob_store().upload_url(key, int(SLOT_TTL.total_seconds())),
        "expires_at": iso_utc(expires),
        "finalize_path": f"/artifact/{artifact_type}/upload-slot/{slot_id}/finalize",
    }


def finalize_slot(
    caller: Principal, artifact_type: str, slot_id: str, base_url: str
) -> dict[str, Any]:
    """POST .../upload-slot/{id}/finalize: validate the uploaded zip and register it.

    Whatever happens, the uploaded object is removed afterwards: a valid package is copied under
    its artifact key, an invalid one leaves nothing behind.
    """
    from trustreg.storage import get_blob_store

    check_type(artifact_type)
    check_id(slot_id)
    with unit_of_work() as uow:
        slot = uow.artifacts.slot(slot_id)
        if slot is None or slot.artifact_type != artifact_type:
            raise NotFound("no such upload slot")
        if slot.user_id != caller.user_id and not caller.is_admin:
            raise Forbidden("this upload slot belongs to another user")
        if as_utc(slot.expires_at) < utcnow() - timedelta(minutes=5):
            raise BadRequest("this upload slot has expired; request a new one")
        key, stored_name = slot.blob_key, slot.name
    name, _, version = stored_name.partition("\x00")  # slots opened before the key held it
    in_key = _KEY_VERSION.fullmatch(key)
    version = version or (in_key.group(1) if in_key else "")
    store = get_blob_store()
    try:
        if not store.exists(key):
            raise BadRequest("nothing was uploaded to this slot yet")
        if store.size(key) > get_settings().max_bundle_bytes:
            raise PayloadTooLarge("the uploaded file is larger than the registry accepts")
        with tempfile.TemporaryDirectory(prefix="finalize-") as workdir:
            path = os.path.join(workdir, "package.zip")
            with open(path, "wb") as fh:
                store.get_to_file(key, fh)
            result = register_zip(caller, artifact_type, name, version or None, path, base_url)
    finally:
        store.delete(key)
        with unit_of_work() as uow:
            slot = uow.artifacts.slot(slot_id)
            if slot is not None:
                uow.artifacts.drop_slot(slot)
    return result


__all__ = ["finalize_slot", "open_slot", "upload_direct"]
