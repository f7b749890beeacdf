"""Start `python -m trustreg.local.server` as a separate process, as a user would run it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerProcess:
    """A running local server: its base URL, the process, and where its output goes."""

    base: str
    proc: subprocess.Popen[bytes]
    data_dir: Path
    log_path: Path

    def output(self) -> str:
        """Everything the server printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def start(data_dir: Path, env_extra: dict[str, str] | None = None) -> ServerProcess:
    """Start the server on a free port and wait for /health; its output goes to a file.

    A file rather than a pipe: a pipe nobody reads fills up and blocks a chatty server.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BLOB_BUCKET")}
    env.pop("PUBLIC_BASE_URL", None)
    env |= {
        "PORT": str(port),
        "REGISTRY_DATA_DIR": str(data_dir),
        "BCRYPT_ROUNDS": "4",
        "PYTHONPATH": f"{ROOT / 'layers/shared/python'}{os.pathsep}{ROOT}",
        **(env_extra or {}),
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir.parent / f"{data_dir.name}-server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "trustreg.local.server"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = ServerProcess(f"http://127.0.0.1:{port}", proc, data_dir, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{server.base}/health", timeout=2).read()  # noqa: S310
            return server
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"the local server exited at start: {server.output()}")
            time.sleep(0.2)
    proc.kill()
    pytest.fail("the local server did not answer /health within 60 s")
