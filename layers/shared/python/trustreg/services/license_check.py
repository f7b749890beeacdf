"""Is a GitHub project's license compatible with a model's, for fine-tuning plus inference?"""

from __future__ import annotations

from typing import Any

from trustreg.db.uow import unit_of_work
from trustreg.errors import BadRequest
from trustreg.http.parse import require_str
from trustreg.rating.licenses import check_compatibility
from trustreg.services.catalog import load
from trustreg.sources.urls import parse_source_url


def check(artifact_id: str, body: dict[str, Any]) -> bool:
    """True when compatible; 404 unknown model or repository, 502 when GitHub is unreachable."""
    from trustreg.sources.github import GitHubClient

    url = require_str(body, "github_url", max_len=2048)
    ref = parse_source_url(url, "code")
    if ref.kind != "github" or not ref.owner:
        raise BadRequest("github_url must be a GitHub repository URL")
    with unit_of_work(autocommit=True) as uow:
        model = load(uow, "model", artifact_id)
        model_license = _model_license(model.details or {})
    client = GitHubClient()
    client.repo(ref.owner, ref.repo)  # 404 for an unknown repository, before judging licenses
    code_license = client.license_spdx(ref.owner, ref.repo)
    compatible, _reason = check_compatibility(code_license, model_license)
    return bool(compatible)


def _model_license(details: dict[str, Any]) -> str | None:
    value = details.get("license")
    if isinstance(value, list):
        value = value[0] if value else None
    if not value:
        tags = (details.get("hf_info") or {}).get("tags") or []
        value = next((t.split(":", 1)[1] for t in tags if str(t).startswith("license:")), None)
    return str(value) if value else None
