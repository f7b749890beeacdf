"""Contract fixtures: the local server as a process, once on SQLite and once on PostgreSQL.

`--fuzz-long` (or FUZZ_LONG=1) turns the quick, derandomized schemathesis pass of `make test`
into the longer one of `make fuzz`.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.live_server import LiveServer, fresh_postgres_database, start_server


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-long",
        action="store_true",
        default=False,
        help="many more schemathesis examples per operation (make fuzz)",
    )


def fuzz_long(config: pytest.Config) -> bool:
    """True for the long run: the option (when this conftest is loaded early) or FUZZ_LONG=1."""
    try:
        flag = bool(config.getoption("--fuzz-long"))
    except ValueError:  # option not registered: conftest not loaded at startup
        flag = False
    return flag or os.environ.get("FUZZ_LONG", "") not in ("", "0", "false")


def _call(server: LiveServer, method: str, path: str, body: object = None) -> tuple[int, object]:
    req = urllib.request.Request(
        f"{server.base_url}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Authorization": server.token},
        method=method,
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


SEED = (
    ("model", "/google-bert/bert-base-uncased"),
    ("dataset", "/datasets/bookcorpus/bookcorpus"),
    ("code", "/github/google-research/bert"),
)


def seed(server: LiveServer, hub_url: str) -> dict[str, list[str]]:
    """Ingest a few fixture repos so ids in the fuzzer's reach exist; returns ids by type."""
    ids: dict[str, list[str]] = {}
    for artifact_type, suffix in SEED:
        status, body = _call(
            server, "POST", f"/artifact/{artifact_type}", {"url": hub_url + suffix}
        )
        if status in (200, 201, 202) and isinstance(body, dict):
            ids.setdefault(artifact_type, []).append(str(body["metadata"]["id"]))
    return ids


def run_live_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    hub,
    extra_env: dict[str, str] | None = None,
) -> Iterator[LiveServer]:
    """The server on a fresh database, logged in as the default admin, with a few artifacts."""
    database_url = None
    if request.param == "postgres":
        cluster = request.getfixturevalue("postgres_url")
        database_url = fresh_postgres_database(cluster, f"contract_{request.module.__name__[-12:]}")
    data_dir: Path = tmp_path_factory.mktemp(f"contract-{request.param}")
    server = start_server(data_dir, database_url, hub.url, extra_env)
    try:
        server.login()
        server.seeded = seed(server, hub.url)  # type: ignore[attr-defined]
        yield server
    finally:
        output = server.stop()
        if "Traceback" in output:
            print(f"--- server output ({request.param}) ---\n{output[-4000:]}")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fake_hub_server
) -> Iterator[LiveServer]:
    yield from run_live_server(request, tmp_path_factory, fake_hub_server)


def pytest_configure(config: pytest.Config) -> None:
    """Loaded at startup only when tests/contract is on the command line (as in `make fuzz`)."""
    if fuzz_long(config):
        os.environ["FUZZ_LONG"] = "1"
