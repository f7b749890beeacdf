"""Fixtures for the sandbox tests: a real `node`, a small zip, and runners for each mode."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from trustreg.security import isolation
from trustreg.security.local_runner import LocalNodeRunner
from trustreg.security.sensitive_check import CheckVerdict, run_check


@pytest.fixture(scope="session")
def node_binary() -> str:
    """Skip locally without node; in CI a missing node is a failure, not a skip."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is required in CI for the sensitive-check sandbox tests")
        pytest.skip("node is not installed; sensitive-check sandbox tests need it")
    return node


@pytest.fixture()
def model_zip(tmp_path: Path) -> Path:
    path = tmp_path / "bert.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("README.md", "weights for a friendly model\n")
    return path


def _modes() -> list[str]:
    return [isolation.STUBS, isolation.NETNS] if isolation.namespace_prefix() else [isolation.STUBS]


@pytest.fixture(params=_modes())
def runner(request: pytest.FixtureRequest, node_binary: str) -> LocalNodeRunner:
    """A local runner in each network-isolation mode this host supports."""
    return LocalNodeRunner(timeout_s=5, network=request.param, node=node_binary)


@pytest.fixture()
def check(runner: LocalNodeRunner, model_zip: Path):
    """Run a program against the fixture zip as model `bert`, uploader `ann`, downloader `bob`."""

    def go(source: str) -> CheckVerdict:
        return run_check(
            source,
            model_name="bert",
            uploader="ann",
            downloader="bob",
            zip_path=str(model_zip),
            runner=runner,
        )

    return go
