"""The package-confusion audit over the registry (admins): suspects with their reasons."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

from trustreg.db.models import utcnow
from trustreg.db.session import as_utc
from trustreg.db.uow import unit_of_work
from trustreg.security.confusion import ArtifactFacts, DownloadFacts, find_suspects

MAX_ARTIFACTS = 20_000  # the newest ones: confusion attacks are recent uploads
MAX_DOWNLOADS = 100_000
DOWNLOAD_WINDOW = timedelta(days=7)


def suspects() -> list[dict[str, Any]]:
    """Artifacts suspected of package confusion, most suspicious first."""
    now = utcnow()
    with unit_of_work() as uow:
        artifacts = [
            ArtifactFacts(aid, name, atype, url, as_utc(created), by)
            for aid, name, atype, url, created, by in uow.artifacts.audit_rows(MAX_ARTIFACTS)
        ]
        downloads = [
            DownloadFacts(d.artifact_id, d.user_name, None, as_utc(d.at))
            for d in uow.artifacts.downloads_since(now - DOWNLOAD_WINDOW, MAX_DOWNLOADS)
        ]
    return [asdict(s) for s in find_suspects(artifacts, downloads, now=now)]
