"""Suite-wide setup: test settings, the databases (SQLite and a real PostgreSQL), clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("BCRYPT_ROUNDS", "4")
os.environ.setdefault("JWT_SECRET", "test-secret-that-is-at-least-32-bytes-long!")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "TrustworthyModelRegistry")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
for _k in ("DATABASE_URL", "BLOB_BUCKET", "DB_HOST", "HF_TOKEN", "GITHUB_TOKEN"):
    os.environ.pop(_k, None)
# No test reaches the internet: unless a test points them at the fake hub, the upstream
# sources are a closed local port (connection refused at once).
os.environ["HF_ENDPOINT"] = "http://127.0.0.1:9"
os.environ["GITHUB_API_URL"] = "http://127.0.0.1:9/github-api"
os.environ["GITHUB_WEB_URL"] = "http://127.0.0.1:9/github"

from tests.support.api_client import ApiClient  # noqa: E402
from tests.support.database import empty_tables, migrate, use_database  # noqa: E402
from tests.support.postgres import PostgresUnavailable, TempPostgres  # noqa: E402

pytest_plugins = (
    ["tests.fakehub.fixtures"]
    if (Path(__file__).with_name("fakehub").joinpath("fixtures.py").exists())
    else []
)


@pytest.fixture(scope="session")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("registry-data")
    os.environ["REGISTRY_DATA_DIR"] = str(root)
    return root


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the whole session (never skipped in CI)."""
    server = TempPostgres()
    try:
        url = server.start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"PostgreSQL not available here: {exc}")
    yield url
    server.stop()


@pytest.fixture(scope="session")
def sqlite_url(data_root: Path) -> str:
    return f"sqlite:///{data_root / 'registry.db'}"


_migrated: set[str] = set()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, data_root: Path) -> Iterator[str]:
    """Each API test runs once on SQLite and once on PostgreSQL, from an empty registry."""
    url = request.getfixturevalue(f"{request.param}_url")
    use_database(url)
    if url not in _migrated:
        migrate()
        _migrated.add(url)
    empty_tables()
    import shutil

    shutil.rmtree(data_root / "blobs", ignore_errors=True)
    from trustreg.db.seed import ensure_default_admin

    ensure_default_admin()
    yield request.param


@pytest.fixture
def api(database: str) -> ApiClient:
    """A client logged in as the default admin."""
    client = ApiClient()
    client.login()
    return client


@pytest.fixture
def anon(database: str) -> ApiClient:
    """A client with no token."""
    return ApiClient()
