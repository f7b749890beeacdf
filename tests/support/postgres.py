"""A throwaway PostgreSQL server for the test session, started from the machine's binaries.

TEST_DATABASE_URL wins when set. Otherwise initdb/pg_ctl from /usr/lib/postgresql/*/bin run a
cluster in a temporary folder on a free port (as the `postgres` user when we are root, since
PostgreSQL refuses to run as root). In CI the binaries must exist: a missing server fails the
run instead of skipping the PostgreSQL half of the suite.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """No TEST_DATABASE_URL and no PostgreSQL binaries on this machine."""


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable("PostgreSQL binaries (initdb, pg_ctl) are not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TempPostgres:
    """Start with `start()`, stop with `stop()`; `url` is a SQLAlchemy URL."""

    def __init__(self) -> None:
        self.url = ""
        self._dir: Path | None = None
        self._bin: Path | None = None
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def start(self) -> str:
        """Start the cluster and create the test database; returns its URL."""
        env_url = os.environ.get("TEST_DATABASE_URL")
        if env_url:
            self.url = env_url
            return env_url
        self._bin = _bin_dir()
        self._dir = Path(tempfile.mkdtemp(prefix="trustreg-pg-"))
        data, sock = self._dir / "data", self._dir / "sock"
        sock.mkdir()
        if self._as_postgres:
            shutil.chown(self._dir, "postgres")
            shutil.chown(sock, "postgres")
        port = _free_port()
        self._run(
            str(self._bin / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
        )
        opts = (
            f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self._bin / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            opts,
            "-l",
            str(self._dir / "pg.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        self._run(
            str(self._bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "registry_test",
        )
        self.url = f"postgresql+psycopg2://postgres@127.0.0.1:{port}/registry_test"
        return self.url

    def stop(self) -> None:
        """Stop the cluster and delete its folder."""
        if self._dir is None or self._bin is None:
            return
        try:
            self._run(
                str(self._bin / "pg_ctl"), "-D", str(self._dir / "data"), "-m", "fast", "-w", "stop"
            )
        except subprocess.CalledProcessError:
            time.sleep(0.5)
        shutil.rmtree(self._dir, ignore_errors=True)
        self._dir = None
