"""Downloads: check, record who took what, and hand out a short-lived signed URL."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any

from trustreg.auth.principal import Principal
from trustreg.config import get_settings
from trustreg.db.uow import unit_of_work
from trustreg.errors import BadRequest, Forbidden, NotFound
from trustreg.observability import MetricName, metrics
from trustreg.packaging.parts import PARTS, write_part
from trustreg.services.catalog import load
from trustreg.services.health_series import record_event

# Aliases users reach for; "card" holds README, configs and tokenizer files.
PART_ALIASES = {
    "all": "full",
    "package": "full",
    "model": "weights",
    "dataset": "datasets",
    "config": "card",
}


@dataclass(frozen=True)
class Grant:
    """A permitted download: where to fetch it, and what it is."""

    url: str
    part: str
    sha256: str
    size: int
    expires_in: int
    filename: str

    def as_json(self) -> dict[str, Any]:
        """The JSON answer for clients that ask for one instead of a redirect."""
        return {
            "url": self.url,
            "part": self.part,
            "sha256": self.sha256,
            "size": self.size,
            "expires_in": self.expires_in,
            "filename": self.filename,
        }


def parse_part(raw: str | None) -> str:
    """`full` by default; `weights`, `card` or `datasets` for part of a package."""
    part = PART_ALIASES.get((raw or "full").lower(), (raw or "full").lower())
    if part not in PARTS:
        raise BadRequest(f"part must be one of {', '.join(PARTS)}")
    return part


def _part_blob(
    artifact_type: str, artifact_id: str, blob_key: str, sha: str, part: str
) -> tuple[str, str, int]:
    """The blob of one part, cut from the package once and kept beside it."""
    from trustreg.storage import get_blob_store

    store = get_blob_store()
    key = f"artifacts/{artifact_type}/{artifact_id}/parts/{sha[:16]}-{part}.zip"
    with tempfile.TemporaryDirectory(prefix="part-") as workdir:
        src, out = os.path.join(workdir, "package.zip"), os.path.join(workdir, f"{part}.zip")
        with open(src, "wb") as fh:
            store.get_to_file(blob_key, fh)
        with open(out, "wb") as fh:
            summary = write_part(src, part, fh)
        if not store.exists(key):
            store.put_file(key, out)
    return key, summary.sha256, summary.size


def _check_sensitive(artifact: Any, caller: Principal, blob_key: str) -> tuple[bool, str]:
    """Run the model's sensitive-check program, when it has one; (allowed, verdict)."""
    program = (artifact.details or {}).get("sensitive_program")
    if not program:
        return True, ""
    from trustreg.services.sensitive import run_for_download

    return run_for_download(artifact, caller, blob_key)


def grant(caller: Principal, artifact_type: str, artifact_id: str, part_raw: str | None) -> Grant:
    """Authorize one download, record it, and sign a URL for the requested part."""
    from trustreg.storage import get_blob_store

    part = parse_part(part_raw)
    with unit_of_work(autocommit=True) as uow:
        artifact = load(uow, artifact_type, artifact_id)
        if not artifact.blob_key or not artifact.blob_sha256:
            raise NotFound("this artifact is a reference only; fetch it from its source url")
        blob_key, sha, name = artifact.blob_key, artifact.blob_sha256, artifact.name
        parts = dict((artifact.details or {}).get("parts") or {})
        size = int((artifact.details or {}).get("bundle_bytes") or 0)
    # The check runs outside any transaction: it may take seconds and must not hold a connection.
    allowed, verdict = _check_sensitive(artifact, caller, blob_key)
    with unit_of_work() as uow:
        attempt = uow.artifacts.record_download(
            artifact_id=artifact.id,
            user_id=caller.user_id,
            user_name=caller.name,
            part=part,
            allowed=allowed,
            verdict=verdict[:4000],
        )
        # Refused attempts are audited too; the verdict lives in the download history.
        uow.events.add(artifact.id, "DOWNLOAD", caller.name, caller.is_admin, attempt)
    if not allowed:
        raise Forbidden(f"the model's sensitive-check program refused the download: {verdict}")
    if part != "full":
        cached = parts.get(part)
        if cached and get_blob_store().exists(cached["key"]):
            blob_key, sha, size = cached["key"], cached["sha256"], int(cached["size"])
        else:
            blob_key, sha, size = _part_blob(artifact_type, artifact_id, blob_key, sha, part)
            with unit_of_work() as uow:
                row = uow.artifacts.get(artifact_id)
                if row is not None:
                    row.details = {
                        **row.details,
                        "parts": {**parts, part: {"key": blob_key, "sha256": sha, "size": size}},
                    }
    metrics.add_metric(name=MetricName.DOWNLOADS, unit="Count", value=1)
    record_event(f"download:{artifact_type}")
    ttl = get_settings().download_url_ttl_s
    filename = f"{name}-{part}.zip" if part != "full" else f"{name}.zip"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in filename)
    url = get_blob_store().download_url(blob_key, ttl, safe)
    return Grant(url, part, sha, size, ttl, safe)


def history(caller: Principal, artifact_type: str, artifact_id: str) -> list[dict[str, Any]]:
    """Every download attempt of an artifact (uploader and admins only)."""
    from trustreg.timefmt import iso_utc

    with unit_of_work(autocommit=True) as uow:
        artifact = load(uow, artifact_type, artifact_id)
        if not caller.is_admin and artifact.created_by != caller.user_id:
            raise Forbidden("only the uploader or an admin may read the download history")
        return [
            {
                "user": h.user_name,
                "date": iso_utc(h.at),
                "part": h.part,
                "allowed": h.allowed,
                "verdict": h.verdict,
            }
            for h in uow.artifacts.downloads(artifact.id)
        ]
