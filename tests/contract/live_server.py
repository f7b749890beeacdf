"""The local server as a child process, on SQLite or on its own PostgreSQL database.

The child inherits coverage's subprocess hook (`[tool.coverage.run] patch = ["subprocess"]`) and
stops with SIGTERM, so its lines count in the suite's coverage.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADMIN_LOGIN = json.loads((ROOT / "docs/examples/authenticate.json").read_text(encoding="utf-8"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fresh_postgres_database(cluster_url: str, name: str) -> str:
    """Create (or recreate) database `name` on the session's cluster; return its URL."""
    from sqlalchemy import create_engine, text

    engine = create_engine(cluster_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return cluster_url.rsplit("/", 1)[0] + f"/{name}"


@dataclass
class LiveServer:
    """A running `python -m trustreg.local.server`; `token` is the default admin's."""

    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    token: str = ""

    def login(self) -> str:
        req = urllib.request.Request(
            f"{self.base_url}/authenticate",
            data=json.dumps(ADMIN_LOGIN).encode(),
            headers={"Content-Type": "application/json"},
            method="PUT",
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            self.token = str(json.loads(resp.read()))
        return self.token

    def stop(self) -> str:
        """SIGTERM (the server shuts down cleanly, so coverage data is written); its output."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.output()

    def output(self) -> str:
        """What the server printed so far (its stdout and stderr go to a file, never a pipe)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _tag_child_coverage(env: dict[str, str]) -> None:
    """Record the server's lines under the static context "subprocess".

    Coverage's `patch = ["subprocess"]` hands children its configuration in
    COVERAGE_PROCESS_CONFIG (base64 JSON); with a context set, scripts/coverage_gate.py can tell
    the lines the unit and API tests ran from those a server process ran.
    """
    raw = env.get("COVERAGE_PROCESS_CONFIG")
    if raw:
        data = json.loads(base64.b64decode(raw.encode()).decode())
        data["context"] = "subprocess"
        env["COVERAGE_PROCESS_CONFIG"] = base64.b64encode(json.dumps(data).encode()).decode()


def _server_module(env: dict[str, str]) -> str:
    """The server entry point; the recording one when the run collects error messages."""
    return "tests.contract.error_log" if env.get("TRUSTREG_ERROR_LOG") else "trustreg.local.server"


def start_server(
    data_dir: Path, database_url: str | None, hub_url: str, extra_env: dict[str, str] | None = None
) -> LiveServer:
    """Start the server on a free port, pointed at the fake hub, and wait for /health."""
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "BLOB_BUCKET", "HF_TOKEN", "GITHUB_TOKEN", "S3_ENDPOINT_URL")
    }
    env |= {
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "layers/shared/python"), str(ROOT)]),
        "REGISTRY_DATA_DIR": str(data_dir),
        "BCRYPT_ROUNDS": "4",
        "TOKEN_MAX_USES": "1000000",
        "HF_ENDPOINT": hub_url,
        "GITHUB_API_URL": f"{hub_url}/github-api",
        "GITHUB_WEB_URL": f"{hub_url}/github",
        "ALLOWED_SOURCE_HOSTS": "127.0.0.1",
        "HTTP_TIMEOUT_SECONDS": "5",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
    env |= extra_env or {}
    _tag_child_coverage(env)
    if database_url:
        env["DATABASE_URL"] = database_url
    log_path = data_dir / "server-output.log"
    with log_path.open("wb") as log:  # a pipe nobody reads would block a chatty server
        proc = subprocess.Popen(
            [sys.executable, "-m", _server_module(env)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", proc, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{server.base_url}/health", timeout=2).read()
            return server
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"local server exited: {server.stop()}") from None
            time.sleep(0.2)
    raise RuntimeError(f"local server did not start within 60 s: {server.stop()}")
