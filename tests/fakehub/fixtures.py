"""Pytest fixtures for the fake hub; import them into a conftest.py:

from tests.fakehub.fixtures import fake_hub, fake_hub_server, hub_env  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakehub.server import FakeHub


@pytest.fixture(scope="session")
def fake_hub_server() -> Iterator[FakeHub]:
    """One fake hub for the whole session (starting it takes a few milliseconds, loading more)."""
    with FakeHub() as hub:
        yield hub


@pytest.fixture
def fake_hub(fake_hub_server: FakeHub) -> Iterator[FakeHub]:
    """The session's fake hub with faults and the request log cleared for this test."""
    fake_hub_server.reset()
    yield fake_hub_server
    fake_hub_server.reset()


@pytest.fixture
def hub_env(
    fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[FakeHub]:
    """Point the registry's settings at the fake hub (and a temp data dir), without tokens."""
    from trustreg.config import reset_settings

    monkeypatch.setenv("HF_ENDPOINT", fake_hub.url)
    monkeypatch.setenv("GITHUB_API_URL", fake_hub.github_api_url)
    monkeypatch.setenv("GITHUB_WEB_URL", fake_hub.github_web_url)
    port = fake_hub.url.rsplit(":", 1)[1]
    # The hub also plays "another host" as localhost on its own port (CDN, redirects).
    monkeypatch.setenv("ALLOWED_SOURCE_HOSTS", f"127.0.0.1,localhost,localhost:{port}")
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(tmp_path / "registry-data"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    reset_settings()
    yield fake_hub
    reset_settings()
