"""API-suite fixtures: an admin client whose registry fetches from the fake hub."""

from __future__ import annotations

import pytest

from tests.support.api_client import ApiClient


@pytest.fixture
def hub_api(hub_env, api: ApiClient) -> ApiClient:
    """The admin client, with HF_ENDPOINT/GITHUB_API_URL pointing at the fake hub."""
    from trustreg.storage import reset_blob_store

    reset_blob_store()
    return api


def ingest(client: ApiClient, hub, artifact_type: str, repo: str, name: str | None = None):
    """POST /artifact/{type} for a fixture repo of the fake hub."""
    if artifact_type == "code" or repo.startswith("github:"):
        url = f"{hub.github_web_url}/{repo.removeprefix('github:')}"
    elif artifact_type == "dataset":
        url = f"{hub.url}/datasets/{repo}"
    else:
        url = f"{hub.url}/{repo}"
    body = {"url": url} if name is None else {"url": url, "name": name}
    return client.post(f"/artifact/{artifact_type}", body)
