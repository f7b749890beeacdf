"""Shared pieces of the benchmarks: stats, results files, charts, PostgreSQL, the server, HTTP."""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
LAYER = ROOT / "layers" / "shared" / "python"
ADMIN = {"user": {"name": "ece30861defaultadminuser", "is_admin": True}}


def python_path() -> str:
    """PYTHONPATH that makes the layer, `functions` and `tests` importable."""
    extra = os.environ.get("PYTHONPATH", "")
    return os.pathsep.join(p for p in (str(LAYER), str(ROOT), extra) if p)


# --- statistics -----------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank on the sorted values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    """count, mean, p50, p99 and max of durations, in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "mean_ms": round(statistics.fmean(ms), 3) if ms else float("nan"),
        "p50_ms": round(pct(ms, 50), 3),
        "p99_ms": round(pct(ms, 99), 3),
        "max_ms": round(max(ms), 3) if ms else float("nan"),
    }


# --- results --------------------------------------------------------------------------------
@dataclass
class Row:
    """One line of the final table: what was measured, against what, and the ratio."""

    bench: str
    case: str
    value: str
    baseline: str
    ratio: float | None
    target: str = ""
    ok: bool | None = None


@dataclass
class Result:
    """Everything one benchmark measured; written to bench/results/<name>.json."""

    name: str
    data: dict[str, Any] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    def row(self, case: str, value: str, baseline: str, ratio: float | None, **kw: Any) -> None:
        """Add a table row."""
        self.rows.append(Row(self.name, case, value, baseline, ratio, **kw))

    def save(self) -> Path:
        """Write the JSON file."""
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{self.name}.json"
        body = {
            "name": self.name,
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
            "rows": [r.__dict__ for r in self.rows],
            "data": self.data,
        }
        path.write_text(json.dumps(body, indent=2, default=str) + "\n")
        return path


def chart(name: str, draw: Callable[[Any], None], size: tuple[float, float] = (8, 4.5)) -> Path:
    """Draw one PNG with matplotlib's Agg backend into bench/results/<name>.png."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    draw(ax)
    fig.tight_layout()
    path = RESULTS / f"{name}.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


# --- PostgreSQL -----------------------------------------------------------------------------
class Postgres:
    """One throwaway cluster for the whole run; each benchmark gets its own database."""

    def __init__(self) -> None:
        from tests.support.postgres import TempPostgres

        self._server = TempPostgres()
        self.base_url = ""

    def start(self) -> None:
        """Start the cluster (or use TEST_DATABASE_URL)."""
        self.base_url = self._server.start()

    def stop(self) -> None:
        """Stop the cluster and delete its folder."""
        self._server.stop()

    def database(self, name: str, fresh: bool = True) -> str:
        """Create (or recreate) a database, migrate it to head, return its URL."""
        from sqlalchemy import create_engine, text

        admin = create_engine(self.base_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if exists and fresh:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                exists = None
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = self.base_url.rsplit("/", 1)[0] + "/" + name
        use_database(url)
        from trustreg.db.migrate import upgrade_to_head

        upgrade_to_head()
        return url


def use_database(url: str) -> None:
    """Point this process's settings, engine and blob store at `url`."""
    os.environ["DATABASE_URL"] = url
    from trustreg.config import reset_settings
    from trustreg.db.engine import dispose_engine
    from trustreg.storage import reset_blob_store

    reset_settings()
    reset_blob_store()
    dispose_engine()


def bench_env() -> None:
    """Settings for the bench process (and inherited by servers it starts)."""
    os.environ.setdefault("BCRYPT_ROUNDS", "4")
    os.environ.setdefault("JWT_SECRET", "bench-secret-that-is-at-least-32-bytes-long!!")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "TrustworthyModelRegistry")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ["TOKEN_MAX_USES"] = "100000000"  # noqa: S105 - a count, not a secret
    os.environ.setdefault("REGISTRY_DATA_DIR", tempfile.mkdtemp(prefix="trustreg-bench-"))
    for k in ("BLOB_BUCKET", "DB_HOST", "HF_TOKEN", "GITHUB_TOKEN"):
        os.environ.pop(k, None)
    if str(LAYER) not in sys.path:
        sys.path[:0] = [str(LAYER), str(ROOT)]


# --- the local server -----------------------------------------------------------------------
def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def local_server(
    database_url: str, data_dir: str, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run `python -m bench.serve` (the real local server, optionally patched); yield its URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REGISTRY_DATA_DIR": data_dir,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": python_path(),
        **(extra_env or {}),
    }
    log = open(Path(data_dir) / "server.out", "ab")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bench.serve"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = Http(url).request("GET", "/health")
                if status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the bench server did not start; see {data_dir}/server.out")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


class Http:
    """A keep-alive HTTP/1.1 client to one base URL (one per thread)."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 120) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self._host, self._port, self._timeout = host, int(port.rstrip("/")), timeout
        self._conn: http.client.HTTPConnection | None = None
        self.token = token

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request; reconnects once if the server closed the connection."""
        data = None if body is None else json.dumps(body).encode()
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if self.token:
            hdrs["X-Authorization"] = self.token
        for attempt in (0, 1):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(
                    self._host, self._port, timeout=self._timeout
                )
            try:
                self._conn.request(method, path, body=data, headers=hdrs)
                resp = self._conn.getresponse()
                raw = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self.close()
                return resp.status, dict(resp.getheaders()), raw
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        """Send one request and parse the JSON answer."""
        status, _, raw = self.request(method, path, body, **kw)
        return status, (json.loads(raw) if raw else None)

    def close(self) -> None:
        """Drop the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def login(base_url: str) -> str:
    """A fresh token for the default admin."""
    from trustreg.config import DEFAULT_ADMIN_PASSWORD

    body = {**ADMIN, "secret": {"password": DEFAULT_ADMIN_PASSWORD}}
    status, token = Http(base_url).json("PUT", "/authenticate", body)
    if status != 200:
        raise RuntimeError(f"login failed: {status} {token}")
    return str(token)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def run_threads(n: int, target: Callable[[int], None]) -> float:
    """Start n threads at once on target(i); return the wall time until all finish."""
    barrier = threading.Barrier(n + 1)

    def body(i: int) -> None:
        barrier.wait()
        target(i)

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start
